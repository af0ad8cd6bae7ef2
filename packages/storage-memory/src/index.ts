/**
 * `@lindung/storage-memory`: the in-memory reference model of Lindung's storage ports, and what unit tests use.
 *
 * @since 0.1.0
 */

/** The in-memory store: the five ports, the `Testing` hooks, `make` and the layers. */
export * as MemoryStore from "./MemoryStore.js"

/** The five ports over a fresh in-memory store (each build is a new, empty store). */
export { layer as layerMemory, layerTesting as layerMemoryTesting, make as makeMemory } from "./MemoryStore.js"
