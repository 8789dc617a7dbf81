"""Issue 3, item 3: in the running app, an adapt job from the shipped meta-learned initialization
reaches in 10 steps an AP50 that standard pretraining needs far more steps to reach.

A behaviour test, not a timing test: both adapt jobs run on the same demo project (classes the
initializations never saw in training) with a real worker; each records holdout AP50 at its
checkpoints, and the test compares the curves by steps.
"""

from __future__ import annotations

import pytest
from support.models import SHIPPED_BASE_MODEL as BASE_MODEL

# what it checks is the model's behaviour, not the database's: CI runs it on SQLite only
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.model_behaviour]

# the meta-learned initialization for letters (the default is the real-image model)
LETTERS_MODEL = "letters-metasgd"


def _ap50_by_step(api, pid: int, job: dict) -> dict[int, float]:
    curve = api.get(
        f"/projects/{pid}/metrics/adaptation", params={"model_id": job["result_model_id"]}
    )
    assert curve.status_code == 200, curve.text
    return {c["step"]: c["metrics"]["AP50"] for c in curve.json()["checkpoints"]}


def test_the_shipped_init_reaches_in_10_steps_what_standard_pretraining_needs_far_more_for(
    start_stack,
):
    stack = start_stack()
    stack.start_worker("behaviour-1")
    api = stack.api
    created = api.post(
        "/projects/demo",
        json={
            "name": "held-out letters",
            "adapt_annotated": 25,
            "adapt_unannotated": 0,
            "holdout": 40,
        },
    )
    assert created.status_code == 201, created.text
    pid = created.json()["project"]["id"]
    assert stack.wait_for_job(pid, created.json()["job_id"])["state"] == "succeeded"

    models = api.get(f"/projects/{pid}/models").json()
    shipped = next(m for m in models if m["name"] == LETTERS_MODEL)
    base = next(m for m in models if m["name"] == BASE_MODEL)
    card = api.get(f"/projects/{pid}/models/{shipped['id']}").json()["card"]
    assert card["algorithm"] in ("reptile", "fomaml", "maml", "metasgd")
    held_out = set(card["meta_training"]["held_out_classes"])
    assert {c["name"] for c in api.get(f"/projects/{pid}/classes").json()} <= held_out

    # each model adapts with its own preset (learning rate, layers); only the step counts are set
    meta_job = api.post(
        f"/projects/{pid}/jobs",
        json={
            "kind": "adapt",
            "params": {
                "model_id": shipped["id"],
                "routine": {"steps": 10, "early_stopping": False, "checkpoints": [10]},
            },
        },
    )
    standard_job = api.post(
        f"/projects/{pid}/jobs",
        json={
            "kind": "adapt",
            "params": {
                "model_id": base["id"],
                "routine": {
                    "steps": 100,
                    "early_stopping": False,
                    "checkpoints": [10, 20, 50, 100],
                },
            },
        },
    )
    assert meta_job.status_code == 201 and standard_job.status_code == 201, (
        meta_job.text,
        standard_job.text,
    )
    finished = [
        stack.wait_for_job(pid, j.json()["id"], timeout=900) for j in (meta_job, standard_job)
    ]
    assert all(j["state"] == "succeeded" for j in finished), (finished, stack.logs())

    meta = _ap50_by_step(api, pid, finished[0])
    standard = _ap50_by_step(api, pid, finished[1])
    print(
        f"holdout AP50 — {shipped['name']}: {meta}; {BASE_MODEL} (standard pretraining): {standard}"
    )
    assert set(standard) == {10, 20, 50, 100} and set(meta) == {10}
    assert meta[10] >= standard[10] + 0.2, "at equal steps the meta-learned init is far ahead"
    needed = min((step for step, ap50 in standard.items() if ap50 >= meta[10]), default=None)
    assert needed is None or needed >= 50, (
        f"standard pretraining caught up after only {needed} steps"
    )
