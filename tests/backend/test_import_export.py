"""COCO, Pascal VOC and YOLO import and export (issue 22, items 1 and 2), through the real API:
round trips per format, the real deepforest VOC files and the letters generator's COCO file go
in whole, and a broken import stores nothing and names the bad item."""

from __future__ import annotations

import importlib.util
import io
import json
import math
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from support.factories import add_images, create_project, image_bytes, upload_images
from support.worker_standin import detect_result

SIZES = {"a.png": (80, 60), "b.jpg": (64, 48), "c.png": (50, 70)}
BOXES = {  # file → (class, [x, y, w, h], pool)
    "a.png": [("cat", [2.5, 3.25, 20.0, 10.5]), ("dog", [40, 30, 39.5, 29.75])],
    "b.jpg": [("bird", [0, 0, 64, 48])],
    "c.png": [],
}
POOLS = {"a.png": "adapt", "b.jpg": "adapt", "c.png": "holdout"}


def _image(name: str) -> bytes:
    width, height = SIZES[name]
    color = (len(name) * 30 % 256, ord(name[0]), 90)
    return image_bytes(width, height, fmt="JPEG" if name.endswith(".jpg") else "PNG", color=color)


def make_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def coco_dataset() -> dict:
    classes = ["cat", "dog", "bird"]
    images, annotations = [], []
    for i, name in enumerate(SIZES, 1):
        width, height = SIZES[name]
        images.append(
            {"id": i, "file_name": name, "width": width, "height": height, "pool": POOLS[name]}
        )
        for label, box in BOXES[name]:
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": i,
                    "category_id": classes.index(label) + 1,
                    "bbox": box,
                    "area": box[2] * box[3],
                    "iscrowd": 0,
                }
            )
    categories = [{"id": i + 1, "name": n} for i, n in enumerate(classes)]
    return {"images": images, "annotations": annotations, "categories": categories}


def coco_zip() -> bytes:
    files = {"annotations.json": json.dumps(coco_dataset()).encode()}
    files.update({f"images/{name}": _image(name) for name in SIZES})
    return make_zip(files)


@dataclass
class Outcome:
    """An import as a client sees it: the POST's status (202: a job started; 4xx: refused at
    once), then the job's end state with its report or its refusal (problems)."""

    http_status: int
    state: str | None = None
    report: dict | None = None
    refusal: dict | None = None
    job: dict = field(default_factory=dict)
    error: str | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None and self.report is None


