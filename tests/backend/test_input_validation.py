"""Bad input through the real API: numbers that are not finite (in JSON bodies, as strings, in
query parameters), boxes under a pixel, numbers beyond the database's range, and class names that
are empty or look like another class's. Each is refused with a 4xx naming the problem, and
nothing is stored."""

from __future__ import annotations

import pytest
from support.factories import add_images, annotate, create_project

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E+999"]


def raw(client, method: str, url: str, text: str):
    """A request with a JSON body written by hand (json= would refuse NaN)."""
    return client.request(
        method, url, content=text.encode(), headers={"Content-Type": "application/json"}
    )


@pytest.fixture
def image(client, project):
    return add_images(client, project["id"], 1, width=100, height=80)[0]


def boxes_of(client, project, image) -> list[list[float]]:
    url = f"/projects/{project['id']}/images/{image['id']}/annotations"
    return [a["box"] for a in client.get(url).json()]


@pytest.mark.parametrize("literal", NON_FINITE)
def test_a_non_finite_box_number_is_422_on_put_post_and_patch(client, project, image, literal):
    pid, iid, cat = project["id"], image["id"], project["classes"][0]["id"]
    kept = annotate(client, pid, iid, cat, [2, 2, 10, 10])
    writes = [
        (
            "PUT",
            f"/projects/{pid}/images/{iid}/annotations",
            f'{{"annotations": [{{"class_id": {cat}, "box": [{literal}, 10, 20, 20]}}]}}',
            ["body", "annotations", 0, "box", 0],
        ),
        (
            "POST",
            f"/projects/{pid}/images/{iid}/annotations",
            f'{{"class_id": {cat}, "box": [10, {literal}, 20, 20]}}',
            ["body", "box", 1],
        ),
        (
            "PATCH",
            f"/projects/{pid}/annotations/{kept['id']}",
            f'{{"box": [10, 10, {literal}, 20]}}',
            ["body", "box", 2],
        ),
    ]
    for method, url, body, loc in writes:
        answer = raw(client, method, url, body)
        assert answer.status_code == 422, (method, answer.text)
        [error] = answer.json()["detail"]
        assert error["loc"] == loc
        assert error["type"] == "finite_number"
        assert "finite" in error["msg"] and "NaN" in error["msg"]
    assert boxes_of(client, project, image) == [[2, 2, 10, 10]]


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-Infinity", "1e400"])
def test_a_non_finite_number_written_as_a_string_is_422(client, project, image, text):
    pid, iid, cat = project["id"], image["id"], project["classes"][0]["id"]
    answer = client.post(
        f"/projects/{pid}/images/{iid}/annotations",
        json={"class_id": cat, "box": [10, 10, text, 20]},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "box", 2]
    assert boxes_of(client, project, image) == []


def test_every_non_finite_number_of_a_body_is_named(client, project, image):
    pid, iid, cat = project["id"], image["id"], project["classes"][0]["id"]
    body = (
        f'{{"annotations": [{{"class_id": {cat}, "box": [1, 1, 5, 5]}}, '
        f'{{"class_id": {cat}, "box": [NaN, 1, Infinity, 5], "time_spent_ms": 1e999}}]}}'
    )
    answer = raw(client, "PUT", f"/projects/{pid}/images/{iid}/annotations", body)
    assert answer.status_code == 422
    assert sorted(tuple(e["loc"]) for e in answer.json()["detail"]) == [
        ("body", "annotations", 1, "box", 0),
        ("body", "annotations", 1, "box", 2),
        ("body", "annotations", 1, "time_spent_ms"),
    ]
    assert [e["input"] for e in answer.json()["detail"]] == ["NaN", "Infinity", "1e999"]
    assert boxes_of(client, project, image) == []


def test_non_finite_numbers_are_refused_on_every_route(client, project, worker):
    """The check is the app's, not a field's: routes with no float of their own refuse them too,
    and so does the worker API."""
    pid = project["id"]
    refused = [
        raw(client, "PATCH", f"/projects/{pid}", '{"settings": {"working_scale": NaN}}'),
        raw(client, "POST", "/tokens", '{"name": "t", "expires_in_days": Infinity}'),
        raw(client, "POST", "/tokens", '{"name": "t", "expires_in_days": 1e400}'),
        raw(client, "POST", f"/projects/{pid}/jobs", '{"kind": "adapt", "params": {"x": NaN}}'),
        raw(client, "POST", "/projects", '{"name": "p", "classes": [], "extra": -Infinity}'),
        raw(worker.http, "POST", "/workers/standin-1/heartbeat", '{"load": NaN}'),
    ]
    for answer in refused:
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["type"] == "finite_number"
    assert client.get(f"/projects/{pid}").json()["settings"]["working_scale"] is None
    assert all(token["name"] != "t" for token in client.get("/tokens").json())


