"""Review actions over many predictions (accept some, reject others, mark images complete), the
record that undoes them through the API, and what the next adaptation trains on."""

from __future__ import annotations

import pytest
from support.factories import add_images
from support.worker_standin import detect_result


@pytest.fixture
def detected(client, project, worker):
    """A detect job over three adapt images and one holdout image (stand-in results)."""
    images = add_images(client, project["id"], 3, width=64, height=48)
    holdout = add_images(client, project["id"], 1, pool="holdout", width=64, height=48)
    job = client.post(
        f"/projects/{project['id']}/jobs",
        json={"kind": "detect", "params": {"image_ids": [i["id"] for i in images + holdout]}},
    )
    assert job.status_code == 201, job.text
    job = job.json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    by_id = {i["id"]: i for i in spec["images"]}
    ordered = images + holdout
    scores = [[0.95, 0.55], [0.7], [0.2], [0.9]]
    result = detect_result({**spec, "images": [by_id[i["id"]] for i in ordered]}, scores)
    answer = worker.result(task_id, spec["attempt_token"], result)
    assert answer.status_code == 200, answer.text
    listed = client.get(
        f"/projects/{project['id']}/predictions", params={"job_id": job["id"], "sort": "image"}
    ).json()["items"]
    return job, images, holdout[0], listed


def statuses(client, project) -> dict[int, str]:
    items = client.get(f"/projects/{project['id']}/predictions", params={"limit": 100}).json()
    return {p["id"]: p["status"] for p in items["items"]}


def image_states(client, project) -> dict[int, str]:
    items = client.get(f"/projects/{project['id']}/images", params={"limit": 100}).json()
    return {i["id"]: i["state"] for i in items["items"]}


def boxes(client, project) -> list[dict]:
    out = []
    for image_id in image_states(client, project):
        out += client.get(f"/projects/{project['id']}/images/{image_id}/annotations").json()
    return out


def test_apply_then_undo_restores_statuses_states_and_annotations(client, project, detected):
    job, images, holdout, listed = detected
    url = f"/projects/{project['id']}/review"
    by_score = {p["score"]: p for p in listed}
    before = (statuses(client, project), image_states(client, project), boxes(client, project))
    # accept the best of image 0 (its runner-up rejected), image 1's and the holdout one;
    # reject image 2's; image 0 complete
    answer = client.post(
        f"{url}/apply",
        json={
            "accept_ids": [by_score[0.95]["id"], by_score[0.7]["id"], by_score[0.9]["id"]],
            "reject_ids": [by_score[0.55]["id"], by_score[0.2]["id"]],
            "complete_image_ids": [images[0]["id"]],
        },
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["accepted"], result["rejected"], result["marked_complete"]) == (2, 2, 1)
    assert (result["skipped_holdout"], result["skipped_duplicates"]) == (1, 0)
    after = statuses(client, project)
    assert after[by_score[0.95]["id"]] == after[by_score[0.7]["id"]] == "accepted"
    assert after[by_score[0.55]["id"]] == after[by_score[0.2]["id"]] == "rejected"
    assert after[by_score[0.9]["id"]] == "pending"  # holdout: left out
    states = image_states(client, project)
    assert (states[images[0]["id"]], states[images[1]["id"]]) == ("complete", "in_progress")
    assert sorted(b["id"] for b in boxes(client, project)) == sorted(result["annotation_ids"])
    undo = result["undo"]
    assert {p["id"] for p in undo["predictions"]} == {
        by_score[s]["id"] for s in (0.95, 0.7, 0.55, 0.2)
    }
    assert {p["status"] for p in undo["predictions"]} == {"pending"}

    undone = client.post(f"{url}/undo", json=undo)
    assert undone.status_code == 200, undone.text
    assert undone.json() == {
        "restored_predictions": 4,
        "deleted_annotations": 2,
        "restored_images": 2,
    }
    assert (statuses(client, project), image_states(client, project), boxes(client, project)) == (
        before
    )
    # undoing twice changes nothing more
    again = client.post(f"{url}/undo", json=undo).json()
    assert again == {"restored_predictions": 0, "deleted_annotations": 0, "restored_images": 0}


