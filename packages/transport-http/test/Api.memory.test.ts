import { layerMemory } from "@lindung/storage-memory"
import { securitySuite } from "./security.js"
import { apiSuite } from "./suite.js"

apiSuite("HTTP API over the memory store", () => layerMemory)
securitySuite("HTTP security over the memory store", () => layerMemory)