def test_a_non_finite_float_query_parameter_is_422(client, project):
    for value in ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"]:
        answer = client.get(f"/projects/{project['id']}/predictions", params={"min_score": value})
        assert answer.status_code == 422, (value, answer.text)


def test_plain_json_and_other_bodies_still_pass(client, project, image):
    pid, iid, cat = project["id"], image["id"], project["classes"][0]["id"]
    body = f'{{"class_id": {cat}, "box": [1.5, 2e0, 1.0E1, 10], "time_spent_ms": 12}}'
    assert raw(client, "POST", f"/projects/{pid}/images/{iid}/annotations", body).status_code == 201
    not_json = raw(client, "POST", f"/projects/{pid}/images/{iid}/annotations", "{nope")
    assert not_json.status_code == 422
    assert not_json.json()["detail"][0]["type"] == "json_invalid"
    assert boxes_of(client, project, image) == [[1.5, 2.0, 10.0, 10.0]]


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"name": "a\\ud800b"}', "application/json"),  # half a surrogate pair
        (b'{"name\\udfff": "cat"}', "application/json"),
        (b'"\\ud800"', "application/json"),
        (b"\xff\xfe\x00", "application/json"),  # not UTF-8 (nor UTF-16) text
        (b"\x80 not text", "text/plain"),
        (b"[" * 5000, "application/json"),  # nested deeper than the parser goes
    ],
)
def test_a_body_that_is_not_text_is_422(client, project, body, content_type):
    answer = client.post(
        f"/projects/{project['id']}/classes", content=body, headers={"Content-Type": content_type}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][0] == "body"
    assert class_names(client, project) == ["cat", "dog"]


