"""Bulk-accepting confident predictions leaves images partly boxed; the next adaptation must not
learn their unboxed letters as background. On the letters demo, "accept at 0.8, then Iterate"
three times over must never lower holdout AP50 by more than noise.

With the old rule (any box made an image fully annotated) the same loop took holdout AP50 from
0.944 to 0.907 in one round: the unboxed letters of the accepted images were trained as
background. Accepted images are now "in_progress", and adaptation trains on complete images
only (training on in-progress images' boxes without a background loss took this loop from 0.918
to 0.844, 0.813 and 0.781: docs/engine.md).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# four Iterates with routine seeds 0-3 on this demo gave the same AP50 (0.918) on a 2-core CPU:
# adaptation is deterministic here; 0.01 leaves room for thread-order effects in float sums
NOISE = 0.01


def _iterate(stack, pid: int, seed: int) -> dict:
    answer = stack.api.post(
        f"/projects/{pid}/jobs",
        json={"kind": "iterate", "params": {"routine": {"seed": seed}}},
    )
    assert answer.status_code == 201, answer.text
    job = stack.wait_for_job(pid, answer.json()["id"])
    assert job["state"] == "succeeded", job.get("error")
    return job


def test_accepting_confident_predictions_then_iterating_never_lowers_holdout_ap(start_stack):
    stack = start_stack()
    stack.start_worker("partial-1")
    api = stack.api
    created = api.post(
        "/projects/demo",
        json={
            "name": "accept and iterate",
            "adapt_annotated": 10,
            "adapt_unannotated": 60,
            "holdout": 40,
        },
    )
    assert created.status_code == 201, created.text
    pid = created.json()["project"]["id"]
    assert stack.wait_for_job(pid, created.json()["job_id"])["state"] == "succeeded"

    job = _iterate(stack, pid, seed=0)
    history = [job["result"]["metrics"]["AP50"]]
    for round_ in range(1, 4):
        accepted = api.post(
            f"/projects/{pid}/predictions/accept", json={"job_id": job["id"], "min_score": 0.8}
        )
        assert accepted.status_code == 200, accepted.text
        # later rounds find mostly the boxes accepted before, which are not accepted twice
        assert accepted.json()["accepted"] > 0 or round_ > 1
        in_progress = api.get(
            f"/projects/{pid}/images", params={"state": "in_progress", "limit": 1}
        ).json()["total"]
        assert in_progress > 0  # accepted images are not taken as fully boxed
        job = _iterate(stack, pid, seed=round_)
        history.append(job["result"]["metrics"]["AP50"])
        print(f"round {round_}: accepted {accepted.json()['accepted']}, AP50 {history}")
    for before, after in zip(history, history[1:], strict=False):
        assert after >= before - NOISE, history
    assert history[-1] >= history[0] - NOISE, history