def wait_for_import(client: httpx.Client, project_id: int, job_id: int, seconds=60.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        outcome = client.get(f"/projects/{project_id}/imports/{job_id}").json()
        if outcome["state"] in ("succeeded", "failed", "cancelled"):
            return outcome
        assert time.monotonic() < deadline, outcome
        time.sleep(0.05)


def do_import(
    client: httpx.Client, project_id: int, data: bytes, name="data.zip", **form
) -> Outcome:
    """POST the import and wait for its job."""
    form = {k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()}
    answer = client.post(
        f"/projects/{project_id}/imports",
        data=form,
        files={"file": (name, data, "application/octet-stream")},
    )
    if answer.status_code != 202:
        assert 400 <= answer.status_code < 500, answer.text
        body = answer.json()
        return Outcome(answer.status_code, refusal=body if isinstance(body, dict) else None)
    job = answer.json()
    assert job["kind"] == "import" and job["state"] in ("queued", "running"), job
    outcome = wait_for_import(client, project_id, job["id"])
    return Outcome(
        202, outcome["state"], outcome["report"], outcome["refusal"], job, outcome["error"]
    )


def contents(client: httpx.Client, project_id: int) -> dict[str, tuple[str, str, list]]:
    """file name → (pool, state, sorted [(class name, box)])."""
    classes = {c["id"]: c["name"] for c in client.get(f"/projects/{project_id}/classes").json()}
    images = client.get(f"/projects/{project_id}/images", params={"limit": 1000}).json()["items"]
    out = {}
    for image in images:
        boxes = client.get(f"/projects/{project_id}/images/{image['id']}/annotations").json()
        out[image["file_name"]] = (
            image["pool"],
            image["state"],
            sorted((classes[b["class_id"]], b["box"]) for b in boxes),
        )
    return out


def counts(client: httpx.Client, project_id: int) -> tuple[int, int]:
    state = contents(client, project_id)
    return len(state), sum(len(boxes) for _, _, boxes in state.values())


def same_boxes(got: list, want: list, tolerance: float) -> bool:
    return len(got) == len(want) and all(
        a == c and all(abs(p - q) <= tolerance for p, q in zip(b, d, strict=True))
        for (a, b), (c, d) in zip(sorted(got), sorted(want), strict=True)
    )


def test_coco_import_stores_images_boxes_classes_and_pools(client: httpx.Client) -> None:
    project = create_project(client)
    answer = do_import(client, project["id"], coco_zip(), add_classes=True)
    assert answer.state == "succeeded", answer
    report = answer.report
    assert report["images_added"] == 3 and report["annotations"] == 3
    assert report["classes_added"] == ["bird"] and report["pools"] == {"adapt": 2, "holdout": 1}
    state = contents(client, project["id"])
    for name, boxes in BOXES.items():
        pool, image_state, got = state[name]
        assert pool == POOLS[name] and image_state == "complete"
        assert same_boxes(got, [(c, b) for c, b in boxes], 1e-9)


@pytest.mark.parametrize("fmt", ["coco", "voc", "yolo"])
def test_round_trip(client: httpx.Client, fmt: str, tmp_path: Path) -> None:
    first = create_project(client)
    assert do_import(client, first["id"], coco_zip(), add_classes=True).state == "succeeded"
    exported = client.get(
        f"/projects/{first['id']}/exports", params={"format": fmt, "pool": "all", "images": True}
    )
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    second = create_project(client, classes=[])
    answer = do_import(client, second["id"], exported.content, format=fmt, add_classes=True)
    assert answer.state == "succeeded", answer
    assert answer.report["images_added"] == 3, names
    before, after = contents(client, first["id"]), contents(client, second["id"])
    tolerance = 0.5 if fmt == "yolo" else 1e-6
    assert sorted(before) == sorted(after)
    for name in before:
        assert before[name][:2] == after[name][:2], name  # pool and state
        assert same_boxes(after[name][2], before[name][2], tolerance), name
    originals = {name: _image(name) for name in SIZES}
    with zipfile.ZipFile(io.BytesIO(exported.content)) as zf:
        for member in zf.namelist():
            base = member.rsplit("/", 1)[-1]
            if base in originals:
                assert zf.read(member) == originals[base]  # the files as uploaded


def test_exported_coco_loads_in_pycocotools_without_warnings(
    client: httpx.Client, tmp_path: Path
) -> None:
    from pycocotools.coco import COCO

    project = create_project(client)
    assert do_import(client, project["id"], coco_zip(), add_classes=True).state == "succeeded"
    exported = client.get(f"/projects/{project['id']}/exports", params={"images": False})
    path = tmp_path / "annotations.json"
    path.write_bytes(zipfile.ZipFile(io.BytesIO(exported.content)).read("annotations.json"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coco = COCO(str(path))
    assert len(coco.getImgIds()) == 3 and len(coco.getAnnIds()) == 3
    assert {c["name"] for c in coco.loadCats(coco.getCatIds())} == {"cat", "dog", "bird"}


def deepforest_data() -> Path:
    spec = importlib.util.find_spec("deepforest")
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0]) / "data"


def test_deepforest_voc_files_import_with_every_box(client: httpx.Client) -> None:
    """The package's XML files with its PNG images, exactly as it ships them: OSBS_029.xml names
    OSBS_029.tif and pairs with OSBS_029.png by stem; the largest image (15 MB, 574 boxes) goes
    in too."""
    import xml.etree.ElementTree as ET

    files, expected = {}, {}
    for xml in sorted(deepforest_data().glob("*.xml")):
        image = xml.with_suffix(".png")
        files[xml.name] = xml.read_bytes()
        files[image.name] = image.read_bytes()
        expected[image.name] = len(ET.parse(xml).getroot().findall("object"))
    assert ET.parse(deepforest_data() / "OSBS_029.xml").findtext("filename") == "OSBS_029.tif"
    assert len(expected) == 4 and sum(expected.values()) == 574 + 279 + 61 + 37, expected
    project = create_project(client, classes=[{"name": "Tree", "color": "#00aa00"}])
    answer = do_import(client, project["id"], make_zip(files), add_classes=True)
    assert answer.state == "succeeded", answer
    assert answer.report["annotations"] == sum(expected.values())
    assert answer.report["skipped_files"] == []
    state = contents(client, project["id"])
    assert {name: len(boxes) for name, (_, _, boxes) in state.items()} == expected


def voc_xml(file_name: str, width: int, height: int, label: str = "cat") -> bytes:
    from backend.services.formats import voc

    return voc.document(file_name, width, height, [(label, [1, 2, 10, 12], None)])


def test_a_voc_image_is_found_by_stem_when_its_filename_names_no_image(
    client: httpx.Client,
) -> None:
    """<filename> first; else the one image of its stem (upload, then project); else the one of
    the XML file's stem; several candidates are refused, naming them."""
    project = create_project(client)
    pid = project["id"]
    png = {n: image_bytes(40, 30, color=(i, 9, 9)) for i, n in enumerate(["a", "b", "c", "d"])}
    files = {
        "a.xml": voc_xml("a.tif", 40, 30),  # → a.png (the filename's stem)
        "other.xml": voc_xml("nothing.jpg", 40, 30),  # → other.png (the XML's own stem)
        "a.png": png["a"],
        "other.png": png["b"],
    }
    answer = do_import(client, pid, make_zip(files))
    assert answer.state == "succeeded", answer
    assert answer.report["images_added"] == 2 and answer.report["skipped_files"] == []
    assert {name: len(boxes) for name, (_, _, boxes) in contents(client, pid).items()} == {
        "a.png": 1,
        "other.png": 1,
    }
    # a lone XML file whose filename's stem is a project image's
    lone = do_import(client, pid, voc_xml("a.jpeg", 40, 30, "dog"), name="a.xml")
    assert lone.state == "succeeded", lone
    assert lone.report["images_matched"] == 1 and lone.report["images_added"] == 0
    assert contents(client, pid)["a.png"][2] == [("dog", [1.0, 2.0, 10.0, 12.0])]
    # the name as written wins over a stem match in the upload: a.png is in the project
    exact = do_import(client, pid, make_zip({"x.xml": voc_xml("a.png", 40, 30), "x.png": png["c"]}))
    assert exact.state == "succeeded", exact
    assert exact.report["images_matched"] == 1 and exact.report["skipped_files"] == ["x.png"]
    # several images of the stem: refused, naming them
    several = do_import(
        client,
        pid,
        make_zip(
            {"q.xml": voc_xml("q.tif", 40, 30), "q.png": png["c"], "img/q.jpg": png["d"]}
        ),  # fmt: skip
    )
    assert several.refused, several
    (problem,) = several.refusal["problems"]
    assert problem["item"] == "q.xml"
    assert "'q.tif'" in problem["reason"] and "['img/q.jpg', 'q.png']" in problem["reason"]
    # nothing of either stem anywhere
    none = do_import(client, pid, make_zip({"r.xml": voc_xml("s.tif", 40, 30), "t.png": png["c"]}))
    assert none.refused, none
    (problem,) = none.refusal["problems"]
    assert "'s.tif' is neither in the upload nor in the project" in problem["reason"]
    assert "s.* or r.*" in problem["reason"]


def test_a_coco_file_name_falls_back_to_the_one_image_of_its_stem(client: httpx.Client) -> None:
    project = create_project(client)
    dataset = coco_dataset()
    dataset["images"][0]["file_name"] = "images/a.tif"  # a.png is in the upload
    files = {"annotations.json": json.dumps(dataset).encode()}
    files.update({f"images/{name}": _image(name) for name in SIZES})
    answer = do_import(client, project["id"], make_zip(files), add_classes=True)
    assert answer.state == "succeeded", answer
    assert answer.report["images_added"] == 3 and answer.report["skipped_files"] == []
    assert same_boxes(contents(client, project["id"])["a.png"][2], BOXES["a.png"], 1e-9)


def project_class_names(client: httpx.Client, project_id: int) -> list[str]:
    return [c["name"] for c in client.get(f"/projects/{project_id}/classes").json()]


def test_new_classes_follow_the_files_class_order(client: httpx.Client) -> None:
    """COCO: by category id (not first use); YOLO: the class list's order; VOC: first use (files
    in the zip's order)."""
    names = {1: "A", 2: "L", 3: "Q", 4: "T"}
    categories = [{"id": i, "name": names[i]} for i in (2, 1, 4, 3)]  # listed out of id order
    used = [2, 3, 4, 1]  # L, Q, T, A: first use differs from id order
    dataset = {
        "images": [{"id": 1, "file_name": "a.png", "width": 80, "height": 60}],
        "annotations": [
            {"id": n + 1, "image_id": 1, "category_id": c, "bbox": [n * 10, 1, 5, 5]}
            for n, c in enumerate(used)
        ],
        "categories": categories,
    }
    files = {"annotations.json": json.dumps(dataset).encode(), "a.png": _image("a.png")}
    coco_project = create_project(client, classes=[{"name": "q", "color": "#ff0000"}])
    answer = do_import(client, coco_project["id"], make_zip(files), add_classes=True)
    assert answer.state == "succeeded", answer
    assert answer.report["classes_added"] == ["A", "L", "T"]  # q is Q, already there
    assert project_class_names(client, coco_project["id"]) == ["q", "A", "L", "T"]

    yolo_files = {
        "data.yaml": b"names: [zeta, alpha, mid]\n",
        "images/a.png": _image("a.png"),
        "labels/a.txt": b"2 0.5 0.5 0.1 0.1\n0 0.3 0.3 0.1 0.1\n1 0.7 0.7 0.1 0.1\n",
    }
    yolo_project = create_project(client, classes=[])
    answer = do_import(client, yolo_project["id"], make_zip(yolo_files), add_classes=True)
    assert answer.state == "succeeded", answer
    assert project_class_names(client, yolo_project["id"]) == ["zeta", "alpha", "mid"]

    voc_files = {"b.xml": voc_xml("a.png", 80, 60, "owl"), "a.xml": voc_xml("c.png", 50, 70)}
    voc_files.update({"a.png": _image("a.png"), "c.png": _image("c.png")})
    voc_project = create_project(client, classes=[])
    answer = do_import(client, voc_project["id"], make_zip(voc_files), add_classes=True)
    assert answer.state == "succeeded", answer
    assert project_class_names(client, voc_project["id"]) == ["owl", "cat"]  # b.xml comes first


def test_letters_generator_coco_imports(client: httpx.Client, tmp_path: Path) -> None:
    from worker.engine.data.letters import SceneConfig, iter_scenes, write_coco

    classes = ["C", "F", "K"]
    scenes = list(iter_scenes(3, classes, 6, SceneConfig(image_size=96)))
    path = write_coco(scenes, classes, tmp_path / "letters")
    dataset = json.loads(path.read_text())
    files = {p.relative_to(path.parent).as_posix(): p.read_bytes() for p in path.parent.rglob("*")
             if p.is_file()}  # fmt: skip
    project = create_project(client, classes=[])
    answer = do_import(client, project["id"], make_zip(files), add_classes=True, pool="holdout")
    assert answer.state == "succeeded", answer
    report = answer.report
    assert report["images_added"] == 6 and report["annotations"] == len(dataset["annotations"])
    assert report["pools"] == {"holdout": 6}
    state = contents(client, project["id"])
    by_file = {i["file_name"].rsplit("/", 1)[-1]: i["id"] for i in dataset["images"]}
    for name, image_id in by_file.items():
        want = [
            (classes[a["category_id"] - 1], a["bbox"])
            for a in dataset["annotations"]
            if a["image_id"] == image_id
        ]
        assert same_boxes(state[name][2], want, 1e-6), name


def thousand_boxes_zip(bad: int | None) -> bytes:
    images = [{"id": i + 1, "file_name": f"img{i}.png", "width": 100, "height": 100}
              for i in range(10)]  # fmt: skip
    annotations = []
    for n in range(1000):
        box = [float(n % 50), float(n % 40), 10.0, 12.0]
        if n == bad:
            box[1] = math.nan
        annotations.append({"id": n + 1, "image_id": n % 10 + 1, "category_id": 1, "bbox": box})
    dataset = {"images": images, "annotations": annotations,
               "categories": [{"id": 1, "name": "cat"}]}  # fmt: skip
    files = {"annotations.json": json.dumps(dataset).encode()}  # NaN, as Python writes it
    for i in range(10):
        files[f"img{i}.png"] = image_bytes(100, 100, color=(i, 2 * i, 3 * i))
    return make_zip(files)


def test_one_nan_among_a_thousand_refuses_all(client: httpx.Client) -> None:
    project = create_project(client)
    before = counts(client, project["id"])
    answer = do_import(client, project["id"], thousand_boxes_zip(bad=536))
    assert answer.refused
    body = answer.refusal
    assert body["problem_count"] == 1
    assert "annotation id 537" in body["problems"][0]["item"]
    assert "finite" in body["problems"][0]["reason"]
    assert counts(client, project["id"]) == before == (0, 0)
    good = do_import(client, project["id"], thousand_boxes_zip(bad=None))
    assert good.state == "succeeded" and good.report["annotations"] == 1000


def test_an_image_that_does_not_decode_refuses_all(client: httpx.Client) -> None:
    project = create_project(client)
    dataset = coco_dataset()
    files = {"annotations.json": json.dumps(dataset).encode()}
    files.update({name: _image(name) for name in SIZES})
    files["b.jpg"] = _image("b.jpg")[:200]  # truncated
    answer = do_import(client, project["id"], make_zip(files), add_classes=True)
    assert answer.refused
    problems = answer.refusal["problems"]
    assert [p["item"] for p in problems] == ["b.jpg"], problems
    assert counts(client, project["id"]) == (0, 0)
    assert [c["name"] for c in client.get(f"/projects/{project['id']}/classes").json()] == [
        "cat",
        "dog",
    ]  # bird was not added either


def test_unknown_classes_are_refused_unless_added(client: httpx.Client) -> None:
    project = create_project(client)
    answer = do_import(client, project["id"], coco_zip())
    assert answer.refused
    assert "'bird' is not in the project" in answer.refusal["problems"][0]["reason"]
    assert counts(client, project["id"]) == (0, 0)


def test_boxes_out_by_under_a_pixel_are_clipped_and_more_refused(client: httpx.Client) -> None:
    project = create_project(client)
    dataset = coco_dataset()
    dataset["annotations"] = [
        {"id": 7, "image_id": 1, "category_id": 1, "bbox": [-0.5, 10, 20, 10]},
        {"id": 8, "image_id": 1, "category_id": 2, "bbox": [70, 50, 10.9, 10.5]},
    ]
    files = {"annotations.json": json.dumps(dataset).encode()}
    files.update({name: _image(name) for name in SIZES})
    answer = do_import(client, project["id"], make_zip(files))
    assert answer.state == "succeeded", answer
    assert answer.report["boxes_clipped"] == 2
    boxes = contents(client, project["id"])["a.png"][2]
    assert same_boxes(boxes, [("cat", [0, 10, 19.5, 10]), ("dog", [70, 50, 10, 10])], 1e-9)
    dataset["annotations"] = [{"id": 9, "image_id": 1, "category_id": 1, "bbox": [70, 5, 12, 5]}]
    files["annotations.json"] = json.dumps(dataset).encode()
    other = create_project(client)
    answer = do_import(client, other["id"], make_zip(files))
    assert answer.refused
    assert answer.refusal["problems"][0]["item"].endswith("annotation id 9")


def test_path_traversal_is_refused(client: httpx.Client) -> None:
    project = create_project(client)
    data = make_zip({"../evil.png": _image("a.png"), "annotations.json": b"{}"})
    answer = do_import(client, project["id"], data)
    assert answer.refused
    assert answer.refusal["problems"][0]["item"] == "../evil.png"


def test_a_lone_annotation_file_matches_uploaded_images(client: httpx.Client) -> None:
    project = create_project(client)
    upload_images(
        client, project["id"], [(name, _image(name)) for name in SIZES]
    ).raise_for_status()
    dataset = coco_dataset()
    for image in dataset["images"]:
        image.pop("pool")
    answer = do_import(
        client, project["id"], json.dumps(dataset).encode(), name="gt.json", add_classes=True
    )
    assert answer.state == "succeeded", answer
    assert answer.report["images_matched"] == 3 and answer.report["images_added"] == 0
    state = contents(client, project["id"])
    assert same_boxes(state["a.png"][2], BOXES["a.png"], 1e-9)
    assert state["c.png"][1] == "complete"  # a negative image


def test_yolo_folders_give_the_split(client: httpx.Client) -> None:
    files = {
        "data.yaml": b"names: {0: cat, 1: dog}\n",
        "images/train/a.png": _image("a.png"),
        "labels/train/a.txt": b"0 0.5 0.5 0.25 0.5\n",
        "images/val/c.png": _image("c.png"),
    }
    project = create_project(client)
    answer = do_import(client, project["id"], make_zip(files))
    assert answer.state == "succeeded", answer
    state = contents(client, project["id"])
    assert state["a.png"][0] == "adapt" and state["c.png"][0] == "holdout"
    assert same_boxes(state["a.png"][2], [("cat", [30, 15, 20, 30])], 1e-6)


def _detected(client: httpx.Client, project: dict, worker) -> tuple[list[dict], dict]:
    """Two 64×48 images and a finished detect job on them: scores 0.9 and 0.4 on the first,
    0.7 on the second."""
    images = add_images(client, project["id"], 2, width=64, height=48)
    job = client.post(f"/projects/{project['id']}/jobs", json={"kind": "detect"}).json()
    task_id = job["tasks"][0]["id"]
    spec = worker.start_ok(task_id)
    by_id = {i["id"]: i for i in spec["images"]}
    result = detect_result(
        {**spec, "images": [by_id[i["id"]] for i in images]}, [[0.9, 0.4], [0.7]]
    )
    assert worker.result(task_id, spec["attempt_token"], result).status_code == 200
    return images, job


def test_job_predictions_export_with_scores(client: httpx.Client, project, worker) -> None:
    from pycocotools.coco import COCO

    images, job = _detected(client, project, worker)
    url = f"/projects/{project['id']}/jobs/{job['id']}/predictions/export"

    coco_zip_ = zipfile.ZipFile(io.BytesIO(client.get(url, params={"format": "coco"}).content))
    results = json.loads(coco_zip_.read("results.json"))
    assert sorted(r["score"] for r in results) == [0.4, 0.7, 0.9]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gt = COCO()
        gt.dataset = json.loads(coco_zip_.read("annotations.json"))
        gt.createIndex()
        detections = gt.loadRes(results)
    assert len(detections.getAnnIds()) == 3

    voc_zip = zipfile.ZipFile(io.BytesIO(client.get(url, params={"format": "voc"}).content))
    xml = b"".join(voc_zip.read(n) for n in voc_zip.namelist() if n.endswith(".xml"))
    assert xml.count(b"<score>") == 3
    yolo_zip = zipfile.ZipFile(io.BytesIO(client.get(url, params={"format": "yolo"}).content))
    lines = [
        line.split()
        for n in yolo_zip.namelist()
        if n.startswith("labels/")
        for line in yolo_zip.read(n).decode().splitlines()
    ]
    assert sorted(float(parts[5]) for parts in lines) == [0.4, 0.7, 0.9]
    missing = client.get(f"/projects/{project['id']}/jobs/999999/predictions/export")
    assert missing.status_code == 404


def test_zip_bombs_are_refused(start_api_server) -> None:
    from support.factories import setup_admin

    server = start_api_server(with_model=False, max_import_expanded_bytes="1000000")
    owner = setup_admin(server)
    project = create_project(owner.client)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("annotations.json", b" " * 5_000_000)  # 5 MB of spaces, a few KB zipped
    assert len(bomb.getvalue()) < 50_000
    answer = do_import(owner.client, project["id"], bomb.getvalue())
    assert answer.http_status == 413, answer
    assert "expands" in answer.refusal["detail"]


def test_images_already_in_the_project(api_server, client: httpx.Client) -> None:
    project = create_project(client)
    upload_images(client, project["id"], [("a.png", _image("a.png"))], "holdout").raise_for_status()
    blobs = Path(api_server.env["DATA_DIR"]) / "blobs"
    before = {p.name for p in blobs.rglob("*") if p.is_file()}
    # refused under the project's lock, after its files were moved into the store: they go again
    answer = do_import(client, project["id"], coco_zip(), add_classes=True)  # a.png: adapt
    assert answer.refused
    assert {p.name for p in blobs.rglob("*") if p.is_file()} <= before
    problem = answer.refusal["problems"][0]
    assert problem["item"] == "images/a.png" and "holdout pool" in problem["reason"]
    assert counts(client, project["id"]) == (1, 0)
    # YOLO label files alone go onto the uploaded images, matched by stem
    files = {"classes.txt": b"cat\ndog\n", "a.txt": b"1 0.5 0.5 0.5 0.5\n"}
    answer = do_import(client, project["id"], make_zip(files), format="yolo")
    assert answer.state == "succeeded", answer
    assert answer.report["images_matched"] == 1
    pool, state, boxes = contents(client, project["id"])["a.png"]
    assert (pool, state) == ("holdout", "complete")
    assert same_boxes(boxes, [("dog", [20, 15, 40, 30])], 1e-6)


def test_job_predictions_export_by_review_status(client: httpx.Client, project, worker) -> None:
    """`status` (repeatable) keeps the predictions in those review statuses; left out: all;
    an unknown status is a 422."""
    images, job = _detected(client, project, worker)
    listed = client.get(
        f"/projects/{project['id']}/predictions", params={"job_id": job["id"], "limit": 10}
    ).json()["items"]
    by_score = {p["score"]: p["id"] for p in listed}
    assert sorted(by_score) == [0.4, 0.7, 0.9]
    applied = client.post(
        f"/projects/{project['id']}/review/apply",
        json={"accept_ids": [by_score[0.9]], "reject_ids": [by_score[0.4]]},
    )
    assert applied.status_code == 200, applied.text
    url = f"/projects/{project['id']}/jobs/{job['id']}/predictions/export"

    def scores(params: list[tuple[str, str]]) -> list[float]:
        answer = client.get(url, params=[("format", "coco"), *params])
        assert answer.status_code == 200, answer.text
        zf = zipfile.ZipFile(io.BytesIO(answer.content))
        return sorted(r["score"] for r in json.loads(zf.read("results.json")))

    assert scores([]) == [0.4, 0.7, 0.9]
    assert scores([("status", "accepted")]) == [0.9]
    assert scores([("status", "pending")]) == [0.7]
    assert scores([("status", "rejected"), ("status", "pending")]) == [0.4, 0.7]
    assert scores([("status", "pending"), ("status", "accepted"), ("status", "rejected")]) == [
        0.4, 0.7, 0.9,
    ]  # fmt: skip
    # only images with a prediction left are in the zip
    answer = client.get(url, params={"format": "yolo", "status": "pending"})
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert len([n for n in names if n.startswith("labels/")]) == 1
    unknown = client.get(url, params=[("status", "accepted"), ("status", "maybe")])
    assert unknown.status_code == 422
    assert "maybe" in unknown.text and "pending" in unknown.text
