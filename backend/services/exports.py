"""Exporting a project's annotations, or a job's predictions, as a COCO, VOC or YOLO zip.

The rows are read first (one query each); the zip is then written member by member and its
bytes streamed as they are made (``ZipStream``), images read from the blob store one at a time,
so memory stays small for any project. Images are the originals (the files as uploaded) under
their file names, made unique within the zip (``a.png``, ``a_2.png``; stems too, since VOC and
YOLO name files by stem).

Layouts:
* COCO: ``annotations.json`` (categories 1..n in the project's class order; each image has its
  ``pool`` and ``state``) and ``images/``. Predictions: ``results.json`` in COCO's results
  format (``image_id``, ``category_id``, ``bbox``, ``score``) with ``annotations.json`` (the
  images, categories and the images' ground truth) to load it against.
* VOC: ``Annotations/<stem>.xml``, ``JPEGImages/``, ``ImageSets/Main/{train,val}.txt``
  (adapt → train, holdout → val). Predictions carry a ``<score>`` in each object.
* YOLO (Ultralytics): ``data.yaml`` (names), ``images/{train,val}/``, ``labels/{train,val}/``
  with ``class cx cy w h`` (and the score, for predictions) per line.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, Prediction
from backend.services import jobs, projects
from backend.services.blobs import BlobStore
from backend.services.formats import coco, voc, yolo
from backend.services.formats.archive import ZipStream

_SPLIT = {"adapt": "train", "holdout": "val"}


@dataclass
class _Image:
    id: int
    name: str  # unique in the zip
    sha256: str
    width: int
    height: int
    pool: str
    state: str
    boxes: list[tuple[int, list[float], float | None]] = field(default_factory=list)


def _unique_names(images: list[Image]) -> list[str]:
    taken: set[str] = set()
    names = []
    for image in images:
        base, dot, suffix = image.file_name.rpartition(".")
        if not dot:
            base, suffix = image.file_name, ""
        name, count = image.file_name, 1
        while (f"{base}_{count}" if count > 1 else base).lower() in taken:
            count += 1
        if count > 1:
            name = f"{base}_{count}" + (f".{suffix}" if suffix else "")
        taken.add((f"{base}_{count}" if count > 1 else base).lower())
        names.append(name)
    return names


def _images(session: Session, project_id: int, pool: str | None, state: str | None) -> list[_Image]:
    query = select(Image).where(Image.project_id == project_id).order_by(Image.id)
    if pool is not None:
        query = query.where(Image.pool == pool)
    if state is not None:
        query = query.where(Image.state == state)
    rows = list(session.scalars(query))
    return [
        _Image(r.id, name, r.sha256, r.width, r.height, r.pool, r.state)
        for r, name in zip(rows, _unique_names(rows), strict=True)
    ]


def annotations_zip(
    session: Session,
    store: BlobStore,
    project_id: int,
    fmt: str,
    pool: str | None,
    state: str | None,
    include_images: bool,
) -> Iterator[bytes]:
    """The project's annotations (``pool``/``state`` None: all) as a zip's bytes, streamed."""
    classes = projects.classes_of(session, project_id)
    index = {label.id: i for i, label in enumerate(classes)}
    images = _images(session, project_id, pool, state)
    by_id = {image.id: image for image in images}
    rows = session.execute(
        select(Annotation.image_id, Annotation.class_id, Annotation.x, Annotation.y,
               Annotation.w, Annotation.h)
        .join(Image, Image.id == Annotation.image_id)
        .where(Image.project_id == project_id)
        .order_by(Annotation.image_id, Annotation.id)
    )  # fmt: skip
    for image_id, class_id, x, y, w, h in rows:
        if image_id in by_id:
            by_id[image_id].boxes.append((index[class_id], [x, y, w, h], None))
    names = [label.name for label in classes]
    return _write(store, fmt, names, images, include_images, None)


def predictions_zip(
    session: Session,
    store: BlobStore,
    project_id: int,
    job_id: int,
    fmt: str,
    stage: str,
    include_images: bool,
    statuses: Sequence[str] | None = None,
) -> Iterator[bytes]:
    """A job's predictions (of ``stage``: detect, or evaluate on the holdout) with scores;
    ``statuses`` (review statuses: pending, accepted, rejected) keeps only those, None all."""
    jobs.get_job(session, project_id, job_id)
    classes = projects.classes_of(session, project_id)
    index = {label.id: i for i, label in enumerate(classes)}
    query = (
        select(Prediction)
        .where(Prediction.job_id == job_id, Prediction.stage == stage)
        .order_by(Prediction.image_id, Prediction.id)
    )
    if statuses is not None:
        query = query.where(Prediction.status.in_(list(statuses)))
    predictions = list(session.scalars(query))
    wanted = {p.image_id for p in predictions}
    images = [i for i in _images(session, project_id, None, None) if i.id in wanted]
    by_id = {image.id: image for image in images}
    for p in predictions:
        if p.image_id in by_id and p.class_id in index:
            by_id[p.image_id].boxes.append((index[p.class_id], [p.x, p.y, p.w, p.h], p.score))
    truth: dict[int, list[tuple[int, list[float]]]] = defaultdict(list)
    if fmt == "coco":
        rows = session.execute(
            select(Annotation.image_id, Annotation.class_id, Annotation.x, Annotation.y,
                   Annotation.w, Annotation.h)
            .where(Annotation.image_id.in_(list(wanted)))
            .order_by(Annotation.image_id, Annotation.id)
        )  # fmt: skip
        for image_id, class_id, x, y, w, h in rows:
            truth[image_id].append((index[class_id], [x, y, w, h]))
    names = [label.name for label in classes]
    return _write(store, fmt, names, images, include_images, truth if fmt == "coco" else None)


def _image_record(image: _Image) -> dict[str, object]:
    return {
        "id": image.id,
        "file_name": image.name,
        "width": image.width,
        "height": image.height,
        "pool": image.pool,
        "state": image.state,
    }


def _write(
    store: BlobStore,
    fmt: str,
    classes: list[str],
    images: list[_Image],
    include_images: bool,
    truth: dict[int, list[tuple[int, list[float]]]] | None,
) -> Iterator[bytes]:
    """The zip's bytes, made lazily (the generator runs as the response is sent)."""
    zs = ZipStream()
    if fmt == "coco":
        records = [_image_record(image) for image in images]
        if truth is None:
            boxes = ((i.id, c + 1, b) for i in images for c, b, _ in i.boxes)
            data = coco.document(records, classes, boxes)
            yield from zs.write("annotations.json", json.dumps(data).encode())
        else:
            gt = ((i.id, c + 1, b) for i in images for c, b in truth.get(i.id, []))
            data = coco.document(records, classes, gt)
            yield from zs.write("annotations.json", json.dumps(data).encode())
            results = [
                {"image_id": i.id, "category_id": c + 1, "bbox": b, "score": s}
                for i in images
                for c, b, s in i.boxes
            ]
            yield from zs.write("results.json", json.dumps(results).encode())
        folder = {i.id: "images/" for i in images}
    elif fmt == "voc":
        sets: dict[str, list[str]] = defaultdict(list)
        for image in images:
            named = [(classes[c], b, s) for c, b, s in image.boxes]
            xml = voc.document(image.name, image.width, image.height, named)
            stem = image.name.rsplit(".", 1)[0] if "." in image.name else image.name
            yield from zs.write(f"Annotations/{stem}.xml", xml)
            sets[_SPLIT[image.pool]].append(stem)
        for split, stems in sorted(sets.items()):
            text = "".join(f"{s}\n" for s in stems).encode()
            yield from zs.write(f"ImageSets/Main/{split}.txt", text)
        folder = {i.id: "JPEGImages/" for i in images}
    else:
        pools = sorted({image.pool for image in images}) or ["adapt"]
        yield from zs.write("data.yaml", yolo.data_yaml(classes, pools))
        for image in images:
            stem = image.name.rsplit(".", 1)[0] if "." in image.name else image.name
            text = yolo.lines(image.boxes, image.width, image.height)
            yield from zs.write(f"labels/{_SPLIT[image.pool]}/{stem}.txt", text.encode())
        folder = {i.id: f"images/{_SPLIT[i.pool]}/" for i in images}
    if include_images:
        for image in images:
            data = store.read_bytes(image.sha256)
            yield from zs.write(folder[image.id] + image.name, data, compress=False)
    yield zs.close()
