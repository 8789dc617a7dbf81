"""The web client's API types come from frontend/openapi.json: it must be the live app's
schema, and frontend/src/lib/api/schema.d.ts must be generated from it (`cd frontend && npm run
openapi` refreshes both)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FRONTEND = REPO_ROOT / "frontend"


def test_committed_openapi_snapshot_matches_the_app() -> None:
    from backend.main import app

    committed = json.loads((FRONTEND / "openapi.json").read_text())
    live = json.loads(json.dumps(app.openapi()))
    operations = [
        f"{method.upper()} {path}"
        for path in sorted(set(committed["paths"]) | set(live["paths"]))
        for method in sorted(
            set(committed["paths"].get(path, {})) | set(live["paths"].get(path, {}))
        )
        if committed["paths"].get(path, {}).get(method) != live["paths"].get(path, {}).get(method)
    ]
    old_schemas = committed.get("components", {}).get("schemas", {})
    new_schemas = live.get("components", {}).get("schemas", {})
    schemas = [
        name
        for name in sorted(set(old_schemas) | set(new_schemas))
        if old_schemas.get(name) != new_schemas.get(name)
    ]
    assert committed == live, (
        "frontend/openapi.json differs from the app's schema "
        f"(operations: {', '.join(operations) or 'none'}; "
        f"schemas: {', '.join(schemas) or 'none'}): "
        "run `cd frontend && npm run openapi` and commit the result"
    )


def test_generated_client_types_match_the_snapshot(tmp_path: Path) -> None:
    generator = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    if not generator.exists() or shutil.which("node") is None:
        pytest.skip("frontend dependencies not installed (make frontend installs them)")
    out = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(generator), "openapi.json", "--default-non-nullable", "false", "-o", str(out)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = (FRONTEND / "src" / "lib" / "api" / "schema.d.ts").read_text()
    assert out.read_text() == committed, (
        "schema.d.ts is stale: run `cd frontend && npm run openapi:client`"
    )
