import { layerSqlite } from "@lindung/storage-sql"
import { securitySuite } from "./security.js"
import { apiSuite } from "./suite.js"

apiSuite("HTTP API over SQLite", () => layerSqlite({ filename: ":memory:" }))
securitySuite("HTTP security over SQLite", () => layerSqlite({ filename: ":memory:" }))
