"""Regenerate metaloop_client/ from the committed schema (frontend/openapi.json): `make client`
(`python clients/python/generate.py DIR` writes it to DIR instead).

openapi-python-client reads uploads only in OpenAPI 3.0's form (`format: binary`); FastAPI writes
them in 3.1's (`contentMediaType: application/octet-stream`), which it would type as text. The
schema is given to it with each such string also marked `format: binary`; nothing else changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCHEMA = ROOT / "frontend" / "openapi.json"
PACKAGE = HERE / "metaloop_client"


def mark_binary(node: Any) -> Any:
    if isinstance(node, dict):
        node = {key: mark_binary(value) for key, value in node.items()}
        media_type = node.get("contentMediaType")
        if node.get("type") == "string" and media_type == "application/octet-stream":
            node["format"] = "binary"
        return node
    if isinstance(node, list):
        return [mark_binary(item) for item in node]
    return node


def main(package: Path = PACKAGE) -> None:
    """Write the client package to `package` (default: the committed one)."""
    schema = mark_binary(json.loads(SCHEMA.read_text()))
    bin_dir = Path(sys.executable).parent  # the generator's post-hooks run ruff from this venv
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "openapi.json"
        path.write_text(json.dumps(schema))
        subprocess.run(
            [
                str(bin_dir / "openapi-python-client"),
                "generate",
                "--path",
                str(path),
                "--config",
                str(HERE / "openapi-python-client.yaml"),
                "--meta",
                "none",
                "--output-path",
                str(package),
                "--overwrite",
                "--fail-on-warning",
            ],
            check=True,
            env=env,
            cwd=HERE,
        )
    (package / "py.typed").write_text("# Marker file for PEP 561\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else PACKAGE)
