"""GET /classes says how many annotations have each class (what deleting it would touch: a
class in use is refused with 409), counting only the project's own boxes."""

from __future__ import annotations

from support.factories import add_images, create_project


def boxes(client, pid: int, image_id: int, class_ids: list[int]) -> None:
    answer = client.put(
        f"/projects/{pid}/images/{image_id}/annotations",
        json={
            "annotations": [
                {"class_id": c, "box": [2 + 10 * i, 2, 8, 8]} for i, c in enumerate(class_ids)
            ]
        },
    )
    assert answer.status_code == 200, answer.text


def test_classes_list_their_annotation_counts(client, project):
    pid = project["id"]
    cat, dog = project["classes"][0]["id"], project["classes"][1]["id"]
    first, second = add_images(client, pid, 2, width=100, height=80)
    boxes(client, pid, first["id"], [cat, cat, dog])
    boxes(client, pid, second["id"], [cat])
    # another project's boxes are not counted here
    other = create_project(client)
    (elsewhere,) = add_images(client, other["id"], 1, width=100, height=80)
    boxes(client, other["id"], elsewhere["id"], [other["classes"][0]["id"]])
    unused = client.post(f"/projects/{pid}/classes", json={"name": "emu"}).json()

    listed = {c["id"]: c["annotation_count"] for c in client.get(f"/projects/{pid}/classes").json()}
    assert listed == {cat: 3, dog: 1, unused["id"]: 0}

    # the count is what a delete is refused for; an unused class goes
    refused = client.delete(f"/projects/{pid}/classes/{dog}")
    assert refused.status_code == 409
    assert "used by 1 annotations" in refused.json()["detail"]
    assert client.delete(f"/projects/{pid}/classes/{unused['id']}").status_code == 204
    boxes(client, pid, first["id"], [cat])  # the dog box goes
    listed = {c["id"]: c["annotation_count"] for c in client.get(f"/projects/{pid}/classes").json()}
    assert (listed[cat], listed[dog]) == (2, 0)
    assert client.delete(f"/projects/{pid}/classes/{dog}").status_code == 204
