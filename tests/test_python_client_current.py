"""The committed Python client is what the committed OpenAPI schema generates (issue 22, item 4):
an API change without `make client` fails here."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "clients" / "python" / "metaloop_client"


def _files(folder: Path) -> dict[str, Path]:
    found = {p.relative_to(folder): p for p in folder.rglob("*") if p.is_file()}
    return {
        name.as_posix(): path
        for name, path in found.items()
        if not any(part.startswith((".", "__pycache__")) for part in name.parts)
    }


def test_the_committed_client_matches_the_schema() -> None:
    # generated beside the committed one, so that the generator's ruff hooks find the same config
    with tempfile.TemporaryDirectory(dir=COMMITTED.parent, prefix=".check-") as scratch:
        fresh = Path(scratch) / "metaloop_client"
        subprocess.run(
            [sys.executable, str(ROOT / "clients" / "python" / "generate.py"), str(fresh)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        committed, generated = _files(COMMITTED), _files(fresh)
        changed = [
            name
            for name, path in generated.items()
            if name in committed and not filecmp.cmp(path, committed[name], shallow=False)
        ]
    assert sorted(committed) == sorted(generated), "files differ: run `make client`"
    assert changed == [], f"{changed[:10]} differ from the schema's client: run `make client`"
