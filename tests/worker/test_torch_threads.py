"""A worker divides the cores it may use among the worker processes of its host."""

import json
import logging
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from worker.__main__ import resolve_torch_threads
from worker.config import WorkerSettings
from worker.engine.device import torch_threads, usable_cores

CORES = len(os.sched_getaffinity(0))


def test_auto_divides_the_usable_cores_among_the_processes():
    assert usable_cores() == CORES
    assert torch_threads("auto", 1) == CORES
    assert torch_threads("auto", 2) == max(1, CORES // 2)
    assert torch_threads("auto", CORES * 4) == 1  # never below one thread
    assert torch_threads("3", 8) == 3  # a number is taken as it is
    with pytest.raises(ValueError):
        torch_threads(0)


def test_the_setting_is_auto_or_a_positive_number():
    assert WorkerSettings().torch_threads == "auto"
    assert WorkerSettings(WORKER_TORCH_THREADS="4").torch_threads == "4"
    for bad in ("many", "0", "-2"):
        with pytest.raises(ValidationError, match="WORKER_TORCH_THREADS"):
            WorkerSettings(WORKER_TORCH_THREADS=bad)
    with pytest.raises(ValidationError):
        WorkerSettings(WORKERS_PER_HOST=0)


def test_the_worker_logs_the_figure_it_chose(caplog):
    settings = WorkerSettings(WORKERS_PER_HOST=2)
    with caplog.at_level(logging.INFO, logger="worker"):
        threads = resolve_torch_threads(settings, concurrency=1)
    assert threads == max(1, CORES // 2)
    assert f"torch threads per task process: {threads}" in caplog.text


def _child_threads(env: dict[str, str], cpus: set[int]) -> dict:
    """What a pool process of a worker sets, run in a fresh process pinned to ``cpus``."""
    code = (
        "import json, os, sys\n"
        f"os.sched_setaffinity(0, {sorted(cpus)!r})\n"
        "from worker.celery_app import _pool_process_started\n"
        "_pool_process_started()\n"
        "import torch\n"
        "print(json.dumps([torch.get_num_threads(), torch.get_num_interop_threads()]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_pool_process_sets_torch_threads_from_its_affinity_and_the_host_s_workers():
    cpus = sorted(os.sched_getaffinity(0))
    # all the cores, one worker on the host: every core
    assert _child_threads({"WORKERS_PER_HOST": "1"}, set(cpus)) == [len(cpus), len(cpus)]
    # pinned to one core: one thread, however many workers
    assert _child_threads({"WORKERS_PER_HOST": "1"}, {cpus[0]}) == [1, 1]
    # a number set by hand wins
    assert _child_threads({"WORKER_TORCH_THREADS": "3"}, set(cpus)) == [3, 3]
    if len(cpus) >= 2:
        half = len(cpus) // 2
        assert _child_threads({"WORKERS_PER_HOST": "2"}, set(cpus)) == [half, half]
