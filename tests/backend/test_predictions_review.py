"""Reviewing predictions: sort by uncertainty (default), confidence or image; filter by score;
accept (one, many, or all of a job above a score) into annotations; reject."""

from __future__ import annotations

import pytest
from support.factories import add_images
from support.worker_standin import detect_result


@pytest.fixture
def detected(client, project, worker):
    """A detect job over three images whose results the worker stand-in posted."""
    images = add_images(client, project["id"], 3, width=64, height=48)
    job = client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"}).json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    by_id = {i["id"]: i for i in spec["images"]}
    scores = {images[0]["id"]: [0.95, 0.55], images[1]["id"]: [0.7], images[2]["id"]: []}
    result = detect_result(
        {**spec, "images": [by_id[i["id"]] for i in images]}, [scores[i["id"]] for i in images]
    )
    result["predictions"][1]["detections"][0]["box"] = [60.0, 40.0, 10.0, 10.0]  # sticks out
    answer = worker.result(task_id, spec["attempt_token"], result)
    assert answer.status_code == 200, answer.text
    return job, images


def test_predictions_sorted_by_uncertainty_by_default(client, project, detected):
    job, images = detected
    page = client.get(f"/projects/{project['id']}/predictions", params={"job_id": job["id"]}).json()
    assert page["total"] == 3
    assert [p["score"] for p in page["items"]] == [0.55, 0.7, 0.95]
    uncertainties = [p["uncertainty"] for p in page["items"]]
    assert uncertainties == sorted(uncertainties, reverse=True)


def test_predictions_sorted_by_confidence_or_image_and_filtered(client, project, detected):
    job, images = detected
    url = f"/projects/{project['id']}/predictions"
    by_confidence = client.get(url, params={"sort": "confidence"}).json()["items"]
    assert [p["score"] for p in by_confidence] == [0.95, 0.7, 0.55]
    by_image = client.get(url, params={"sort": "image"}).json()["items"]
    assert [p["image_id"] for p in by_image] == [images[0]["id"], images[0]["id"], images[1]["id"]]
    confident = client.get(url, params={"min_score": 0.6}).json()
    assert sorted(p["score"] for p in confident["items"]) == [0.7, 0.95]
    paged = client.get(url, params={"limit": 1, "offset": 1}).json()
    assert (paged["total"], len(paged["items"])) == (3, 1)
    assert client.get(url, params={"sort": "random"}).status_code == 422


def test_review_images_most_uncertain_first_and_per_image_predictions(client, project, detected):
    job, images = detected
    review = client.get(f"/projects/{project['id']}/predictions/images").json()
    assert [i["image_id"] for i in review["items"]] == [
        images[0]["id"],
        images[1]["id"],
        images[2]["id"],
    ]
    assert review["items"][2] | {"num_detections": 0, "uncertainty": 0.0} == review["items"][2]
    one = client.get(f"/projects/{project['id']}/images/{images[0]['id']}/predictions").json()
    assert [p["score"] for p in one] == [0.95, 0.55]
    flagged = client.get(
        f"/projects/{project['id']}/images", params={"has_predictions": True}
    ).json()
    assert {i["id"] for i in flagged["items"]} == {images[0]["id"], images[1]["id"]}


def test_accept_by_ids_makes_annotations_from_predictions(client, user, project, detected):
    job, images = detected
    predictions = client.get(
        f"/projects/{project['id']}/predictions", params={"sort": "image"}
    ).json()["items"]
    answer = client.post(
        f"/projects/{project['id']}/predictions/accept", json={"ids": [predictions[2]["id"]]}
    )
    assert answer.status_code == 200
    assert answer.json()["accepted"] == 1
    annotations = client.get(
        f"/projects/{project['id']}/images/{images[1]['id']}/annotations"
    ).json()
    assert len(annotations) == 1
    made = annotations[0]
    assert (made["source"], made["author_id"], made["class_id"]) == (
        "accepted_prediction",
        user.id,
        predictions[2]["class_id"],
    )
    assert made["box"] == [60.0, 40.0, 4.0, 8.0]  # clipped to the 64x48 image
    status = client.get(
        f"/projects/{project['id']}/predictions", params={"status": "accepted"}
    ).json()
    assert [p["annotation_id"] for p in status["items"]] == [made["id"]]
    again = client.post(
        f"/projects/{project['id']}/predictions/accept", json={"ids": [predictions[2]["id"]]}
    )
    assert again.json()["accepted"] == 0


def test_accept_all_of_a_job_above_a_score(client, project, detected):
    job, images = detected
    answer = client.post(
        f"/projects/{project['id']}/predictions/accept",
        json={"job_id": job["id"], "min_score": 0.6},
    )
    assert answer.json()["accepted"] == 2
    annotated = client.get(f"/projects/{project['id']}/images", params={"annotated": True}).json()
    assert {i["id"] for i in annotated["items"]} == {images[0]["id"], images[1]["id"]}
    pending = client.get(
        f"/projects/{project['id']}/predictions", params={"status": "pending"}
    ).json()
    assert [p["score"] for p in pending["items"]] == [0.55]


def test_reject_and_bad_requests(client, project, detected, make_user):
    job, images = detected
    predictions = client.get(f"/projects/{project['id']}/predictions").json()["items"]
    rejected = client.post(
        f"/projects/{project['id']}/predictions/reject", json={"ids": [predictions[0]["id"]]}
    )
    assert rejected.json() == {"rejected": 1}
    assert client.post(f"/projects/{project['id']}/predictions/accept", json={}).status_code == 422
    missing = client.post(f"/projects/{project['id']}/predictions/accept", json={"ids": [99999999]})
    assert missing.status_code == 404
    stranger = make_user()
    assert stranger.client.get(f"/projects/{project['id']}/predictions").status_code == 404
