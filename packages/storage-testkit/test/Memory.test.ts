/**
 * The conformance suite against the memory store, exactly as a third-party adapter would run it: a fresh store for
 * every test, and the memory store's test hooks as capabilities.
 */
import { MemoryStore } from "@lindung/storage-memory"
import { suite } from "@lindung/storage-testkit"

suite("memory", () => MemoryStore.layerTesting, {
  tamper: MemoryStore.tamper,
  corrupt: MemoryStore.corrupt,
  outage: MemoryStore.outage(true),
  // The memory store is fast: more random sequences than the default.
  modelRuns: 100
})
