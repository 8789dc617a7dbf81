"""The product does not depend on the research: nothing in worker/ or backend/ imports bench/
(benchmarks and research grids import the product, never the other way round)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the worker's entry points and every module of the engine, imported from the repository root
# (where bench/ is importable, so an import of it would succeed and be seen)
IMPORT_THE_WORKER = """
import importlib, pkgutil, sys
import worker.engine, worker.engine.cli, worker.engine.meta.train, worker.runner
for module in pkgutil.walk_packages(worker.engine.__path__, "worker.engine."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print("\\n".join(sorted(m for m in sys.modules if m.partition(".")[0] == "bench")))
"""


def test_importing_the_worker_and_every_engine_module_loads_nothing_from_bench():
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_THE_WORKER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_no_source_in_worker_or_backend_imports_bench():
    importing = re.compile(r"^\s*(?:import\s+bench\b|from\s+bench\b)", re.MULTILINE)
    sources = [path for folder in ("worker", "backend") for path in (ROOT / folder).rglob("*.py")]
    assert len(sources) > 20  # the folders were found
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_test_modules_have_one_basename_each():
    """pytest's default import mode (basenames, as most test folders have no __init__.py)
    refuses to collect two test modules of the same file name."""
    seen: dict[str, Path] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        assert path.name not in seen, f"{path} and {seen[path.name]} share a file name"
        seen[path.name] = path
