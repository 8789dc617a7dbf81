"""The load benchmark under faults at a tiny size: its own Redis, the API, two workers, three
Iterate jobs of two users, one worker SIGKILLed and Redis restarted empty; the result files."""

import json
from pathlib import Path

import pytest

from bench import load

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_load_under_faults_writes_its_results(tmp_path):
    code = load.main(
        ["--projects", "2", "--workers", "2", "--jobs", "3"]
        + ["--adapt-annotated", "5", "--adapt-unannotated", "4", "--holdout", "2"]
        + ["--kill-after", "0.5", "--redis-after", "1", "--redis-down", "1"]
        + ["--restart-worker-after", "3", "--no-baseline", "--timeout", "90"]
        + ["--out", str(tmp_path), "--stem", "t", "--no-progress"]
    )
    result = json.loads((tmp_path / "t.json").read_text())
    assert code == 0, result["problems"]
    assert result["ok"] and result["problems"] == []
    assert result["jobs"] | {"tasks": 0} == {
        "submitted": 3,
        "succeeded": 3,
        "projects": 2,
        "workers": 2,
        "tasks": 0,
    }
    assert (result["lost"], result["duplicated"]) == (0, 0)
    what = [f["what"] for f in result["faults"]]
    assert any(w.endswith("killed (SIGKILL)") and w.startswith("worker") for w in what), what
    assert "redis killed (SIGKILL)" in what and "redis restarted empty" in what
    assert result["recovery"]["seconds"] is not None and result["recovery"]["seconds"] >= 0
    assert result["recovery"]["redis_down_seconds"] >= 1.0
    # the killed worker's task ran again, once, and nothing else needed a second attempt
    killed = result["killed_task"]
    assert killed["state"] == "succeeded" and killed["attempt"] == 2
    assert [t["task_id"] for t in result["tasks_with_attempts_over_1"]] == [killed["id"]]
    assert len(result["machine"]["load_average_at_start"]) == 3
    assert result["queue_wait_seconds"]["n"] == 3
    assert all(j["predictions"] is not None for j in result["per_job"])
    assert "3 Iterate jobs" in (tmp_path / "t.md").read_text()
    assert (tmp_path / "t.png").stat().st_size > 0


def test_percentiles():
    assert load.percentile([], 50) is None
    assert load.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert load.percentile([0.0, 10.0], 90) == 9.0


def test_the_committed_result_is_consistent():
    """bench/results/load.json: every job succeeded once, and load.md is what it renders."""
    result = json.loads((RESULTS / "load.json").read_text())
    assert result["ok"] and result["lost"] == 0 and result["duplicated"] == 0
    assert result["jobs"]["succeeded"] == result["jobs"]["submitted"] == len(result["per_job"])
    assert {j["state"] for j in result["per_job"]} == {"succeeded"}
    assert (RESULTS / "load.md").read_text() == load.markdown(result)
    assert (RESULTS / "load.png").stat().st_size > 0
