"""What is trained on and what is scored (the data's trust rules), through the real API with a
worker stand-in posting results over HTTP: image states, versioned annotations, accepting
predictions, the class list a result is read with, the current model, routines that would do
nothing, and metrics that do not apply."""

from __future__ import annotations

import uuid

import pytest
from support.factories import add_images, create_project, setup_admin
from support.models import write_model
from support.server import api_with_fresh_database
from support.worker_standin import WorkerStandIn, adapt_result, detect_result, evaluate_result


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url):
    directory = tmp_path_factory.mktemp("trust")
    write_model(
        directory / "models",
        "test-metasgd",
        preset={"optimizer": "metasgd", "lr": 0.01, "steps": 10, "train_layers": "head"},
        card_extra={"learned_rates": "head", "algorithm": "metasgd"},
    )
    with api_with_fresh_database(directory, redis_url) as server:
        yield server


@pytest.fixture(scope="module")
def owner(server):
    return setup_admin(server)


@pytest.fixture
def client(owner):
    return owner.client


@pytest.fixture
def standin(server):
    worker = WorkerStandIn(server, name=f"standin-{uuid.uuid4().hex[:6]}")
    worker.register()
    return worker


def image(client, project, image_id):
    return client.get(f"/projects/{project['id']}/images/{image_id}").json()


def put(client, project, image_id, boxes, state=None, if_match=None):
    body = {"annotations": [{"class_id": c, "box": b} for c, b in boxes]}
    if state is not None:
        body["state"] = state
    headers = {"If-Match": if_match} if if_match else {}
    return client.put(
        f"/projects/{project['id']}/images/{image_id}/annotations", json=body, headers=headers
    )


def run_task(standin, task_id, make_result):
    spec = standin.start_ok(task_id)
    answer = standin.result(task_id, spec["attempt_token"], make_result(spec))
    assert answer.status_code == 200, answer.text
    return spec


