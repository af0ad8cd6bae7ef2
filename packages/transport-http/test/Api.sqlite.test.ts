import { layerSqlite } from "@lindung/storage-sql"
import { apiSuite } from "./suite.js"

apiSuite("HTTP API over SQLite", () => layerSqlite({ filename: ":memory:" }))
