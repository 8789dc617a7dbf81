"""Jobs over the REST API: creation checks, tasks enqueued on the real Redis, the iterate chain,
stage timings, cancellation."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from support.factories import add_images, annotate, create_project, setup_admin
from support.services import queued_messages
from support.worker_standin import WorkerStandIn, adapt_result, detect_result, evaluate_result

from contracts.routine import Routine


def create_job(client, project_id, kind, **params):
    return client.post(f"/projects/{project_id}/jobs", json={"kind": kind, "params": params})


def test_adapt_without_complete_images_is_422_with_a_message(client, project):
    rows = add_images(client, project["id"], 2)
    # a box on an image not marked complete: its other objects may be unboxed, not trained on
    annotate(client, project["id"], rows[0]["id"], project["classes"][0]["id"], complete=False)
    answer = create_job(client, project["id"], "adapt")
    assert answer.status_code == 422
    assert "no complete image in the adapt pool" in answer.json()["detail"]
    assert client.get(f"/projects/{project['id']}/jobs").json() == []


def test_evaluate_without_annotated_holdout_is_422(client, project):
    answer = create_job(client, project["id"], "evaluate")
    assert answer.status_code == 422
    assert "holdout" in answer.json()["detail"]


def test_detect_with_nothing_to_run_on_is_422(client, project):
    answer = create_job(client, project["id"], "detect")
    assert answer.status_code == 422
    assert "no image" in answer.json()["detail"]


def test_detect_rejects_images_of_another_project(client, project):
    other = create_project(client)
    image = add_images(client, other["id"], 1)[0]
    answer = create_job(client, project["id"], "detect", image_ids=[image["id"]])
    assert answer.status_code == 422
    assert str(image["id"]) in answer.json()["detail"]


def test_adapt_job_sends_its_task_to_the_real_queue_and_merges_the_routine(
    api_server, client, project
):
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    answer = create_job(client, project["id"], "adapt", routine={"steps": 7, "batch_size": 2})
    assert answer.status_code == 201, answer.text
    job = answer.json()
    assert job["state"] == "queued"
    assert [t["kind"] for t in job["tasks"]] == ["adapt"]
    routine = job["params"]["routine"]
    assert (routine["steps"], routine["batch_size"]) == (7, 2)  # the request
    assert (routine["lr"], routine["optimizer"]) == (0.001, "adam")  # the base card's preset
    assert routine["checkpoints"] == [7]
    again = create_job(
        client, project["id"], "adapt", routine={"steps": 7, "checkpoints": [7, 0, 99, -1]}
    )
    assert again.json()["params"]["routine"]["checkpoints"] == [0, 7]  # 0: before the first step
    models = client.get(f"/projects/{project['id']}/models").json()
    assert job["model_id"] == next(m["id"] for m in models if m["is_default"])
    messages = queued_messages(api_server.redis_url, api_server.queue)
    assert {"task": "metaloop.adapt", "args": [job["tasks"][0]["id"]]} in messages


@pytest.mark.parametrize("routine", [{"class_init": "random"}, {"class_init_scale": -1}])
def test_a_bad_class_init_is_refused_with_a_message(client, project, routine):
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    answer = create_job(client, project["id"], "adapt", routine=routine)
    assert answer.status_code == 422
    assert next(iter(routine)) in answer.text


def test_a_prototype_class_init_is_passed_to_the_task(client, project):
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    answer = create_job(client, project["id"], "adapt", routine={"class_init": "prototype"})
    assert answer.status_code == 201, answer.text
    routine = answer.json()["params"]["routine"]
    assert routine["class_init"] == "prototype"


def test_unknown_params_are_refused(client, project):
    answer = client.post(
        f"/projects/{project['id']}/jobs", json={"kind": "adapt", "params": {"stepz": 3}}
    )
    assert answer.status_code == 422


def test_a_routine_with_an_unknown_field_is_refused_naming_the_field(client, project):
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    answer = client.post(
        f"/projects/{project['id']}/jobs",
        json={"kind": "iterate", "params": {"routine": {"stepz": 3}}},
    )
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["loc"] == ["body", "params", "routine", "stepz"]
    assert problem["msg"] == "Extra inputs are not permitted"
    assert client.get(f"/projects/{project['id']}/jobs").json() == []


def test_a_models_preset_is_its_cards_over_the_routines_defaults(client, project):
    models = client.get(f"/projects/{project['id']}/models").json()
    default = next(m for m in models if m["is_default"])
    model = client.get(f"/projects/{project['id']}/models/{default['id']}").json()
    assert model["preset"] == {
        **Routine().model_dump(),
        **model["card"]["preset"],
        "checkpoints": Routine(**model["card"]["preset"]).checkpoints,
    }


def test_cancel_marks_the_job_and_its_tasks(client, project, worker):
    image = add_images(client, project["id"], 1)[0]
    annotate(client, project["id"], image["id"], project["classes"][0]["id"])
    job = create_job(client, project["id"], "iterate").json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    cancelled = client.post(f"/projects/{project['id']}/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    assert [t["state"] for t in cancelled.json()["tasks"]] == ["cancelled"]
    answer = worker.progress(task_id, spec["attempt_token"])
    assert answer.status_code == 200
    assert answer.json()["cancelled"] is True
    refused = worker.result(task_id, spec["attempt_token"], adapt_result(worker))
    assert refused.status_code == 409
    assert client.post(f"/projects/{project['id']}/jobs/{job['id']}/cancel").status_code == 409
    assert worker.start(task_id).status_code == 409
    assert client.get(f"/projects/{project['id']}/models").json()[-1]["project_id"] is None


@pytest.fixture
def chunked_server(start_api_server):
    return start_api_server(detect_chunk_size="2")


def test_iterate_chains_adapt_detect_evaluate_and_records_stage_timings(chunked_server):
    owner = setup_admin(chunked_server)
    client, standin = owner.client, WorkerStandIn(chunked_server)
    standin.register()
    project = create_project(client)
    pid, cat = project["id"], project["classes"][0]["id"]
    train = add_images(client, pid, 2)
    for image in train:
        annotate(client, pid, image["id"], cat)
    unlabelled = add_images(client, pid, 3)
    holdout = add_images(client, pid, 1, pool="holdout")[0]
    annotate(client, pid, holdout["id"], cat, [5, 5, 20, 20])

    job = create_job(client, pid, "iterate", routine={"steps": 20}).json()
    adapt_task = job["tasks"][0]["id"]
    spec = standin.start_ok(adapt_task)
    assert spec["kind"] == "adapt"
    assert [c["name"] for c in spec["classes"]] == ["cat", "dog"]
    assert sorted(i["id"] for i in spec["images"]) == sorted(i["id"] for i in train)
    assert spec["images"][0]["annotations"] == [{"class_index": 0, "box": [2.0, 2.0, 10.0, 10.0]}]
    assert [i["id"] for i in spec["eval_images"]] == [holdout["id"]]
    assert spec["routine"]["steps"] == 20
    assert spec["model"]["name"] == "test-base"
    progress = standin.progress(
        adapt_task,
        spec["attempt_token"],
        0.5,
        "adapting",
        points=[{"step": 1, "loss": 2.0}, {"step": 2, "loss": 1.5}],
    )
    assert progress.json()["cancelled"] is False
    running = client.get(f"/projects/{pid}/jobs/{job['id']}").json()
    assert (running["state"], running["progress"]) == ("running", 0.25)
    assert running["stage"] == "adapt: adapting"
    assert running["tasks"][0]["loss_points"] == [[1, 2.0], [2, 1.5]]

    assert (
        standin.result(adapt_task, spec["attempt_token"], adapt_result(standin)).status_code == 200
    )
    after_adapt = client.get(f"/projects/{pid}/jobs/{job['id']}").json()
    kinds = [t["kind"] for t in after_adapt["tasks"]]
    assert kinds == ["adapt", "detect", "detect", "evaluate"]  # 3 images in chunks of 2
    messages = queued_messages(chunked_server.redis_url, chunked_server.queue)
    for task in after_adapt["tasks"][1:]:
        assert {"task": f"metaloop.{task['kind']}", "args": [task["id"]]} in messages
    model_id = after_adapt["result_model_id"]

    detected = []
    for task in after_adapt["tasks"][1:]:
        task_spec = standin.start_ok(task["id"])
        assert task_spec["model"]["id"] == model_id
        if task["kind"] == "detect":
            detected += [i["id"] for i in task_spec["images"]]
            result = detect_result(task_spec)
        else:
            assert [i["id"] for i in task_spec["images"]] == [holdout["id"]]
            result = evaluate_result(task_spec)
        assert standin.result(task["id"], task_spec["attempt_token"], result).status_code == 200
    assert sorted(detected) == sorted(i["id"] for i in unlabelled)

    done = client.get(f"/projects/{pid}/jobs/{job['id']}").json()
    assert (done["state"], done["progress"]) == ("succeeded", 1.0)
    assert set(done["timings"]) >= {"queue_wait", "adapt", "detect", "evaluate", "total"}
    assert done["timings"]["adapt_worker_seconds"] == 1.5
    assert done["result"]["model_id"] == model_id
    assert done["result"]["metrics"]["AP50"] == 0.6

    lineage = client.get(f"/projects/{pid}/models/{model_id}/lineage").json()
    assert [m["name"] for m in lineage] == ["v1", "test-base"]
    assert lineage[0]["training_set"]["num_images"] == 2
    assert lineage[0]["training_set"]["per_class"] == {"cat": 2, "dog": 0}
    assert lineage[0]["routine"]["steps"] == 20
    assert lineage[0]["metrics"]["holdout"]["AP50"] == 0.6
    weights = client.get(f"/projects/{pid}/models/{model_id}/weights")
    assert weights.content == b"adapted weights"

    curve = client.get(f"/projects/{pid}/metrics/adaptation", params={"model_id": model_id}).json()
    assert [c["step"] for c in curve["checkpoints"]] == [10, 20]
    assert curve["checkpoints"][1]["metrics"]["AP50"] == 0.6
    assert curve["loss_curve"] == [[1, 1.0], [10, 0.5], [20, 0.25]]
    metrics = client.get(f"/projects/{pid}/metrics", params={"job_id": job["id"]}).json()
    overall = {m["name"]: m["value"] for m in metrics["metrics"] if m["class_id"] is None}
    assert overall["AP50"] == 0.6
    assert "APs" not in overall and "APl" not in overall  # -1 and null are not numbers to keep
    per_class = [m for m in metrics["metrics"] if m["class_name"] == "dog" and m["name"] == "AP50"]
    assert per_class[0]["value"] == 0.2
    assert [c["class_name"] for c in metrics["pr_curves"]] == ["cat", "dog"]

    review = client.get(f"/projects/{pid}/predictions/images").json()
    assert review["total"] == 3
    assert [i["uncertainty"] for i in review["items"]] == sorted(
        (i["uncertainty"] for i in review["items"]), reverse=True
    )


def test_jobs_list_newest_first_and_filters(client, project):
    image = add_images(client, project["id"], 2)
    annotate(client, project["id"], image[0]["id"], project["classes"][0]["id"])
    first = create_job(client, project["id"], "adapt").json()
    second = create_job(client, project["id"], "detect").json()
    listed = client.get(f"/projects/{project['id']}/jobs").json()
    assert [j["id"] for j in listed] == [second["id"], first["id"]]
    only_detect = client.get(f"/projects/{project['id']}/jobs", params={"kind": "detect"}).json()
    assert [j["id"] for j in only_detect] == [second["id"]]
    assert (
        client.get(f"/projects/{project['id']}/jobs/{first['id']}").json()["tasks"][0]["state"]
        == "queued"
    )
    assert client.get(f"/projects/{project['id']}/jobs/999999").status_code == 404


def png(size: int, seed: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), random.Random(seed).randbytes(size * size * 3)).save(
        out, "PNG"
    )
    return out.getvalue()


def test_demo_project_is_filled_by_its_generate_job(client, worker):
    created = client.post(
        "/projects/demo",
        json={"adapt_annotated": 2, "adapt_unannotated": 3, "holdout": 1, "image_size": 32},
    )
    assert created.status_code == 201, created.text
    project = created.json()["project"]
    assert [c["name"] for c in project["classes"]] == ["C", "F", "K", "P", "X"]
    assert len({c["color"] for c in project["classes"]}) == 5
    job = client.get(f"/projects/{project['id']}/jobs/{created.json()['job_id']}").json()
    assert job["kind"] == "generate"
    spec = worker.start_ok(job["tasks"][0]["id"])
    params = spec["params"]
    assert spec["model"] is None
    assert (params["seed"], params["classes"], params["image_size"]) == (
        0,
        ["C", "F", "K", "P", "X"],
        32,
    )
    assert params["pools"] == [
        {"pool": "adapt", "count": 2, "annotated": True},
        {"pool": "adapt", "count": 3, "annotated": False},
        {"pool": "holdout", "count": 1, "annotated": True},
    ]
    images = []
    for index, (pool, annotated) in enumerate(
        [("adapt", True)] * 2 + [("adapt", False)] * 3 + [("holdout", True)]
    ):
        boxes = [{"class_index": index % 5, "box": [2, 3, 10, 12]}] if annotated else []
        images.append(
            {
                "sha256": worker.put_blob(png(32, index)),
                "file_name": f"{pool}-{index}.png",
                "pool": pool,
                "width": 32,
                "height": 32,
                "annotated": annotated,
                "annotations": boxes,
            }
        )
    answer = worker.result(job["tasks"][0]["id"], spec["attempt_token"], {"images": images})
    assert answer.status_code == 200, answer.text
    listing = client.get(f"/projects/{project['id']}/images", params={"limit": 50}).json()
    assert listing["total"] == 6
    pid = project["id"]
    adapt_annotated = client.get(
        f"/projects/{pid}/images", params={"pool": "adapt", "annotated": True}
    ).json()
    assert adapt_annotated["total"] == 2
    assert (
        client.get(f"/projects/{pid}/images", params={"pool": "adapt", "annotated": False}).json()[
            "total"
        ]
        == 3
    )
    assert (
        client.get(f"/projects/{pid}/images", params={"pool": "holdout", "annotated": True}).json()[
            "total"
        ]
        == 1
    )
    boxes = client.get(
        f"/projects/{pid}/images/{adapt_annotated['items'][1]['id']}/annotations"
    ).json()
    assert [(b["box"], b["class_id"]) for b in boxes] == [
        ([2, 3, 10, 12], project["classes"][1]["id"])
    ]
    done = client.get(f"/projects/{pid}/jobs/{job['id']}").json()
    assert done["state"] == "succeeded" and done["result"] == {"images": 6, "annotated": 3}
    iterate = client.post(f"/projects/{pid}/jobs", json={"kind": "iterate"})
    assert iterate.status_code == 201


def test_predictions_for_an_image_deleted_meanwhile_are_skipped(client, project, worker):
    images = add_images(client, project["id"], 2)
    job = create_job(client, project["id"], "detect").json()
    spec = worker.start_ok(job["tasks"][0]["id"])
    client.delete(f"/projects/{project['id']}/images/{images[0]['id']}")
    answer = worker.result(job["tasks"][0]["id"], spec["attempt_token"], detect_result(spec))
    assert answer.status_code == 200, answer.text
    stored = client.get(f"/projects/{project['id']}/predictions").json()["items"]
    assert [p["image_id"] for p in stored] == [images[1]["id"]]


def test_the_metasgd_optimizer_needs_rates_learned_for_the_layers_it_adapts(
    client, project, worker
):
    pid = project["id"]
    image = add_images(client, pid, 1)[0]
    annotate(client, pid, image["id"], project["classes"][0]["id"])
    refused = create_job(client, pid, "adapt", routine={"optimizer": "metasgd"})
    assert refused.status_code == 422
    assert "test-base has none" in refused.json()["detail"]  # a standard model: no learned rates
    assert client.get(f"/projects/{pid}/jobs").json() == []  # nothing half-created

    # an adapted Meta-SGD model whose rates cover the class layer only
    job = create_job(client, pid, "adapt").json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    result = adapt_result(worker)
    result["card"]["learned_rates"] = "classifier"
    assert worker.result(task_id, spec["attempt_token"], result).status_code == 200
    model_id = client.get(f"/projects/{pid}/jobs/{job['id']}").json()["result_model_id"]

    wider = create_job(
        client,
        pid,
        "adapt",
        model_id=model_id,
        routine={"optimizer": "metasgd", "train_layers": "head"},
    )
    assert wider.status_code == 422
    # in the web client's words, not the internal names (train_layers='classifier')
    detail = wider.json()["detail"]
    assert "“Layers trained: class layer only” only, not “head only”" in detail, detail
    assert "train_layers" not in detail and "'classifier'" not in detail
    same = create_job(
        client,
        pid,
        "adapt",
        model_id=model_id,
        routine={"optimizer": "metasgd", "train_layers": "classifier"},
    )
    assert same.status_code == 201, same.text
    assert same.json()["params"]["routine"]["optimizer"] == "metasgd"