def test_undo_keeps_a_state_the_boxes_allow_and_refuses_foreign_annotations(
    client, project, detected
):
    job, images, holdout, listed = detected
    url = f"/projects/{project['id']}/review"
    first = next(p for p in listed if p["score"] == 0.95)
    # a person's own box on that image, drawn before the accept: it stays after the undo
    drawn = client.post(
        f"/projects/{project['id']}/images/{images[0]['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": [30, 30, 10, 10]},
    )
    assert drawn.status_code == 201, drawn.text
    result = client.post(f"{url}/apply", json={"accept_ids": [first["id"]], "complete": True})
    undo = result.json()["undo"]
    assert undo["images"] == [{"id": images[0]["id"], "state": "in_progress"}]
    # someone else's annotation passed off as made by the accept: refused, nothing changes
    forged = {**undo, "annotation_ids": [drawn.json()["id"]]}
    refused = client.post(f"{url}/undo", json=forged)
    assert refused.status_code == 409
    # the record without the annotation: it would be left behind, so nothing is undone
    partial = client.post(f"{url}/undo", json={**undo, "annotation_ids": []})
    assert partial.status_code == 409
    assert statuses(client, project)[first["id"]] == "accepted"
    assert len(boxes(client, project)) == 2
    assert client.post(f"{url}/undo", json=undo).status_code == 200
    assert image_states(client, project)[images[0]["id"]] == "in_progress"
    assert [b["id"] for b in boxes(client, project)] == [drawn.json()["id"]]
    # an undo that says "unlabelled" for an image with a box keeps it in progress
    claimed = client.post(
        f"{url}/undo", json={"images": [{"id": images[0]["id"], "state": "unlabelled"}]}
    )
    assert claimed.status_code == 200
    assert image_states(client, project)[images[0]["id"]] == "in_progress"


def test_bad_review_actions_are_refused(client, project, detected, make_user):
    job, images, holdout, listed = detected
    url = f"/projects/{project['id']}/review"
    one = listed[0]["id"]
    assert client.post(f"{url}/apply", json={}).status_code == 422
    both = client.post(f"{url}/apply", json={"accept_ids": [one], "reject_ids": [one]})
    assert both.status_code == 422 and str(one) in both.text
    assert client.post(f"{url}/apply", json={"accept_ids": [99999999]}).status_code == 404
    assert client.post(f"{url}/apply", json={"complete_image_ids": [99999999]}).status_code == 404
    for status in ("maybe", "accepted"):  # an action never changes an accepted prediction
        bad_status = {"predictions": [{"id": one, "status": status}]}
        assert client.post(f"{url}/undo", json=bad_status).status_code == 422
    assert statuses(client, project)[one] == "pending"
    stranger = make_user()
    assert stranger.client.post(f"{url}/apply", json={"reject_ids": [one]}).status_code == 404
    assert stranger.client.get(f"{url}/training-data").status_code == 404


def test_training_data_counts_complete_adapt_images_and_their_boxes(client, project, detected):
    job, images, holdout, listed = detected
    url = f"/projects/{project['id']}/review"
    empty = client.get(f"{url}/training-data").json()
    assert empty == {
        "images": 0,
        "boxes": 0,
        "negative_images": 0,
        "accepted_boxes": 0,
        "in_progress_images": 0,
    }
    best = next(p for p in listed if p["score"] == 0.95)
    runner_up = next(p for p in listed if p["score"] == 0.55)
    client.post(f"{url}/apply", json={"accept_ids": [best["id"], runner_up["id"]]})
    assert client.get(f"{url}/training-data").json() == {
        "images": 0,
        "boxes": 0,
        "negative_images": 0,
        "accepted_boxes": 0,
        "in_progress_images": 1,
    }
    # image 0 complete (2 accepted boxes), image 2 marked empty (a negative image)
    two = client.post(
        f"{url}/apply",
        json={
            "reject_ids": [next(p for p in listed if p["score"] == 0.2)["id"]],
            "complete_image_ids": [images[0]["id"], images[2]["id"]],
        },
    )
    assert two.status_code == 200, two.text
    assert client.get(f"{url}/training-data").json() == {
        "images": 2,
        "boxes": 2,
        "negative_images": 1,
        "accepted_boxes": 2,
        "in_progress_images": 0,
    }
