"""Projects and roles: a user sees only their projects (404 otherwise), viewers cannot write."""

from __future__ import annotations

import pytest
from support.factories import add_images, create_project, image_bytes, upload_images


def test_create_project_with_classes_and_colours(client):
    created = create_project(
        client, "Birds", [{"name": "gull", "color": "#112233"}, {"name": "tern"}]
    )
    assert created["role"] == "owner"
    assert created["task_type"] == "detection"
    assert [(c["name"], c["color"]) for c in created["classes"]][0] == ("gull", "#112233")
    assert created["classes"][1]["color"].startswith("#")
    duplicate = client.post(
        "/projects", json={"name": "x", "classes": [{"name": "a"}, {"name": "a"}]}
    )
    assert duplicate.status_code == 422
    assert "repeated" in duplicate.json()["detail"]


def test_list_shows_only_my_projects(client, make_user):
    mine = create_project(client)
    other = make_user()
    theirs = create_project(other.client)
    ids = {p["id"] for p in client.get("/projects").json()}
    assert mine["id"] in ids
    assert theirs["id"] not in ids


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("get", "/images"),
        ("get", "/classes"),
        ("get", "/jobs"),
        ("get", "/predictions"),
        ("get", "/metrics"),
        ("get", "/members"),
        ("get", "/models"),
    ],
)
def test_another_users_project_is_404(client, make_user, method, path):
    theirs = create_project(make_user().client)
    answer = client.request(
        method, f"/projects/{theirs['id']}{path}", json={} if method == "patch" else None
    )
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == f"project {theirs['id']} not found"


def test_upload_to_another_users_project_is_404_and_stores_nothing(client, make_user):
    other = make_user()
    theirs = create_project(other.client)
    answer = upload_images(client, theirs["id"], [("a.png", image_bytes())])
    assert answer.status_code == 404
    assert other.client.get(f"/projects/{theirs['id']}/images").json()["total"] == 0


def test_no_token_is_401_on_project_routes(anon, project):
    assert anon.get("/projects").status_code == 401
    assert anon.get(f"/projects/{project['id']}").status_code == 401
    assert upload_images(anon, project["id"], [("a.png", image_bytes())]).status_code == 401


def test_viewer_can_read_but_not_write(client, project, make_user):
    viewer = make_user()
    added = client.post(
        f"/projects/{project['id']}/members", json={"username": viewer.username, "role": "viewer"}
    )
    assert added.status_code == 201, added.text
    image = add_images(client, project["id"], 1)[0]
    pid, class_id = project["id"], project["classes"][0]["id"]
    assert viewer.client.get(f"/projects/{pid}").json()["role"] == "viewer"
    assert viewer.client.get(f"/projects/{pid}/images").json()["total"] == 1
    writes = [
        (
            "post",
            f"/projects/{pid}/images/{image['id']}/annotations",
            {"class_id": class_id, "box": [1, 1, 5, 5]},
        ),
        ("put", f"/projects/{pid}/images/{image['id']}/annotations", {"annotations": []}),
        ("patch", f"/projects/{pid}/images/{image['id']}", {"pool": "holdout"}),
        ("delete", f"/projects/{pid}/images/{image['id']}", None),
        ("post", f"/projects/{pid}/classes", {"name": "new"}),
        ("post", f"/projects/{pid}/jobs", {"kind": "detect"}),
        ("post", f"/projects/{pid}/predictions/accept", {"ids": [1]}),
        ("post", f"/projects/{pid}/members", {"username": viewer.username, "role": "owner"}),
        ("patch", f"/projects/{pid}", {"name": "renamed"}),
    ]
    for method, path, body in writes:
        answer = viewer.client.request(method, path, json=body)
        assert answer.status_code == 403, (method, path, answer.text)
        assert "viewer" in answer.json()["detail"]
    upload = upload_images(viewer.client, pid, [("v.png", image_bytes())])
    assert upload.status_code == 403
    assert client.get(f"/projects/{pid}/images").json()["total"] == 1
    assert client.get(f"/projects/{pid}/images/{image['id']}/annotations").json() == []


def test_annotator_writes_but_does_not_manage_members(client, project, make_user):
    annotator = make_user()
    client.post(
        f"/projects/{project['id']}/members",
        json={"username": annotator.username, "role": "annotator"},
    )
    image = add_images(annotator.client, project["id"], 1)[0]
    made = annotator.client.post(
        f"/projects/{project['id']}/images/{image['id']}/annotations",
        json={"class_id": project["classes"][0]["id"], "box": [1, 1, 5, 5]},
    )
    assert made.status_code == 201
    refused = annotator.client.post(
        f"/projects/{project['id']}/members", json={"username": annotator.username, "role": "owner"}
    )
    assert refused.status_code == 403


def test_members_roles_change_and_the_last_owner_stays(client, user, project, make_user):
    pid = project["id"]
    other = make_user()
    assert (
        client.post(
            f"/projects/{pid}/members", json={"user_id": other.id, "role": "viewer"}
        ).status_code
        == 201
    )
    again = client.post(f"/projects/{pid}/members", json={"user_id": other.id, "role": "viewer"})
    assert again.status_code == 409
    assert (
        client.patch(f"/projects/{pid}/members/{other.id}", json={"role": "annotator"}).json()[
            "role"
        ]
        == "annotator"
    )
    last_owner = client.delete(f"/projects/{pid}/members/{user.id}")
    assert last_owner.status_code == 409
    assert "at least one owner" in last_owner.json()["detail"]
    assert client.delete(f"/projects/{pid}/members/{other.id}").status_code == 204
    assert other.client.get(f"/projects/{pid}").status_code == 404
    unknown = client.post(
        f"/projects/{pid}/members", json={"username": "nobody-here", "role": "viewer"}
    )
    assert unknown.status_code == 404


def test_label_classes_crud_and_in_use_class_is_kept(client, project):
    pid = project["id"]
    made = client.post(f"/projects/{pid}/classes", json={"name": "bird", "color": "#ABCDEF"})
    assert made.status_code == 201
    assert made.json()["color"] == "#abcdef"
    bad_colour = client.post(f"/projects/{pid}/classes", json={"name": "x", "color": "red"})
    assert bad_colour.status_code == 422
    renamed = client.patch(f"/projects/{pid}/classes/{made.json()['id']}", json={"name": "eagle"})
    assert renamed.json()["name"] == "eagle"
    clash = client.patch(f"/projects/{pid}/classes/{made.json()['id']}", json={"name": "cat"})
    assert clash.status_code == 409
    image = add_images(client, pid, 1)[0]
    used = project["classes"][0]["id"]
    client.post(
        f"/projects/{pid}/images/{image['id']}/annotations",
        json={"class_id": used, "box": [1, 1, 4, 4]},
    )
    refused = client.delete(f"/projects/{pid}/classes/{used}")
    assert refused.status_code == 409
    assert "used by 1 annotations" in refused.json()["detail"]
    assert client.delete(f"/projects/{pid}/classes/{made.json()['id']}").status_code == 204
    assert [c["name"] for c in client.get(f"/projects/{pid}/classes").json()] == ["cat", "dog"]


def test_owner_deletes_a_project(client):
    created = create_project(client)
    add_images(client, created["id"], 1)
    assert client.delete(f"/projects/{created['id']}").status_code == 204
    assert client.get(f"/projects/{created['id']}").status_code == 404
