"""A model's holdout numbers in a project's model list: a shipped model (shared by every
project) reads "not evaluated" (no ``metrics.holdout``) until it is evaluated in that project,
then its latest evaluation there, and only there."""

from __future__ import annotations

import uuid

import pytest
from support.factories import add_images, create_project, setup_admin
from support.server import api_with_fresh_database
from support.worker_standin import WorkerStandIn, evaluate_result


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url):
    with api_with_fresh_database(tmp_path_factory.mktemp("holdout"), redis_url) as server:
        yield server


def evaluate(client, standin, project, ap50):
    created = client.post(f"/projects/{project['id']}/jobs", json={"kind": "evaluate"})
    assert created.status_code == 201, created.text
    task_id = created.json()["tasks"][0]["id"]
    spec = standin.start_ok(task_id)
    done = standin.result(task_id, spec["attempt_token"], evaluate_result(spec, ap50=ap50))
    assert done.status_code == 200, done.text
    return created.json()["id"]


def test_a_shipped_model_shows_its_latest_evaluation_in_this_project_only(server):
    client = setup_admin(server).client
    standin = WorkerStandIn(server, name=f"standin-{uuid.uuid4().hex[:6]}")
    standin.register()
    evaluated, other = create_project(client), create_project(client)
    for project in (evaluated, other):
        holdout = add_images(client, project["id"], 1, pool="holdout")[0]
        body = {
            "annotations": [{"class_id": project["classes"][0]["id"], "box": [2, 2, 10, 10]}],
            "state": "complete",
        }
        put = client.put(f"/projects/{project['id']}/images/{holdout['id']}/annotations", json=body)
        assert put.status_code == 200, put.text

    def shipped(project):
        listed = client.get(f"/projects/{project['id']}/models").json()
        return next(m for m in listed if m["project_id"] is None and m["is_default"])

    assert "holdout" not in shipped(evaluated)["metrics"]  # never evaluated: no numbers
    evaluate(client, standin, evaluated, 0.25)
    last = evaluate(client, standin, evaluated, 0.5)
    row = shipped(evaluated)
    assert row["metrics"]["holdout"]["AP50"] == 0.5 and row["metrics"]["holdout_job_id"] == last
    assert "holdout" not in shipped(other)["metrics"]  # another project's holdout is its own
    # the shipped model itself is unchanged (its stored metrics hold no project's numbers)
    assert all("holdout" not in m["metrics"] for m in client.get("/models").json())
