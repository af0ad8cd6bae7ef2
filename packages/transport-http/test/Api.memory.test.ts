import { layerMemory } from "@lindung/storage-memory"
import { apiSuite } from "./suite.js"

apiSuite("HTTP API over the memory store", () => layerMemory)
