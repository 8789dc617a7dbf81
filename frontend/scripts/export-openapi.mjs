// Writes frontend/openapi.json: the OpenAPI schema of the live FastAPI app (backend.main:app),
// exported in-process (no server needed). tests/e2e/test_openapi_snapshot.py fails when the
// committed snapshot drifts from the app, so run `npm run openapi` after any API change.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(frontend, "..");
const venvPython = resolve(repo, ".venv/bin/python");
const python = process.env.METALOOP_PYTHON ?? (existsSync(venvPython) ? venvPython : "python3");
const code = [
  "import json, logging",
  "logging.disable(logging.CRITICAL)",
  "from backend.main import app",
  "print(json.dumps(app.openapi(), indent=2, ensure_ascii=False))",
].join("\n");
const schema = execFileSync(python, ["-c", code], { cwd: repo, encoding: "utf8" });
writeFileSync(resolve(frontend, "openapi.json"), schema);
console.log(`openapi.json written (${schema.length} bytes) from ${python}`);
