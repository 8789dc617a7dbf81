"""The read-load benchmark at a tiny size on SQLite: a project built in bulk, the API under
uvicorn, Locust at 2 clients for 3 s with 2 event streams open; its result files."""

import importlib.util
import json

import pytest

from bench import read_load

# not imported here: Locust's gevent would patch this process (the bench runs it in a child)
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None or importlib.util.find_spec("fastapi") is None,
    reason="needs the server's and the dev packages (locust)",
)


@pytest.mark.timeout(180)
def test_read_load_reads_every_endpoint_without_errors_and_writes_its_results(tmp_path):
    code = read_load.main(
        ["--images", "500", "--annotations", "500", "--predictions", "1500", "--jobs", "3"]
        + ["--clients", "2", "--duration", "3", "--warmup", "1", "--sse", "2"]
        + ["--out", str(tmp_path), "--stem", "t", "--no-progress"]
    )
    result = json.loads((tmp_path / "t.json").read_text())
    assert code == 0
    rows = result["project"]["rows"]
    assert rows["images"] == 500 and rows["annotations"] == 500 and rows["jobs"] == 3
    assert rows["predictions"] == 1500 and rows["image_uncertainties"] == 3 * 250
    assert result["project"]["deep_page"]  # cursor or offset, as the API offers
    assert set(result["endpoints"]) >= set(read_load.LIST_ENDPOINTS) | {"project", "metrics"}
    [level] = result["levels"]
    assert level["clients"] == 2
    assert level["total"]["errors"] == 0 and level["total"]["requests"] > 0
    assert level["total"]["rps"] > 0
    for name, figures in level["endpoints"].items():
        assert figures["errors"] == 0, (name, figures["error_messages"])
        assert figures["requests"] > 0, name  # every endpoint was read
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert level["sse"] | {"frames": 0} == {
        "asked": 2,
        "opened": 2,
        "refused": 0,
        "ended_early": 0,
        "open_at_end": 2,
        "frames": 0,
        "errors": {},
    }
    assert level["sse"]["frames"] >= 2  # each stream's "connected" comment at least
    assert {"api", "load_generator", "machine"} <= set(level["cpu_cores"])
    assert level["api_exceptions"] == {}  # the API logged no error
    assert result["verdict"] == {"measured": False, "met": None, "checks": {}}  # no 50-client level
    machine = result["machine"]
    assert machine["cores"] >= 1 and machine["cpu"]
    assert len(machine["load_average_at_start"]) == 3
    markdown = (tmp_path / "t.md").read_text()
    assert "| **total** |" in markdown and "images, deep page" in markdown
    assert "load average" in markdown.lower()


def test_verdict_checks_the_issue_target_at_50_clients():
    def level(p99: float, rps: float, errors: int = 0) -> dict:
        endpoints = {name: {"p99_ms": p99} for name in read_load.LIST_ENDPOINTS}
        return {"clients": 50, "endpoints": endpoints, "total": {"rps": rps, "errors": errors}}

    assert read_load._verdict([level(80, 350)])["met"] is True
    missed = read_load._verdict([level(120, 350)])
    assert missed["met"] is False and missed["checks"]["list_p99_ms"]["met"] is False
    assert read_load._verdict([level(80, 250)])["checks"]["total_rps"]["met"] is False
    assert read_load._verdict([level(80, 350, errors=1)])["met"] is False
    unanswered = level(80, 350)
    unanswered["endpoints"]["review images"]["p99_ms"] = None  # no answer in the measured time
    assert read_load._verdict([unanswered])["checks"]["list_p99_ms"]["met"] is False
