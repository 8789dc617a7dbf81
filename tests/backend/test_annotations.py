"""Annotations: boxes validated against the image and the project's classes; on error nothing
is stored (issue 2, item 4: unknown label id, box outside the image)."""

from __future__ import annotations

import pytest
from support.factories import add_images, create_project


@pytest.fixture
def image(client, project):
    return add_images(client, project["id"], 1, width=100, height=80)[0]


def annotations_of(client, project, image):
    return client.get(f"/projects/{project['id']}/images/{image['id']}/annotations").json()


def test_create_update_delete_an_annotation(client, user, project, image):
    pid, cat, dog = project["id"], project["classes"][0]["id"], project["classes"][1]["id"]
    made = client.post(
        f"/projects/{pid}/images/{image['id']}/annotations",
        json={"class_id": cat, "box": [10, 20, 30, 40], "time_spent_ms": 1200},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["box"], body["source"], body["author_id"], body["time_spent_ms"]) == (
        [10, 20, 30, 40],
        "human",
        user.id,
        1200,
    )
    moved = client.patch(
        f"/projects/{pid}/annotations/{body['id']}", json={"class_id": dog, "box": [0, 0, 100, 80]}
    )
    assert moved.status_code == 200
    assert (moved.json()["class_id"], moved.json()["box"]) == (dog, [0, 0, 100, 80])
    assert client.delete(f"/projects/{pid}/annotations/{body['id']}").status_code == 204
    assert annotations_of(client, project, image) == []


def test_unknown_label_id_is_422_naming_it_and_nothing_is_stored(client, project, image):
    answer = client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": 987654, "box": [1, 1, 5, 5]},
    )
    assert answer.status_code == 422
    assert "unknown label class id 987654" in answer.json()["detail"]
    assert annotations_of(client, project, image) == []


def test_a_class_of_another_project_is_unknown_here(client, project, image):
    other = create_project(client)
    answer = client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": other["classes"][0]["id"], "box": [1, 1, 5, 5]},
    )
    assert answer.status_code == 422
    assert annotations_of(client, project, image) == []


@pytest.mark.parametrize(
    "box, words",
    [
        ([90, 10, 20, 10], "outside image"),
        ([-5, 10, 20, 10], "outside image"),
        ([10, 70, 20, 20], "outside image"),
        ([10, 10, 0, 10], "at least 1"),
        ([10, 10, 5, -1], "at least 1"),
    ],
)
def test_box_outside_the_image_or_empty_is_422_and_nothing_is_stored(
    client, project, image, box, words
):
    answer = client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": box},
    )
    assert answer.status_code == 422
    detail = str(answer.json()["detail"])
    assert words in detail
    assert "100x80" in detail or "at least 1" in detail
    assert annotations_of(client, project, image) == []


def test_box_must_have_four_numbers(client, project, image):
    answer = client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": [1, 2, 3]},
    )
    assert answer.status_code == 422


def test_replace_all_swaps_the_boxes_of_an_image(client, project, image):
    pid, cat, dog = project["id"], project["classes"][0]["id"], project["classes"][1]["id"]
    url = f"/projects/{pid}/images/{image['id']}/annotations"
    client.post(url, json={"class_id": cat, "box": [1, 1, 5, 5]})
    replaced = client.put(
        url,
        json={
            "annotations": [
                {"class_id": dog, "box": [2, 2, 6, 6]},
                {"class_id": cat, "box": [50, 40, 10, 10]},
            ]
        },
    )
    assert replaced.status_code == 200, replaced.text
    assert sorted(a["class_id"] for a in annotations_of(client, project, image)) == sorted(
        [dog, cat]
    )
    assert client.put(url, json={"annotations": []}).json() == []
    assert annotations_of(client, project, image) == []


def test_replace_all_with_one_bad_box_changes_nothing(client, project, image):
    pid, cat = project["id"], project["classes"][0]["id"]
    url = f"/projects/{pid}/images/{image['id']}/annotations"
    kept = client.post(url, json={"class_id": cat, "box": [1, 1, 5, 5]}).json()
    answer = client.put(
        url,
        json={
            "annotations": [
                {"class_id": cat, "box": [2, 2, 6, 6]},
                {"class_id": 55555, "box": [2, 2, 6, 6]},
            ]
        },
    )
    assert answer.status_code == 422
    assert "annotations[1]" in answer.json()["detail"]
    assert "55555" in answer.json()["detail"]
    outside = client.put(url, json={"annotations": [{"class_id": cat, "box": [95, 2, 6, 6]}]})
    assert outside.status_code == 422
    assert [a["id"] for a in annotations_of(client, project, image)] == [kept["id"]]


def test_update_with_a_box_outside_keeps_the_old_box(client, project, image):
    pid, cat = project["id"], project["classes"][0]["id"]
    made = client.post(
        f"/projects/{pid}/images/{image['id']}/annotations",
        json={"class_id": cat, "box": [1, 1, 5, 5]},
    ).json()
    answer = client.patch(f"/projects/{pid}/annotations/{made['id']}", json={"box": [1, 1, 500, 5]})
    assert answer.status_code == 422
    assert annotations_of(client, project, image)[0]["box"] == [1, 1, 5, 5]


def test_annotations_of_another_users_project_are_404(client, project, image, make_user):
    stranger = make_user()
    made = client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": [1, 1, 5, 5]},
    ).json()
    assert (
        stranger.client.patch(
            f"/projects/{project['id']}/annotations/{made['id']}", json={"box": [1, 1, 2, 2]}
        ).status_code
        == 404
    )
    own = create_project(stranger.client)
    assert (
        stranger.client.delete(f"/projects/{own['id']}/annotations/{made['id']}").status_code == 404
    )
