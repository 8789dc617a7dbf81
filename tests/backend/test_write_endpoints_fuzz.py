"""Every write endpoint, fuzzed: odd input never makes the server fail, and a refusal stores
nothing.

The endpoints are the app's own: every POST, PUT, PATCH and DELETE of its OpenAPI schema under
/api (built from its routes, so a new endpoint is fuzzed without touching this file), except the
worker API (its own client, tested in test_worker_api.py) and login. Hypothesis builds requests
from each endpoint's schema, mixing valid values (the ids of a project that holds classes,
images, annotations, a finished detect job with predictions, a member and a token) with odd ones:
NaN and infinity (as JSON literals, as strings, as overflowing numbers), numbers beyond any
database's range, empty, blank, zero-width, very long, control-character and lone-surrogate
strings, unknown fields, wrong types, odd path ids, odd If-Match headers, bodies that are not
JSON and uploads that are not images. For each request:

* no answer is a 5xx;
* on a 4xx the database is unchanged: row counts and a digest of every table's rows (less the
  columns that reading changes, like api_tokens.last_used_at) are the same before and after.

After a 2xx the fixtures are rebuilt where the request deleted or revoked them. Runs on the
test database (SQLite, or TEST_DATABASE_URL's server). With CI set the examples are the same on
every run (derandomize); locally each run explores new ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from support.factories import add_images, annotate, create_project, image_bytes, login, setup_admin
from support.server import ApiServer, api_with_fresh_database
from support.worker_standin import WorkerStandIn, detect_result

from backend.main import create_app

pytestmark = pytest.mark.timeout(300)

WRITE_METHODS = ("post", "put", "patch", "delete")
# per endpoint with a body (FUZZ_EXAMPLES=300 for a longer hunt); an endpoint of path ids only
# has fewer inputs
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
EXAMPLES_PATH_ONLY = max(5, EXAMPLES // 3)
# columns that change when a row is read or a worker is heard from, not when data is stored
VOLATILE = {("api_tokens", "last_used_at"), ("workers", "last_seen")}


def _skipped(path: str) -> bool:
    return path.startswith("/api/worker/") or path == "/api/auth/login"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any] = field(compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _schema() -> dict[str, Any]:
    return create_app().openapi()


SCHEMA = _schema()
OPERATIONS = [
    Operation(method.upper(), path, spec)
    for path, item in SCHEMA["paths"].items()
    if not _skipped(path)
    for method, spec in item.items()
    if method in WRITE_METHODS
]

# --- values ---


@dataclass(frozen=True)
class Ref:
    """The id of one of the world's rows, looked up when the request is sent."""

    name: str


@dataclass(frozen=True)
class Raw:
    """A JSON token written as is: NaN, Infinity, 1e400 (json.dumps cannot write them all)."""

    text: str


@dataclass(frozen=True)
class Png:
    """A small PNG, made unique when the request is sent."""


ODD_NUMBERS: list[Any] = [
    Raw("NaN"),
    Raw("Infinity"),
    Raw("-Infinity"),
    Raw("1e400"),
    Raw("-1e400"),
    Raw("1E+999"),
    Raw("9" * 5000),
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e400",
    1e308,
    -1e308,
    5e-324,
    -0.0,
    0,
    0.5,
    -1,
    1,
    2**31,
    -(2**31) - 1,
    2**53 + 1,
    2**63,
    -(2**63) - 1,
    10**30,
    True,
]
ODD_STRINGS: list[str] = [
    "",
    " ",
    "   ",
    "\t",
    "\n\r",
    "\u200b",
    "\u200b\u200d",
    "\ufeff",
    "\u00a0",
    "\u3000",
    "\x00",
    "a\x00b",
    "\x07\x1b[2J",
    "\ud800",
    "a\udfffb",
    "x" * 10_000,
    "é" * 1000,
    "\U0001f642" * 300,
    "NaN",
    "-1",
    "null",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\uff23\uff21\uff34",
    "cat\u200b",
]
UNKNOWN_KEYS = ["unknown", "", "\x00", "id", "project_id", "__proto__", "x" * 300]
ODD_PATH_VALUES: list[Any] = [
    0,
    -1,
    2**31,
    2**63,
    10**30,
    "abc",
    "1.5",
    "1e3",
    " ",
    "\x00",
    "ü",
    "NaN",
    "x" * 300,
]
ODD_IF_MATCH = ["", "*", '"1"', '"999999"', 'W/"1"', '"1", "2"', "garbage", "x" * 5000]

