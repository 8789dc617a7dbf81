"""More requests in flight than database connections plus API threads: every request is
answered (backend/api/admission.py). Without admission control the API's threads all wait for
connections held by requests that wait for a thread, until the pool's 30 s timeout fails them
with 500s. A real API process with a pool of 2 connections, real HTTP from 80 threads."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from support.factories import add_images, create_project, setup_admin

CLIENTS = 80  # above 2 connections + anyio's 40 threads
ROUNDS = 3


def test_requests_beyond_the_pool_and_the_threads_wait_their_turn_and_all_succeed(
    start_api_server,
):
    server = start_api_server(
        db_pool_size="2", db_max_overflow="0", api_admission_reserve="0", sweeper_enabled="false"
    )
    owner = setup_admin(server)
    project = create_project(owner.client)
    add_images(owner.client, project["id"], 3)
    path = f"/api/projects/{project['id']}/images"

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    with httpx.Client(
        base_url=server.url, headers=owner.headers, timeout=60.0, limits=limits
    ) as client:

        def read(_: int) -> list[int]:
            return [client.get(path).status_code for _ in range(ROUNDS)]

        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            codes = [code for codes in pool.map(read, range(CLIENTS)) for code in codes]
        elapsed = time.monotonic() - started
    assert codes == [200] * (CLIENTS * ROUNDS), sorted(set(codes))
    # a stall ends only at the pool's 30 s timeout
    assert elapsed < 25, f"{CLIENTS * ROUNDS} reads took {elapsed:.1f} s"
    assert "QueuePool limit" not in server.logs()
