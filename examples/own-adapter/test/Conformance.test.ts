/**
 * The adapter proved with the conformance suite, exactly as a third party runs it: a fresh store for every test,
 * the inner store's test hooks as capabilities. Every rule of the five ports holds with the archive in between.
 */
import { MemoryStore } from "@lindung/storage-memory"
import { suite } from "@lindung/storage-testkit"
import { Layer } from "effect"
import { layer, memoryArchive } from "../src/ArchivedStore.ts"

suite(
  "own adapter (archived memory store)",
  () => layer(memoryArchive().archive).pipe(Layer.provideMerge(MemoryStore.layerTesting)),
  {
    tamper: MemoryStore.tamper,
    corrupt: MemoryStore.corrupt,
    outage: MemoryStore.outage(true)
  }
)