def job(client, project, body):
    answer = client.post(f"/projects/{project['id']}/jobs", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def job_detail(client, project, job_id):
    return client.get(f"/projects/{project['id']}/jobs/{job_id}").json()


def test_image_states_follow_writes_and_a_checked_empty_image_is_complete(client):
    project = create_project(client)
    class_id = project["classes"][0]["id"]
    adapt, holdout = (
        add_images(client, project["id"], 1)[0],
        add_images(client, project["id"], 1, pool="holdout")[0],
    )
    assert adapt["state"] == "unlabelled"

    # a box without a state: in progress (maybe not every object is boxed)
    assert put(client, project, adapt["id"], [(class_id, [2, 2, 10, 10])]).status_code == 200
    assert image(client, project, adapt["id"])["state"] == "in_progress"
    # no box left: unlabelled again
    assert put(client, project, adapt["id"], []).status_code == 200
    assert image(client, project, adapt["id"])["state"] == "unlabelled"
    # in progress needs a box; unlabelled may not have one
    assert put(client, project, adapt["id"], [], state="in_progress").status_code == 422
    answer = put(client, project, adapt["id"], [(class_id, [2, 2, 10, 10])], state="unlabelled")
    assert answer.status_code == 422
    assert image(client, project, adapt["id"])["annotation_count"] == 0

    # checked and empty: a complete negative image, which evaluation uses
    refused = client.post(f"/projects/{project['id']}/jobs", json={"kind": "evaluate"})
    assert refused.status_code == 422 and "no complete image" in refused.json()["detail"]
    assert put(client, project, holdout["id"], [], state="complete").status_code == 200
    assert image(client, project, holdout["id"])["state"] == "complete"
    evaluate = job(client, project, {"kind": "evaluate"})
    assert evaluate["tasks"][0]["kind"] == "evaluate"

    # a person's edit of a complete image keeps it complete; PATCH sets a state
    client.patch(
        f"/projects/{project['id']}/images/{adapt['id']}", json={"state": "complete"}
    ).raise_for_status()
    assert put(client, project, adapt["id"], [(class_id, [3, 3, 9, 9])]).status_code == 200
    assert image(client, project, adapt["id"])["state"] == "complete"
    listed = client.get(f"/projects/{project['id']}/images", params={"state": "complete"}).json()
    assert {i["id"] for i in listed["items"]} == {adapt["id"], holdout["id"]}


def test_a_stale_write_is_refused_with_412_and_loses_nothing(client):
    project = create_project(client)
    class_a, class_b = (c["id"] for c in project["classes"][:2])
    row = add_images(client, project["id"], 1)[0]
    url = f"/projects/{project['id']}/images/{row['id']}/annotations"
    loaded = client.get(url)
    version = loaded.headers["ETag"]
    assert version == f'"{row["annotations_version"]}"'

    first = put(client, project, row["id"], [(class_a, [2, 2, 10, 10])], if_match=version)
    assert first.status_code == 200
    assert first.headers["ETag"] != version
    # the second client saves its outdated copy (without the first one's box)
    second = put(client, project, row["id"], [(class_b, [20, 20, 10, 10])], if_match=version)
    assert second.status_code == 412
    assert "changed since you loaded them" in second.json()["detail"]
    assert [a["class_id"] for a in client.get(url).json()] == [class_a]
    # the single-box routes are guarded the same way
    stale_post = client.post(
        url, json={"class_id": class_b, "box": [1, 1, 5, 5]}, headers={"If-Match": version}
    )
    assert stale_post.status_code == 412
    box_id = client.get(url).json()[0]["id"]
    stale_delete = client.delete(
        f"/projects/{project['id']}/annotations/{box_id}", headers={"If-Match": version}
    )
    assert stale_delete.status_code == 412
    current = client.get(url).headers["ETag"]
    fresh = client.delete(
        f"/projects/{project['id']}/annotations/{box_id}", headers={"If-Match": current}
    )
    assert fresh.status_code == 204 and client.get(url).json() == []


def test_predictions_on_holdout_images_are_never_accepted(client, standin):
    project = create_project(client)
    adapt = add_images(client, project["id"], 2)
    holdout = add_images(client, project["id"], 1, pool="holdout")
    ids = [adapt[0]["id"], adapt[1]["id"], holdout[0]["id"]]
    detect = job(client, project, {"kind": "detect", "params": {"image_ids": ids}})
    for task in detect["tasks"]:
        run_task(standin, task["id"], lambda spec: detect_result(spec, [[0.9]] * 3))
    predictions = client.get(
        f"/projects/{project['id']}/predictions", params={"job_id": detect["id"]}
    ).json()["items"]
    assert len(predictions) == 3
    on_holdout = next(p for p in predictions if p["image_id"] == holdout[0]["id"])
    on_adapt = next(p for p in predictions if p["image_id"] == adapt[0]["id"])

    refused = client.post(
        f"/projects/{project['id']}/predictions/accept",
        json={"ids": [on_holdout["id"], on_adapt["id"]]},
    )
    assert refused.status_code == 409
    assert "holdout" in refused.json()["detail"]
    assert image(client, project, adapt[0]["id"])["annotation_count"] == 0

    accepted = client.post(
        f"/projects/{project['id']}/predictions/accept", json={"ids": [on_adapt["id"]]}
    ).json()
    assert accepted["accepted"] == 1
    assert image(client, project, adapt[0]["id"])["state"] == "in_progress"

    bulk = client.post(
        f"/projects/{project['id']}/predictions/accept",
        json={"job_id": detect["id"], "min_score": 0.5, "complete": True},
    ).json()
    assert (bulk["accepted"], bulk["skipped_holdout"]) == (1, 1)
    assert image(client, project, adapt[1]["id"])["state"] == "complete"
    assert image(client, project, holdout[0]["id"])["annotation_count"] == 0
    assert image(client, project, holdout[0]["id"])["state"] == "unlabelled"

    # a later run finds the accepted boxes again: they are not accepted twice
    again = job(client, project, {"kind": "detect", "params": {"image_ids": [adapt[0]["id"]]}})
    run_task(standin, again["tasks"][0]["id"], lambda spec: detect_result(spec, [[0.95]]))
    repeat = client.post(
        f"/projects/{project['id']}/predictions/accept", json={"job_id": again["id"]}
    ).json()
    assert (repeat["accepted"], repeat["skipped_duplicates"]) == (0, 1)
    assert image(client, project, adapt[0]["id"])["annotation_count"] == 1


def test_a_class_deleted_while_detect_runs_shifts_no_label(client, standin):
    project = create_project(client, classes=[{"name": n} for n in "ABC"])
    class_a, class_b, _ = (c["id"] for c in project["classes"])
    rows = add_images(client, project["id"], 1)
    detect = job(client, project, {"kind": "detect", "params": {"image_ids": [rows[0]["id"]]}})
    task_id = detect["tasks"][0]["id"]
    spec = standin.start_ok(task_id)
    assert [c["name"] for c in spec["classes"]] == ["A", "B", "C"]
    client.delete(f"/projects/{project['id']}/classes/{class_a}").raise_for_status()
    result = {
        "predictions": [
            {
                "image_id": rows[0]["id"],
                "detections": [
                    {"class_index": 0, "box": [1, 1, 8, 8], "score": 0.9},  # A: deleted
                    {"class_index": 1, "box": [9, 9, 8, 8], "score": 0.8},  # B
                ],
            }
        ]
    }
    assert standin.result(task_id, spec["attempt_token"], result).status_code == 200
    predictions = client.get(
        f"/projects/{project['id']}/predictions", params={"job_id": detect["id"]}
    ).json()["items"]
    assert [p["class_id"] for p in predictions] == [class_b]


def test_routine_lr_on_the_metasgd_optimizer_is_refused(client):
    project = create_project(client)
    rows = add_images(client, project["id"], 1)
    put(client, project, rows[0]["id"], [(project["classes"][0]["id"], [2, 2, 10, 10])], "complete")
    metasgd = next(m for m in client.get("/models").json() if m["name"] == "test-metasgd")
    refused = client.post(
        f"/projects/{project['id']}/jobs",
        json={
            "kind": "adapt",
            "params": {"model_id": metasgd["id"], "routine": {"lr": 10000, "steps": 10}},
        },
    )
    assert refused.status_code == 422
    assert "lr does not apply to the metasgd optimizer" in refused.json()["detail"]
    with_sgd = job(
        client,
        project,
        {
            "kind": "adapt",
            "params": {"model_id": metasgd["id"], "routine": {"optimizer": "sgd", "lr": 0.01}},
        },
    )
    assert with_sgd["params"]["routine"]["lr"] == 0.01


def test_the_current_model_changes_only_when_it_is_not_worse_or_promoted(client, standin):
    project = create_project(client)
    class_id = project["classes"][0]["id"]
    adapt = add_images(client, project["id"], 2)
    holdout = add_images(client, project["id"], 1, pool="holdout")[0]
    put(client, project, adapt[0]["id"], [(class_id, [2, 2, 10, 10])], state="complete")
    put(client, project, holdout["id"], [(class_id, [2, 2, 10, 10])], state="complete")
    base_id = client.get(f"/projects/{project['id']}").json()["current_model_id"]
    assert base_id is None  # the base model

    def adapted(ap50, diverged=False):
        adapt_job = job(client, project, {"kind": "adapt"})

        def result(spec):
            body = adapt_result(standin, weights=uuid.uuid4().bytes)
            if diverged:
                body |= {"diverged": True, "stop_reason": "the loss became non-finite at step 3"}
            return body

        run_task(standin, adapt_job["tasks"][0]["id"], result)
        model_id = job_detail(client, project, adapt_job["id"])["result"]["model_id"]
        assert client.get(f"/projects/{project['id']}").json()["current_model_id"] != model_id
        evaluate = job(client, project, {"kind": "evaluate", "params": {"model_id": model_id}})
        run_task(standin, evaluate["tasks"][0]["id"], lambda s: evaluate_result(s, ap50=ap50))
        return model_id, job_detail(client, project, evaluate["id"])["result"]

    def current():
        return client.get(f"/projects/{project['id']}").json()["current_model_id"]

    first, result = adapted(0.6)
    assert result["promoted"] is True and current() == first
    worse, result = adapted(0.5)
    assert result["promoted"] is False and current() == first
    blown, result = adapted(0.9, diverged=True)
    assert result["promoted"] is False and current() == first
    better, result = adapted(0.7)
    assert result["promoted"] is True and current() == better

    # detect and evaluate without a model use the current one
    detect = job(client, project, {"kind": "detect"})
    assert detect["model_id"] == better
    # a person may promote any model, even a worse one
    promoted = client.post(f"/projects/{project['id']}/models/{worse}/promote")
    assert promoted.status_code == 200 and promoted.json()["is_current"] is True
    assert current() == worse
    assert job(client, project, {"kind": "evaluate"})["model_id"] == worse
    listed = client.get(f"/projects/{project['id']}/models").json()
    assert [m["id"] for m in listed if m["is_current"]] == [worse]
    blown_row = next(m for m in listed if m["id"] == blown)
    assert blown_row["metrics"]["diverged"] is True
    assert "non-finite" in blown_row["metrics"]["stop_reason"]


def test_metrics_without_ground_truth_are_null_and_evaluations_are_kept_apart(client, standin):
    project = create_project(client)
    class_id = project["classes"][0]["id"]
    holdout = add_images(client, project["id"], 1, pool="holdout", width=64, height=48)[0]
    put(
        client,
        project,
        holdout["id"],
        [(class_id, [2, 2, 20, 20]), (class_id, [30, 10, 20, 20])],
        state="complete",
    )
    evaluate = job(client, project, {"kind": "evaluate"})

    def result(spec):
        body = evaluate_result(spec, ap50=0.5)
        body["images"] = [
            {
                "image_id": holdout["id"],
                "detections": [
                    {"class_index": 0, "box": [2, 2, 20, 20], "score": 0.9, "match": "tp"},
                    {"class_index": 0, "box": [40, 30, 10, 10], "score": 0.4, "match": "fp"},
                ],
                "missed": [1],
            }
        ]
        return body

    run_task(standin, evaluate["tasks"][0]["id"], result)
    detail = job_detail(client, project, evaluate["id"])
    metrics = detail["result"]["metrics"]
    assert metrics["AP50"] == 0.5
    # the max detections per image the numbers were counted at, in the job and its task
    assert detail["result"]["max_detections"] == 100
    assert detail["tasks"][0]["result_summary"]["max_detections"] == 100
    assert metrics["APs"] is None  # COCO's -1: no ground truth in that size range
    assert metrics["APl"] is None

    rows = client.get(f"/projects/{project['id']}/jobs/{evaluate['id']}/evaluation").json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["tp"], row["fp"], row["fn"]) == (1, 1, 1)
    assert [d["match"] for d in row["detections"]] == ["tp", "fp"]
    assert row["missed"] == [{"class_id": class_id, "box": [30.0, 10.0, 20.0, 20.0]}]
    # holdout predictions are not in the review queue
    review = client.get(f"/projects/{project['id']}/predictions").json()
    assert review["total"] == 0
