"""No bearer token in a URL (issue 23, "Tokens in URLs"): image files, downloads and the event
stream take short-lived, single-purpose tickets, bound to one project and to the login they
came from; `?access_token=` is refused everywhere."""

from __future__ import annotations

import httpx
from support.factories import add_images, create_project, login
from test_events_replay import Listener


def files_ticket(client: httpx.Client, project_id: int) -> str:
    answer = client.post("/tickets", json={"purpose": "files", "project_id": project_id})
    assert answer.status_code == 201, answer.text
    assert 0 < answer.json()["expires_in"] <= 900
    return answer.json()["ticket"]


def test_a_files_ticket_reads_one_projects_files_only(api_server, user, make_user) -> None:
    mine = create_project(user.client)
    other = create_project(user.client)
    image = add_images(user.client, mine["id"], 1)[0]
    other_image = add_images(user.client, other["id"], 1)[0]
    anon = api_server.client()
    ticket = files_ticket(user.client, mine["id"])
    base = f"/projects/{mine['id']}/images/{image['id']}"
    for path in ("file", "thumbnail", "original"):
        answer = anon.get(f"{base}/{path}", params={"ticket": ticket})
        assert answer.status_code == 200, (path, answer.text)
    export = anon.get(f"/projects/{mine['id']}/exports", params={"ticket": ticket})
    assert export.status_code == 200
    elsewhere = anon.get(
        f"/projects/{other['id']}/images/{other_image['id']}/file", params={"ticket": ticket}
    )
    assert elsewhere.status_code == 403 and "ticket is for project" in elsewhere.json()["detail"]
    assert anon.get(f"{base}/file", params={"access_token": user.token}).status_code == 401
    assert anon.get(f"{base}/file", params={"ticket": ticket[:-2] + "xx"}).status_code == 401
    stranger = make_user()
    refused = stranger.client.post("/tickets", json={"purpose": "files", "project_id": mine["id"]})
    assert refused.status_code in (403, 404)
    assert anon.post("/tickets", json={"purpose": "events"}).status_code == 401
    # an events ticket is not a files ticket
    events = user.client.post("/tickets", json={"purpose": "events"}).json()["ticket"]
    assert anon.get(f"{base}/file", params={"ticket": events}).status_code == 401


def test_logout_ends_the_tickets_of_that_login(api_server, make_user) -> None:
    someone = make_user()
    session = login(api_server, someone.username, someone.password)  # a second login
    project = create_project(session.client)
    image = add_images(session.client, project["id"], 1)[0]
    ticket = files_ticket(session.client, project["id"])
    url = f"/projects/{project['id']}/images/{image['id']}/file"
    assert api_server.client().get(url, params={"ticket": ticket}).status_code == 200
    assert session.client.post("/auth/logout").status_code == 200
    after = api_server.client().get(url, params={"ticket": ticket})
    assert after.status_code == 401 and "log in again" in after.json()["detail"]
    # the other login's tickets still work
    still = files_ticket(someone.client, project["id"])
    assert api_server.client().get(url, params={"ticket": still}).status_code == 200


def test_an_events_ticket_opens_the_stream_and_logout_closes_it(api_server, make_user) -> None:
    someone = make_user()
    ticket = someone.client.post("/tickets", json={"purpose": "events"}).json()["ticket"]
    with httpx.Client(base_url=api_server.url, timeout=10) as anon:
        with anon.stream("GET", "/api/events", params={"ticket": ticket}) as stream:
            assert stream.status_code == 200
        refused = anon.get("/api/events", params={"access_token": someone.token})
        assert refused.status_code == 401
    listener = Listener(api_server.url, someone.token)  # a stream opened with the header
    assert someone.client.post("/auth/logout").status_code == 200
    assert listener.ended.wait(8)
    listener.close()


def test_the_web_session_is_an_httponly_cookie_and_writes_need_the_csrf_header(
    api_server, make_user
) -> None:
    someone = make_user()
    with httpx.Client(base_url=f"{api_server.url}/api", timeout=30) as browser:
        answer = browser.post(
            "/auth/login", json={"username": someone.username, "password": someone.password}
        )
        assert answer.status_code == 200, answer.text
        set_cookie = answer.headers["set-cookie"]
        assert set_cookie.startswith("metaloop_session=")
        for attribute in ("HttpOnly", "SameSite=strict", "Path=/api"):
            assert attribute.lower() in set_cookie.lower(), set_cookie
        assert browser.get("/users/me").json()["username"] == someone.username  # the cookie only
        refused = browser.post("/projects", json={"name": "from another site"})
        assert refused.status_code == 403 and "X-MetaLoop-CSRF" in refused.json()["detail"]
        made = browser.post("/projects", json={"name": "mine"}, headers={"X-MetaLoop-CSRF": "1"})
        assert made.status_code == 201, made.text
        image = add_images(someone.client, made.json()["id"], 1)[0]
        file_url = f"/projects/{made.json()['id']}/images/{image['id']}/file"
        assert browser.get(file_url).status_code == 200
        with browser.stream("GET", "/events") as stream:
            assert stream.status_code == 200
        out = browser.post("/auth/logout", headers={"X-MetaLoop-CSRF": "1"})
        assert out.status_code == 200 and "metaloop_session=" in out.headers["set-cookie"]
        assert browser.get("/users/me").status_code == 401


def _write_key(directory: str, barrier, out) -> None:  # in a child process
    from pathlib import Path

    from backend.services import tickets

    barrier.wait()
    out.put(tickets._key_file(Path(directory)))  # noqa: SLF001


def test_processes_starting_at_once_agree_on_one_written_key(tmp_path):
    """Several API processes making DATA_DIR/secret_key at the same moment: none reads a file
    another has created but not yet written (an empty key, cached for good, would make the
    tickets of one process fail in the others)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        directory = tmp_path / f"data-{attempt}"
        barrier, out = context.Barrier(8), context.Queue()
        children = [
            context.Process(target=_write_key, args=(str(directory), barrier, out))
            for _ in range(8)
        ]
        for child in children:
            child.start()
        keys = [out.get(timeout=30) for _ in children]
        for child in children:
            child.join(timeout=30)
        assert len(set(keys)) == 1 and len(keys[0]) == 64, keys
        assert (directory / "secret_key").read_text().strip() == keys[0]
        assert [p.name for p in directory.iterdir()] == ["secret_key"]  # no temporary left
        assert (directory / "secret_key").stat().st_mode & 0o777 == 0o600
