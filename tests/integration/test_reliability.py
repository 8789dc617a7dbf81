"""Issue 2, item 3: a worker killed with SIGKILL in the middle of an adapt task.

The task's lease runs out, the sweeper re-enqueues it, a second worker runs the new attempt, the
job succeeds, and exactly one model and one set of predictions exist.
"""

from __future__ import annotations

import pytest
from support.processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_worker_killed_mid_adapt_the_task_is_redelivered_and_written_once(start_stack):
    stack = start_stack(lease_seconds="4", sweep_interval_seconds="1", max_attempts="3")
    first = stack.start_worker("doomed")
    api = stack.api
    demo = api.post(
        "/projects/demo",
        json={"adapt_annotated": 10, "adapt_unannotated": 12, "holdout": 6, "image_size": 128},
    ).json()
    pid = demo["project"]["id"]
    assert stack.wait_for_job(pid, demo["job_id"])["state"] == "succeeded"

    # all layers, so the adaptation lasts long enough to be killed in the middle (the default
    # model's own preset trains the class layer alone and is over in about a second)
    job = api.post(
        f"/projects/{pid}/jobs",
        json={
            "kind": "iterate",
            "params": {
                "routine": {
                    "steps": 60,
                    "early_stopping": False,
                    "checkpoints": [60],
                    "train_layers": "all",
                    "optimizer": "adam",
                    "lr": 1e-3,
                }
            },
        },
    ).json()

    def adapting() -> bool:
        detail = api.get(f"/projects/{pid}/jobs/{job['id']}").json()
        adapt = next(t for t in detail["tasks"] if t["kind"] == "adapt")
        return adapt["state"] == "running" and adapt["progress"] > 0.1

    wait_until(adapting, timeout=180, interval=0.2, message="the adapt task to be under way")
    first.kill_all()
    stack.start_worker("rescuer")
    done = stack.wait_for_job(pid, job["id"], timeout=480)
    assert done["state"] == "succeeded", stack.logs()

    adapt = next(t for t in done["tasks"] if t["kind"] == "adapt")
    assert adapt["attempt"] == 2 and adapt["worker_name"] == "rescuer"
    project_models = [
        m for m in api.get(f"/projects/{pid}/models").json() if m["project_id"] == pid
    ]
    assert len(project_models) == 1 and project_models[0]["id"] == done["result_model_id"]
    predictions = api.get(f"/projects/{pid}/predictions", params={"limit": 5000}).json()["items"]
    assert {p["job_id"] for p in predictions} == {job["id"]}
    assert predictions, "the detect stage stored predictions"
    # one set: a result written twice would repeat the same detections on the same image
    keys = [(p["image_id"], p["class_id"], tuple(p["box"]), p["score"]) for p in predictions]
    assert len(keys) == len(set(keys))