# which of the world's rows an id field or path parameter names
REFS = {
    "project_id": ["project"],
    "class_id": ["class", "other_class"],
    "class_ids": ["class", "other_class"],
    "image_id": ["image", "holdout_image", "unlabelled_image"],
    "image_ids": ["image", "holdout_image", "unlabelled_image"],
    "annotation_id": ["annotation"],
    "annotation_ids": ["annotation"],
    "job_id": ["job"],
    "source_job_id": ["job"],
    "user_id": ["member", "me"],
    "token_id": ["token", "login_token"],
    "model_id": ["model", "base_model"],
    "base_model_id": ["base_model"],
    "ids": ["prediction", "other_prediction"],
}

odd_number = st.sampled_from(ODD_NUMBERS)
odd_string = st.sampled_from(ODD_STRINGS)
any_odd: st.SearchStrategy[Any] = st.one_of(
    odd_number,
    odd_string,
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.lists(odd_number, max_size=4),
    st.dictionaries(st.sampled_from(UNKNOWN_KEYS), odd_number, max_size=2),
)


def _mostly(valid: st.SearchStrategy[Any], odd: st.SearchStrategy[Any] = any_odd):
    """Valid-looking values three times in four, so that requests get past the first check."""
    return st.integers(0, 3).flatmap(lambda i: odd if i == 0 else valid)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def from_schema(schema: dict[str, Any], name: str = "", depth: int = 0) -> st.SearchStrategy:
    """Values for a JSON schema: valid-looking ones and odd ones."""
    schema = _resolve(schema)
    if depth > 6:
        return any_odd
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        return st.one_of([from_schema(option, name, depth + 1) for option in options])
    if "const" in schema:
        return _mostly(st.just(schema["const"]))
    if "enum" in schema:
        return _mostly(st.sampled_from(schema["enum"]))
    kind = schema.get("type")
    if name in REFS and kind in ("integer", "array"):
        refs = st.sampled_from([Ref(r) for r in REFS[name]])
        if kind == "array":
            return _mostly(st.lists(st.one_of(refs, odd_number), max_size=3))
        return _mostly(refs, odd_number)
    if kind == "object" or "properties" in schema:
        return _mostly(_object(schema, depth))
    if kind == "array":
        if "prefixItems" in schema:
            items = [from_schema(item, "", depth + 1) for item in schema["prefixItems"]]
            return _mostly(st.tuples(*items).map(list))
        items = from_schema(schema.get("items", {}), "", depth + 1)
        low, high = (
            schema.get("minItems", 0),
            schema.get("maxItems", max(schema.get("minItems", 0), 4)),
        )
        return _mostly(st.lists(items, min_size=low, max_size=high), st.lists(items, max_size=6))
    if kind == "string":
        valid = (
            st.from_regex(schema["pattern"], fullmatch=True)
            if "pattern" in schema
            else st.text(max_size=12)
        )
        return _mostly(valid, st.one_of(odd_string, odd_string, any_odd))
    if kind == "number":
        return _mostly(st.floats(0, 60) | st.integers(-1, 100), odd_number)
    if kind == "integer":
        return _mostly(st.integers(-1, 100), odd_number)
    if kind == "boolean":
        return _mostly(st.booleans())
    if kind == "null":
        return _mostly(st.none())
    return any_odd


