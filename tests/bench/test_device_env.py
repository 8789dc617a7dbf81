"""bench/device-env.sh, which the GPU-machine scripts source: it lets the engine and the benchmark
run from a bare Python that has the packages, and stops before any work, naming what is missing,
where one lacks them and no wheels were carried."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bench" / "device-env.sh"


def _source(tmp_path: Path, python: str) -> subprocess.CompletedProcess:
    # run from an empty folder: no .whl there, so nothing can be installed
    command = f'source "{SCRIPT}" && "$PYTHON" -c "import bench.fewshot.grid" && echo ready'
    return subprocess.run(
        ["bash", "-c", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHON": python, "PYTHONPATH": str(REPO)},
    )


def test_a_python_with_the_engines_packages_passes(tmp_path):
    done = _source(tmp_path, sys.executable)
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout and "torch " in done.stdout


def test_a_python_without_them_stops_naming_each_missing_package(tmp_path):
    bare = tmp_path / "bare-python"  # the same interpreter without site-packages
    bare.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    bare.chmod(0o755)
    done = _source(tmp_path, str(bare))
    assert done.returncode == 1
    assert "ready" not in done.stdout
    missing = done.stderr.split("missing Python packages:")[1].split("—")[0].split()
    assert missing == [
        "torch",
        "torchvision",
        "numpy",
        "pillow",
        "safetensors",
        "tqdm",
        "matplotlib",
        "faster-coco-eval",
    ]
    assert "bench/device-wheels.sh" in done.stderr