def test_a_surrogate_pair_is_one_character_and_passes(client, project):
    body = b'{"name": "smile \\ud83d\\ude42"}'
    answer = client.post(
        f"/projects/{project['id']}/classes",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 201
    assert answer.json()["name"] == "smile \U0001f642"


@pytest.mark.parametrize("box", [[10, 10, 0.5, 10], [10, 10, 10, 0.99], [10, 10, 0, 0]])
def test_a_box_under_one_pixel_is_422_on_put_post_and_patch(client, project, image, box):
    pid, iid, cat = project["id"], image["id"], project["classes"][0]["id"]
    kept = annotate(client, pid, iid, cat, [2, 2, 10, 10])
    answers = [
        client.put(
            f"/projects/{pid}/images/{iid}/annotations",
            json={"annotations": [{"class_id": cat, "box": box}]},
        ),
        client.post(
            f"/projects/{pid}/images/{iid}/annotations", json={"class_id": cat, "box": box}
        ),
        client.patch(f"/projects/{pid}/annotations/{kept['id']}", json={"box": box}),
    ]
    for answer in answers:
        assert answer.status_code == 422
        assert "at least 1 px" in str(answer.json()["detail"])
    assert boxes_of(client, project, image) == [[2, 2, 10, 10]]
    one_pixel = client.post(
        f"/projects/{pid}/images/{iid}/annotations", json={"class_id": cat, "box": [0, 0, 1, 1]}
    )
    assert one_pixel.status_code == 201


def test_numbers_beyond_the_databases_range_are_4xx(client, project, image):
    pid, iid = project["id"], image["id"]
    huge = 10**20
    answer = client.post(
        f"/projects/{pid}/images/{iid}/annotations", json={"class_id": huge, "box": [1, 1, 5, 5]}
    )
    assert answer.status_code == 422
    assert client.get(f"/projects/{huge}").status_code in (404, 422)
    assert client.delete(f"/projects/{pid}/images/{huge}").status_code in (404, 422)
    too_long = raw(
        client,
        "POST",
        f"/projects/{pid}/images/{iid}/annotations",
        '{"class_id": ' + "9" * 5000 + ', "box": [1, 1, 5, 5]}',
    )
    assert too_long.status_code == 422
    assert boxes_of(client, project, image) == []


def test_a_number_too_large_to_compute_with_is_422(client):
    """A token valid for 1e300 days, or infinitely many written as a string (pydantic reads "inf"
    into a float field that does not refuse it): 422, and no token is made."""
    before = client.get("/tokens").json()
    for days in ["inf", "Infinity", 1e300]:
        answer = client.post("/tokens", json={"name": "forever", "expires_in_days": days})
        assert answer.status_code == 422, answer.text
    assert client.get("/tokens").json() == before


def test_text_the_database_cannot_hold_is_refused_without_storing(client):
    """PostgreSQL's text holds no NUL character (SQLite does): 422 there, and nothing stored."""
    before = client.get("/projects").json()
    answer = client.post("/projects", json={"name": "a\x00b", "description": "\x00"})
    assert answer.status_code in (201, 422), answer.text
    if answer.status_code == 422:
        assert "NUL" in answer.json()["detail"]
        assert client.get("/projects").json() == before


# --- class names ---


def class_names(client, project) -> list[str]:
    return [c["name"] for c in client.get(f"/projects/{project['id']}/classes").json()]


@pytest.mark.parametrize("name", ["   ", "\t\n", "\u200b", " \u200b\u00a0\ufeff "])
def test_an_empty_class_name_is_422_on_create_rename_and_project_creation(client, project, name):
    pid, cat = project["id"], project["classes"][0]["id"]
    created = client.post(f"/projects/{pid}/classes", json={"name": name})
    assert created.status_code == 422
    assert "empty" in created.json()["detail"]
    renamed = client.patch(f"/projects/{pid}/classes/{cat}", json={"name": name})
    assert renamed.status_code == 422
    assert class_names(client, project) == ["cat", "dog"]
    before = len(client.get("/projects").json())
    new_project = client.post("/projects", json={"name": "p", "classes": [{"name": name}]})
    assert new_project.status_code == 422
    assert len(client.get("/projects").json()) == before


def test_class_names_are_trimmed(client, project):
    pid = project["id"]
    created = client.post(f"/projects/{pid}/classes", json={"name": "  big bird\u200b "})
    assert created.status_code == 201
    assert created.json()["name"] == "big bird"
    renamed = client.patch(f"/projects/{pid}/classes/{created.json()['id']}", json={"name": " owl"})
    assert renamed.json()["name"] == "owl"
    made = create_project(client, classes=[{"name": " gull "}, {"name": "\ttern"}])
    assert [c["name"] for c in made["classes"]] == ["gull", "tern"]


def test_a_class_name_with_control_characters_is_422(client, project):
    for name in ["c\x00at", "big\tdog", "two\nlines"]:
        answer = client.post(f"/projects/{project['id']}/classes", json={"name": name})
        assert answer.status_code == 422
        assert "control" in answer.json()["detail"]
    assert class_names(client, project) == ["cat", "dog"]


@pytest.mark.parametrize(
    "name",
    [
        "cat",
        "CAT",
        "Cat ",
        "c\u200bat",  # zero-width space
        "\uff43\uff41\uff54",  # full-width ｃａｔ
        "ca\u0074\u200d",
    ],
)
def test_a_class_name_that_looks_like_another_is_409_naming_it(client, project, name):
    pid, cat, dog = project["id"], project["classes"][0]["id"], project["classes"][1]["id"]
    created = client.post(f"/projects/{pid}/classes", json={"name": name})
    assert created.status_code == 409
    assert f"'cat' (id {cat})" in created.json()["detail"]
    renamed = client.patch(f"/projects/{pid}/classes/{dog}", json={"name": name})
    assert renamed.status_code == 409
    assert f"'cat' (id {cat})" in renamed.json()["detail"]
    assert class_names(client, project) == ["cat", "dog"]


def test_whitespace_runs_and_compatibility_forms_count_as_the_same_name(client, project):
    pid = project["id"]
    assert client.post(f"/projects/{pid}/classes", json={"name": "big dog"}).status_code == 201
    for look_alike in ["big  dog", "big \u2003dog", "BIG\u3000DOG", "big\u00a0dog"]:
        answer = client.post(f"/projects/{pid}/classes", json={"name": look_alike})
        assert answer.status_code == 409, look_alike
        assert "'big dog'" in answer.json()["detail"]
    ligature = client.post(f"/projects/{pid}/classes", json={"name": "o\ufb03ce"})  # ﬃ
    assert ligature.status_code == 201
    assert client.post(f"/projects/{pid}/classes", json={"name": "Office"}).status_code == 409
    assert class_names(client, project) == ["cat", "dog", "big dog", "o\ufb03ce"]


def test_renaming_a_class_to_another_case_of_its_own_name_is_allowed(client, project):
    pid, cat = project["id"], project["classes"][0]["id"]
    answer = client.patch(f"/projects/{pid}/classes/{cat}", json={"name": " Cat"})
    assert answer.status_code == 200
    assert class_names(client, project) == ["Cat", "dog"]


def test_look_alike_names_in_a_new_projects_class_list_are_422(client):
    before = len(client.get("/projects").json())
    answer = client.post(
        "/projects", json={"name": "p", "classes": [{"name": "Gull"}, {"name": " gull\u200b"}]}
    )
    assert answer.status_code == 422
    assert "repeated" in answer.json()["detail"]
    assert len(client.get("/projects").json()) == before