def _object(schema: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    properties = {
        key: from_schema(value, key, depth + 1)
        for key, value in schema.get("properties", {}).items()
    }
    required = set(schema.get("required", []))
    extra = schema.get("additionalProperties")

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, strategy in properties.items():
            wanted = draw(st.integers(0, 9)) > 0 if key in required else draw(st.booleans())
            if wanted:
                out[key] = draw(strategy)
        if isinstance(extra, dict) and draw(st.booleans()):
            out[draw(odd_string | st.text(max_size=8))] = draw(from_schema(extra, "", depth + 1))
        if draw(st.integers(0, 3)) == 0:
            out[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(any_odd)
        return out

    return build()


# --- requests ---


@dataclass
class Request:
    path_values: dict[str, Any]
    body: Any = None  # a JSON value (with Ref/Raw), raw bytes, or None
    content_type: str | None = "application/json"
    files: list[tuple[Any, Any]] | None = None  # multipart: [(file name, content)]
    form: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: str = "me"


ODD_BODIES = [b"", b"null", b"[]", b'"text"', b"{", b"\xff\xfe\x00", b"[" * 5000, b"1e400"]


def request_strategy(operation: Operation) -> st.SearchStrategy[Request]:
    spec = operation.spec
    path_params = [p for p in spec.get("parameters", []) if p["in"] == "path"]
    headers = [p for p in spec.get("parameters", []) if p["in"] == "header"]
    content = spec.get("requestBody", {}).get("content", {})

    def path_value(name: str) -> st.SearchStrategy[Any]:
        refs = [Ref(r) for r in REFS.get(name, [])]
        if not refs:
            return st.sampled_from(ODD_PATH_VALUES) | st.text(max_size=8)
        return _mostly(st.sampled_from(refs), st.sampled_from(ODD_PATH_VALUES))

    @st.composite
    def build(draw: st.DrawFn) -> Request:
        request = Request({p["name"]: draw(path_value(p["name"])) for p in path_params})
        request.auth = draw(st.sampled_from(["me"] * 8 + ["none", "garbage"]))
        for header in headers:
            if draw(st.booleans()):
                request.headers[header["name"]] = draw(st.sampled_from(ODD_IF_MATCH))
        if "multipart/form-data" in content and draw(st.integers(0, 5)) > 0:
            files = st.tuples(
                odd_string.filter(lambda s: "\ud800" not in s and "\udfff" not in s)
                | st.sampled_from(["a.png", "b.jpg", "", ".."]),
                st.one_of(st.just(Png()), st.binary(max_size=64), st.just(b"")),
            )
            request.files = draw(st.lists(files, max_size=3))
            request.form = {"pool": draw(st.sampled_from(["adapt", "holdout", "", "x" * 300]))}
            request.content_type = None
            return request
        if content or draw(st.integers(0, 4)) == 0:
            schema = next(iter(content.values()), {}).get("schema", {})
            if draw(st.integers(0, 7)) == 0:
                request.body = draw(st.sampled_from(ODD_BODIES))
                request.content_type = draw(st.sampled_from(["application/json", "text/plain"]))
            else:
                request.body = draw(from_schema(schema))
        return request

    return build()


def encode(value: Any, ids: dict[str, int]) -> str:
    """JSON text of a generated value (Ref: the world's id, Raw: the token itself)."""
    if isinstance(value, Ref):
        return str(ids[value.name])
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}: {encode(v, ids)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(encode(v, ids) for v in value) + "]"
    return json.dumps(value)


def _png() -> bytes:
    return image_bytes(color=(*uuid.uuid4().bytes[:3],))


# --- the world: a project that holds a bit of everything ---


class World:
    def __init__(self, server: ApiServer, engine: sa.Engine) -> None:
        self.server = server
        self.engine = engine
        self.metadata = sa.MetaData()
        self.metadata.reflect(engine)
        self.http = httpx.Client(timeout=60)  # the fuzzed requests (no token of its own)
        server.clients.append(self.http)  # closed with the server
        self.admin = setup_admin(server)
        self.client = self.admin.client
        self.standin = WorkerStandIn(server)
        self.standin.register()
        answer = self.client.post(
            "/users",
            json={"username": f"member-{uuid.uuid4().hex[:6]}", "password": "member-password"},
        )
        answer.raise_for_status()
        self.member_id = answer.json()["id"]
        self.ids: dict[str, int] = {}
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.requests = 0
        self.rebuilds = 0
        self._fingerprint: dict[str, tuple[int, str]] | None = None
        self.ensure()
        self.started = time.monotonic()

    # fixtures

    def _ok(self, answer: httpx.Response) -> httpx.Response:
        assert answer.status_code < 300, (
            f"{answer.request.method} {answer.request.url}: {answer.text}"
        )
        return answer

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.scalars(sa.text(sql), params))

    def _alive(self, table: str, key: str, where: str = "") -> bool:
        if key not in self.ids:
            return False
        sql = f"SELECT id FROM {table} WHERE id = :id {where}"
        params = {"id": self.ids[key], "p": self.ids.get("project"), "image": self.ids.get("image")}
        return bool(self._rows(sql, **{k: v for k, v in params.items() if f":{k}" in sql}))

    def ensure(self) -> None:
        """(Re)make what a request may have deleted or revoked: looked up in the database (fast),
        made again through the API."""
        ids = self.ids
        if not self._alive("api_tokens", "login_token", "AND revoked_at IS NULL"):
            if "login_token" in ids:  # logged out, or its token revoked
                self.admin = login(self.server, self.admin.username, self.admin.password)
                self.client = self.admin.client
            ids["login_token"] = self._rows("SELECT max(id) FROM api_tokens")[0]
        client = self.client
        ids.update(me=self.admin.id, member=self.member_id)
        owner = self._rows(
            "SELECT role FROM project_members WHERE project_id = :p AND user_id = :u",
            p=ids.get("project", 0),
            u=self.admin.id,
        )
        if not self._alive("projects", "project") or owner != ["owner"]:
            self.rebuilds += 1
            for key in set(ids) - {"login_token", "me", "member", "token"}:
                del ids[key]
            ids["project"] = create_project(client)["id"]
        pid = ids["project"]
        in_project = "AND project_id = :p"
        if not self._alive("label_classes", "class", in_project) or not self._alive(
            "label_classes", "other_class", in_project
        ):
            classes = self._rows("SELECT id FROM label_classes WHERE project_id = :p", p=pid)
            while len(classes) < 2:
                name = {"name": uuid.uuid4().hex[:8]}
                classes.append(
                    self._ok(client.post(f"/projects/{pid}/classes", json=name)).json()["id"]
                )
            ids["class"], ids["other_class"] = sorted(classes)[:2]
        if not self._alive("images", "image", in_project):
            ids["image"] = add_images(client, pid, 1, width=100, height=80)[0]["id"]
        if not self._alive("images", "holdout_image", in_project):
            holdout = add_images(client, pid, 1, pool="holdout", width=100, height=80)[0]
            annotate(client, pid, holdout["id"], ids["class"], [5, 5, 20, 20])
            ids["holdout_image"] = holdout["id"]
        if not self._alive("annotations", "annotation", "AND image_id = :image"):
            ids["annotation"] = annotate(client, pid, ids["image"], ids["class"])["id"]
        if not self._alive("images", "unlabelled_image", in_project) or not self._alive(
            "jobs", "job", in_project
        ):
            ids["unlabelled_image"] = add_images(client, pid, 1, width=100, height=80)[0]["id"]
            self._detect(pid)
        predictions = self._rows(
            "SELECT id FROM predictions WHERE job_id = :job ORDER BY id", job=ids["job"]
        )
        found = [*predictions, ids.get("prediction", 1), ids.get("prediction", 1)]
        ids["prediction"], ids["other_prediction"] = found[:2]
        members = self._rows(
            "SELECT user_id FROM project_members WHERE project_id = :p AND user_id = :u",
            p=pid,
            u=self.member_id,
        )
        if not members:
            member = {"user_id": self.member_id, "role": "annotator"}
            self._ok(client.post(f"/projects/{pid}/members", json=member))
        if not self._alive("api_tokens", "token", "AND revoked_at IS NULL"):
            ids["token"] = self._ok(client.post("/tokens", json={"name": "fuzz"})).json()["id"]
        if "base_model" not in ids:
            ids["base_model"] = self._ok(client.get("/models")).json()[0]["id"]
        models = self._rows("SELECT id FROM models WHERE project_id = :p ORDER BY id", p=pid)
        ids["model"] = models[0] if models else ids["base_model"]
        self._fingerprint = None

    def _detect(self, pid: int) -> None:
        """A detect job over the unlabelled image, finished by the worker stand-in."""
        job = self.client.post(
            f"/projects/{pid}/jobs",
            json={"kind": "detect", "params": {"image_ids": [self.ids["unlabelled_image"]]}},
        )
        if job.status_code != 201:  # a job's params may change shape: any detect job will do
            job = self.client.post(f"/projects/{pid}/jobs", json={"kind": "detect"})
        job = self._ok(job).json()
        self.ids["job"] = job["id"]
        for task in job["tasks"]:
            spec = self.standin.start_ok(task["id"])
            result = detect_result(spec, [[0.9, 0.4]] * len(spec["images"]))
            self._ok(self.standin.result(task["id"], spec["attempt_token"], result))

    # the database

    def fingerprint(self) -> dict[str, tuple[int, str]]:
        """Row count and a digest of the rows of every table."""
        out = {}
        with self.engine.connect() as connection:
            for table in sorted(self.metadata.tables.values(), key=lambda t: t.name):
                columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
                order = list(table.primary_key.columns) or columns
                rows = connection.execute(sa.select(*columns).order_by(*order)).all()
                out[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return out

    # one request

    def send(self, operation: Operation, request: Request) -> httpx.Response:
        path = operation.path.removeprefix("/api")
        for name, value in request.path_values.items():
            value = self.ids[value.name] if isinstance(value, Ref) else value
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        headers = dict(request.headers)
        if request.auth == "me":
            headers["Authorization"] = f"Bearer {self.admin.token}"
        elif request.auth == "garbage":
            headers["Authorization"] = "Bearer not-a-token"
        kwargs: dict[str, Any] = {}
        if request.files is not None:
            files = [
                ("files", (name, _png() if isinstance(content, Png) else content))
                for name, content in request.files
            ]
            kwargs["files"] = files or None
            kwargs["data"] = request.form
        elif isinstance(request.body, bytes):
            kwargs["content"] = request.body
        elif request.body is not None:
            kwargs["content"] = encode(request.body, self.ids).encode("utf-8", "surrogatepass")
        if request.content_type and "content" in kwargs:
            headers["Content-Type"] = request.content_type
        url = f"{self.server.url}/api{path}"
        built = self.http.build_request(operation.method, url, headers=headers, **kwargs)
        built.read()
        note(f"{operation.method} {built.url}\nheaders: {dict(built.headers)}")
        note(f"body: {built.content[:1500]!r}")
        return self.http.send(built)

    def check(self, operation: Operation, request: Request) -> None:
        before = self._fingerprint or self.fingerprint()
        answer = self.send(operation, request)
        self.requests += 1
        self.statuses[str(operation)][answer.status_code] += 1
        note(f"answer {answer.status_code}: {answer.text[:1500]}")
        assert answer.status_code < 500, f"{operation} answered {answer.status_code}"
        if answer.status_code >= 400:
            after = self.fingerprint()
            changed = sorted(t for t in after if after[t] != before.get(t))
            assert not changed, f"{operation} answered {answer.status_code} but changed {changed}"
            self._fingerprint = after
        else:
            self.ensure()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[World]:
    directory = tmp_path_factory.mktemp("fuzz")
    # jobs the fuzzed POST /jobs makes stay queued (no worker): no per-user quota here, which
    # would otherwise refuse the world's own set-up once hypothesis had made 20 of them
    with api_with_fresh_database(
        directory, redis_url, True, sweeper_enabled="false", max_active_jobs_per_user="1000000"
    ) as server:
        engine = sa.create_engine(server.env["DATABASE_URL"])
        try:
            yield World(server, engine)
        finally:
            engine.dispose()


def test_the_fuzzed_endpoints_are_the_apps_write_endpoints(world):
    """The live server's schema has the same write endpoints as the app the list was made from,
    and the list is not empty (the fuzz tests below are parametrized by it)."""
    live = httpx.get(f"{world.server.url}/api/openapi.json").json()
    served = sorted(
        f"{m.upper()} {p}"
        for p, item in live["paths"].items()
        if not _skipped(p)
        for m in item
        if m in WRITE_METHODS
    )
    assert served == sorted(str(o) for o in OPERATIONS)
    assert len(OPERATIONS) >= 20


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_odd_input_is_never_a_5xx_and_a_refusal_stores_nothing(world, operation):
    has_body = "requestBody" in operation.spec
    examples = EXAMPLES if has_body else EXAMPLES_PATH_ONLY

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=list(HealthCheck),
    )
    @given(request_strategy(operation))
    def fuzz(request: Request) -> None:
        world.check(operation, request)

    fuzz()
    assert sum(world.statuses[str(operation)].values()) >= 1


def test_summary(world):
    """Most requests were refused (odd input is the point); the numbers per endpoint go to the
    test log (-s shows them)."""
    if not world.requests:
        pytest.skip("no endpoint was fuzzed in this run")
    elapsed = time.monotonic() - world.started
    refused = sum(
        count
        for counts in world.statuses.values()
        for status, count in counts.items()
        if 400 <= status < 500
    )
    lines = [
        f"{world.requests} requests ({refused} refused) in {elapsed:.1f} s, "
        f"{world.rebuilds} rebuilds of the fixtures"
    ]
    for operation in OPERATIONS:
        counts = world.statuses[str(operation)]
        lines.append(f"  {operation}: {dict(sorted(counts.items()))}")
    print("\n".join(lines))
    assert refused > world.requests / 2
