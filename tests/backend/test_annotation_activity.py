"""GET /projects/{id}/annotations/activity: when each annotation was written, by whom and with
how much time — what the web client's loop timeline is computed from."""

from __future__ import annotations

from support.factories import add_images, annotate, create_project


def test_activity_lists_every_annotation_of_the_project_with_author_and_time(client, user, project):
    pid, cat = project["id"], project["classes"][0]["id"]
    first, second = add_images(client, pid, 2)
    drawn = client.post(
        f"/projects/{pid}/images/{first['id']}/annotations",
        json={"class_id": cat, "box": [1, 1, 10, 10], "time_spent_ms": 4200},
    ).json()
    other = annotate(client, pid, second["id"], cat)
    elsewhere = create_project(client)
    annotate(
        client,
        elsewhere["id"],
        add_images(client, elsewhere["id"], 1)[0]["id"],
        elsewhere["classes"][0]["id"],
    )

    answer = client.get(f"/projects/{pid}/annotations/activity")

    assert answer.status_code == 200, answer.text
    rows = answer.json()
    assert [r["id"] for r in rows] == [drawn["id"], other["id"]]
    assert rows[0]["time_spent_ms"] == 4200
    assert rows[0]["author_id"] == user.id
    assert rows[0]["source"] == "human"
    assert "box" not in rows[0]


def test_activity_follows_edits(client, project):
    pid, cat = project["id"], project["classes"][0]["id"]
    first, second = add_images(client, pid, 2)
    early = annotate(client, pid, first["id"], cat)
    late = annotate(client, pid, second["id"], cat)
    client.patch(f"/projects/{pid}/annotations/{early['id']}", json={"time_spent_ms": 900})

    rows = client.get(f"/projects/{pid}/annotations/activity").json()

    assert [r["id"] for r in rows] == [late["id"], early["id"]]
    assert rows[1]["time_spent_ms"] == 900
    assert rows[1]["updated_at"] >= rows[0]["updated_at"]


def test_activity_of_another_users_project_is_not_found(make_user, project):
    stranger = make_user()
    assert stranger.client.get(f"/projects/{project['id']}/annotations/activity").status_code == 404
