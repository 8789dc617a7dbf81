"""Importing COCO, Pascal VOC and YOLO datasets into a project: everything is checked before
anything is stored (docs/architecture.md, "Import and export").

The upload is a zip of images and annotation files, or one annotation file alone. Annotation
files name their images; each is found in the archive (by its path, then by its base name) or
among the project's images (by file name, or by stem for YOLO label files); a VOC or COCO file
that names no image there takes the one image of its name's stem (VOC: or of the XML file's
stem), in the archive and then in the project (``Entry.stems``). Images in the
archive go through the same checks as uploads (``check_image``: they must decode, within the
byte and pixel limits) and the same rule of one file, one image per project (a file already in
the other pool is refused; one already in the target pool is that image). Boxes are checked
against the decoded, EXIF-oriented image: NaN and infinite numbers are refused, a box outside
the image by less than a pixel is clipped to it, by more it is refused, and a box under a pixel
wide or high is refused. Classes are matched by name (``class_name_key``: look-alikes are one
class); unknown classes are added when asked (in the file's class order: COCO categories by id,
the YOLO class list; VOC by first use), else refused.

Any problem refuses the whole import (:class:`ImportRefused`, 422) and lists every problem
found, each naming its item (file, line or annotation id); else images, classes and boxes are
stored in one transaction. An image the import names that is already in the project gets the
imported boxes instead of its own. Imported images take ``state`` (default ``complete``: a
dataset's ground truth boxes every object); an image without a box is then a negative image.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from backend.db import Annotation, Image, Project
from backend.services import annotations as annotation_rules
from backend.services import projects
from backend.services.blobs import BlobStore
from backend.services.errors import Invalid, ServiceError, TooLarge
from backend.services.formats import (
    FORMATS,
    Entry,
    ImportRefused,
    Problem,
    coco,
    is_image_path,
    stem,
    voc,
    yolo,
)
from backend.services.formats.archive import Archive, open_zip
from backend.services.sizes import human_size, over_limit
from backend.services.uploads import CheckedImage, check_file_name, check_image
from backend.settings import get_settings

CLIP_TOLERANCE = 1.0  # pixels: a box outside its image by less than this is clipped

# progress(stage, fraction of the whole import in [0, 1]); it may raise to stop the import
Progress = Callable[[str, float], None]
# where each phase ends, as a fraction of the whole import (checking images is most of it)
_CHECK_START, _CHECK_END, _STORE_START = 0.05, 0.9, 0.95


def _no_progress(stage: str, fraction: float) -> None:
    return None


@dataclass
class StoredImage:
    """A checked archive image whose blobs (file, rendition, thumbnail) are in the store: what
    its row needs, without its bytes."""

    file_name: str
    format: str
    size_bytes: int
    width: int
    height: int
    sha256: str
    rendition_sha256: str
    thumbnail_sha256: str

    @classmethod
    def put(cls, store: BlobStore, checked: CheckedImage, written: set[str]) -> StoredImage:
        """Store the checked image's blobs; the hashes not in the store before go in `written`
        (to be removed if the import is refused)."""
        shas = []
        for data in (checked.data, checked.rendition, checked.thumbnail):
            sha = hashlib.sha256(data).hexdigest()
            if not store.exists(sha):
                store.put_bytes(data)
                written.add(sha)
            shas.append(sha)
        return cls(
            checked.file_name,
            checked.format,
            len(checked.data),
            checked.width,
            checked.height,
            *shas,
        )


@dataclass
class _Target:
    """Where an entry's image comes from: a checked archive member, or a project image."""

    entry: Entry
    member: str | None = None
    checked: StoredImage | None = None
    existing: Image | None = None
    boxes: list[tuple[str, list[float], str]] = field(default_factory=list)  # class, box, item
    pool: str = "adapt"  # the request's pool, for images whose file gives no split
    project_stem: str | None = None  # the stem of the project image meant (Entry.stems)

    @property
    def size(self) -> tuple[int, int]:
        if self.checked is not None:
            return self.checked.width, self.checked.height
        assert self.existing is not None
        return self.existing.width, self.existing.height


def detect_format(names: list[str]) -> str:
    lowered = [n.lower() for n in names]
    if any(n.endswith(".json") for n in lowered):
        return "coco"
    if any(n.endswith(".xml") for n in lowered):
        return "voc"
    if any(n.endswith((".txt", ".yaml", ".yml", ".names")) for n in lowered):
        return "yolo"
    raise ImportRefused(
        [Problem("the upload", "no annotation file found (.json COCO, .xml VOC or .txt YOLO)")]
    )


def open_upload(file_name: str | None, handle: IO[bytes]) -> Archive:
    """The upload as an archive (a zip, or one annotation file): TooLarge, Invalid or
    ImportRefused when it cannot be one."""
    settings = get_settings()
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    if size > settings.max_import_bytes:
        raise TooLarge(f"the upload is {over_limit(size, settings.max_import_bytes)}")
    if zipfile.is_zipfile(handle):
        handle.seek(0)
        return open_zip(handle, settings.max_import_members, settings.max_import_expanded_bytes)
    handle.seek(0)
    name = check_file_name(file_name or "annotations")
    if is_image_path(name):
        raise Invalid(f"{name!r} is an image: upload images in a zip with their annotations")
    data = handle.read(settings.max_annotation_file_bytes + 1)
    if len(data) > settings.max_annotation_file_bytes:
        raise TooLarge(
            f"{name}: over the limit of {human_size(settings.max_annotation_file_bytes)}"
        )
    return Archive.lone(name, data)


def _parse(archive: Archive, fmt: str) -> tuple[list[Entry], list[Problem], list[str]]:
    """The archive's entries, the problems in its annotation files, and the class names in the
    files' own order (COCO categories, the YOLO class list; none for VOC)."""
    limit = get_settings().max_annotation_file_bytes

    def read(name: str) -> bytes:
        return archive.read(name, limit)

    names = archive.names
    entries: list[Entry] = []
    problems: list[Problem] = []
    class_order: list[str] = []
    if fmt == "coco":
        for name in (n for n in names if n.lower().endswith(".json")):
            found, bad, categories = coco.parse(name, read(name))
            entries += found
            problems += bad
            class_order += categories
    elif fmt == "voc":
        for name in (n for n in names if n.lower().endswith(".xml")):
            entry, bad = voc.parse(name, read(name))
            entries += [entry] if entry is not None else []
            problems += bad
        sets = {n: read(n) for n in names if n.startswith("ImageSets/") and n.endswith(".txt")}
        pools = voc.image_sets(sets)
        for entry in entries:
            entry.pool = pools.get(stem(entry.ref), entry.pool)
    else:
        entries, problems, class_order = yolo.parse(names, read)
    if not entries and not problems:
        problems.append(Problem("the upload", f"no {fmt} annotation file found in it"))
    return entries, problems, class_order


def _project_file_names(session: Session, project_id: int) -> set[str]:
    """The project's image file names (read outside any lock: to choose where an entry's image
    is; :func:`_match_project` matches again under the lock)."""
    names = set(session.scalars(select(Image.file_name).where(Image.project_id == project_id)))
    session.rollback()
    return names


def _stem_patterns(stems: tuple[str, ...]) -> str:
    return " or ".join(f"{s}.*" for s in stems)


def _match_archive(
    archive: Archive, entries: list[Entry], project_names: set[str]
) -> tuple[list[_Target], list[Problem]]:
    """Each entry's image in the archive: by its path (from the archive's root, then from its
    annotation file's folder), then by its base name; entries not found there are left for
    :func:`_match_project`. An entry whose image has that name nowhere (neither in the archive
    nor among `project_names`) takes, for the first of its ``stems`` that any image has, the one
    image of that stem in the archive, else in the project; several such images in the archive
    are a problem naming them."""
    by_base: dict[str, list[str]] = defaultdict(list)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for name in archive.names:
        if is_image_path(name):
            by_base[name.rsplit("/", 1)[-1]].append(name)
            by_stem[stem(name)].append(name)
    project_stems = {stem(name) for name in project_names}
    problems: list[Problem] = []
    targets: list[_Target] = []
    for entry in entries:
        ref = entry.ref.replace("\\", "/")
        base = ref.rsplit("/", 1)[-1]
        target = _Target(entry)
        joined = posixpath.normpath(posixpath.join(entry.base_dir, ref)) if entry.base_dir else ""
        if ref in archive.members and is_image_path(ref):
            target.member = ref
        elif joined in archive.members:
            target.member = joined
        elif len(by_base.get(base, [])) == 1:
            target.member = by_base[base][0]
        elif len(by_base.get(base, [])) > 1:
            problems.append(
                Problem(entry.item, f"image {ref!r} is ambiguous: {sorted(by_base[base])}")
            )
            continue
        elif base not in project_names:
            ambiguous = False
            for wanted in entry.stems:
                found = by_stem.get(wanted, [])
                if len(found) == 1:
                    target.member = found[0]
                elif len(found) > 1:
                    ambiguous = True
                    problems.append(
                        Problem(
                            entry.item,
                            f"image {ref!r} is not in the upload, and several images in it are "
                            f"named {wanted}.*: {sorted(found)}; name the one meant",
                        )
                    )
                elif wanted in project_stems:
                    target.project_stem = wanted
                else:
                    continue
                break
            if ambiguous:
                continue
        targets.append(target)
    return targets, problems


def _match_project(
    session: Session, project_id: int, targets: list[_Target]
) -> tuple[list[_Target], list[Problem]]:
    """Entries whose image is not in the archive: the project's image of that file name (YOLO
    label files: of that stem); and archive images already in the project (same bytes, same
    pool: that image). Each image is named once."""
    project_images = list(
        session.scalars(select(Image).where(Image.project_id == project_id).order_by(Image.id))
    )
    by_name: dict[str, list[Image]] = defaultdict(list)
    by_stem: dict[str, list[Image]] = defaultdict(list)
    by_sha: dict[str, list[Image]] = defaultdict(list)
    for image in project_images:
        by_name[image.file_name].append(image)
        by_stem[stem(image.file_name)].append(image)
        by_sha[image.sha256].append(image)
    problems: list[Problem] = []
    kept: list[_Target] = []
    claimed: dict[str | int, str] = {}
    for target in targets:
        entry = target.entry
        if target.member is None:
            ref = entry.ref.replace("\\", "/")
            base = ref.rsplit("/", 1)[-1]
            found = by_name.get(base) or (by_stem.get(base) if not is_image_path(base) else None)
            if not found and target.project_stem is not None:
                found = by_stem.get(target.project_stem)
                if found and len(found) > 1:
                    named = [(image.id, image.file_name) for image in found]
                    problems.append(
                        Problem(
                            entry.item,
                            f"image {ref!r} is neither in the upload nor in the project, and "
                            f"several project images are named {target.project_stem}.*: "
                            f"{named}; name the one meant",
                        )
                    )
                    continue
            if not found:
                also = f", nor is any image named {_stem_patterns(entry.stems)}"
                problems.append(
                    Problem(
                        entry.item,
                        f"image {ref!r} is neither in the upload nor in the project"
                        + (also if entry.stems else ""),
                    )
                )
                continue
            if len(found) > 1:
                ids = [image.id for image in found]
                problems.append(
                    Problem(entry.item, f"image {ref!r} matches several project images: {ids}")
                )
                continue
            target.existing = found[0]
        elif target.checked is not None:
            pool = entry.pool or target.pool
            same_file = by_sha.get(target.checked.sha256, [])
            same_pool = [image for image in same_file if image.pool == pool]
            if same_pool:
                target.existing = same_pool[0]
            elif same_file:
                other = same_file[0]
                problems.append(
                    Problem(
                        target.member,
                        f"the same file is already image {other.id} ({other.file_name!r}) in "
                        f"the {other.pool} pool; an image is in one pool only",
                    )
                )
                continue
        keys: list[str | int] = [k for k in (target.member,) if k]
        if target.existing is not None:
            keys.append(target.existing.id)
        taken = [claimed[k] for k in keys if k in claimed]
        if taken:
            problems.append(Problem(entry.item, f"its image is also named by {taken[0]}"))
            continue
        claimed.update(dict.fromkeys(keys, entry.item))
        kept.append(target)
    return kept, problems


def _check_images(
    archive: Archive,
    targets: list[_Target],
    staging: BlobStore,
    written: set[str],
    progress: Progress,
) -> list[Problem]:
    """Decode and check each archive image, and put its blobs in `staging` (its bytes are not
    kept: memory stays flat however many images)."""
    settings = get_settings()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    members = [target for target in targets if target.member is not None]
    for index, target in enumerate(members):
        assert target.member is not None
        progress(
            f"checking images {index}/{len(members)}",
            _CHECK_START + (_CHECK_END - _CHECK_START) * index / max(1, len(members)),
        )
        try:
            data = archive.read(target.member, settings.max_upload_bytes)
            checked = check_image(
                target.member.rsplit("/", 1)[-1],
                data,
                settings.max_upload_bytes,
                settings.max_image_pixels,
                settings.thumbnail_size,
            )
        except ServiceError as error:
            problems.append(Problem(target.member, error.detail))
            continue
        sha = checked.sha256
        if sha in seen:
            problems.append(Problem(target.member, f"the same file as {seen[sha]}"))
            continue
        seen[sha] = target.member
        if not problems:  # once one image fails nothing is stored: only check the rest
            target.checked = StoredImage.put(staging, checked, written)
        else:
            target.checked = StoredImage(
                checked.file_name, checked.format, 0, checked.width, checked.height, sha, "", ""
            )
    return problems


def _check_boxes(targets: list[_Target]) -> tuple[list[Problem], int]:
    problems: list[Problem] = []
    clipped = 0
    for target in targets:
        if target.checked is None and target.existing is None:
            continue  # its image did not pass: a problem already
        width, height = target.size
        declared = target.entry.size
        if declared is not None and declared != (width, height):
            problems.append(
                Problem(
                    target.entry.item,
                    f"declares its image {declared[0]}x{declared[1]}, but "
                    f"{target.member or target.existing.file_name!r} is {width}x{height}"  # type: ignore[union-attr]
                    " (as seen, after its EXIF orientation)",
                )
            )
            continue
        for box in target.entry.boxes:
            x, y, w, h = box.coords
            if box.normalized:
                x, y, w, h = (x - w / 2) * width, (y - h / 2) * height, w * width, h * height
            x0, y0, x1, y1 = x, y, x + w, y + h
            outside = max(-x0, -y0, x1 - width, y1 - height, 0.0)
            if w < 0 or h < 0:
                problems.append(Problem(box.item, f"box {list(box.coords)} has a negative size"))
                continue
            if outside >= CLIP_TOLERANCE:
                problems.append(
                    Problem(
                        box.item,
                        f"box [x, y, w, h] = {[round(v, 3) for v in (x, y, w, h)]} lies outside "
                        f"the {width}x{height} image by {outside:.3g} px (up to 1 px is clipped)",
                    )
                )
                continue
            if outside > 1e-6:
                clipped += 1
            x0, y0 = max(x0, 0.0), max(y0, 0.0)
            x1, y1 = min(x1, float(width)), min(y1, float(height))
            if x1 - x0 < annotation_rules.MIN_BOX_SIDE or y1 - y0 < annotation_rules.MIN_BOX_SIDE:
                problems.append(
                    Problem(box.item, "box is under 1 px wide or high (inside the image)")
                )
                continue
            target.boxes.append((box.class_name, [x0, y0, x1 - x0, y1 - y0], box.item))
    return problems, clipped


def _classes(
    session: Session,
    project_id: int,
    targets: list[_Target],
    add_classes: bool,
    order: Sequence[str] = (),
) -> tuple[dict[str, int | None], list[str], list[Problem]]:
    """Class key → project class id (None: to be added), the names to add, problems. The names
    to add follow `order` (the file's own class order: COCO categories, the YOLO class list),
    then first use for names it lacks (VOC)."""
    known = {
        projects.class_name_key(c.name): c.id for c in projects.classes_of(session, project_id)
    }
    wanted: dict[str, int | None] = {}
    to_add: list[str] = []
    problems: list[Problem] = []
    refused: set[str] = set()
    for target in targets:
        for index, (name, box, item) in enumerate(target.boxes):
            try:
                cleaned = projects.clean_class_name(name)
            except Invalid as error:
                problems.append(Problem(item, error.detail))
                continue
            key = projects.class_name_key(cleaned)
            target.boxes[index] = (key, box, item)
            if key in wanted or key in refused:
                continue
            if key in known:
                wanted[key] = known[key]
            elif add_classes:
                wanted[key] = None
                to_add.append(cleaned)
            else:
                refused.add(key)
                problems.append(
                    Problem(
                        item,
                        f"class {cleaned!r} is not in the project (import with add_classes=true "
                        "to add it)",
                    )
                )
    rank: dict[str, int] = {}
    for name in order:
        try:
            rank.setdefault(projects.class_name_key(projects.clean_class_name(name)), len(rank))
        except Invalid:
            continue  # a bad name is a problem of the box that uses it, if any
    to_add.sort(key=lambda name: rank.get(projects.class_name_key(name), len(rank)))
    return wanted, to_add, problems


def _precheck_classes(
    session: Session, project_id: int, entries: list[Entry], add_classes: bool
) -> list[Problem]:
    """Unknown or invalid class names, found before any image is decoded (checked again under
    the project's lock before storing)."""
    targets = [_Target(entry) for entry in entries]
    for target in targets:
        target.boxes = [(box.class_name, [], box.item) for box in target.entry.boxes]
    problems = _classes(session, project_id, targets, add_classes)[2]
    session.rollback()
    return problems


def _adopt(store: BlobStore, staging: BlobStore, written: set[str]) -> None:
    """Move the staged blobs into the store (a rename on one file system)."""
    for sha in written:
        source = staging.path(sha)
        target = store.path(sha)
        if store.exists(sha):
            source.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def run_import(
    session: Session,
    store: BlobStore,
    project_id: int,
    user_id: int | None,
    archive: Archive,
    fmt: str | None,
    pool: str,
    add_classes: bool,
    state: str,
    progress: Progress = _no_progress,
    before_commit: Callable[[Session, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Check the archive whole, then store it in one transaction; returns the report, or raises
    ImportRefused listing every problem (nothing stored).

    The archive is parsed and its images decoded outside any transaction (on SQLite a write
    transaction holds the database's write lock), their blobs staged beside the store and moved
    into it once every check that needs no lock has passed; the project's rows are then matched
    and the rows inserted in bulk under the project's row lock, so the lock is held for
    seconds, not for the decoding. `progress` hears each stage; `before_commit` runs in the
    storing transaction (a job marks itself done there, so the two commit together)."""
    session.rollback()  # end any transaction before the long part
    fmt = fmt or detect_format(archive.names)
    assert fmt in FORMATS
    progress("reading annotations", 0.0)
    entries, problems, class_order = _parse(archive, fmt)
    if problems:
        raise ImportRefused(problems)
    problems = _precheck_classes(session, project_id, entries, add_classes)
    if problems:
        raise ImportRefused(problems)
    targets, problems = _match_archive(archive, entries, _project_file_names(session, project_id))
    for target in targets:
        target.pool = pool
    staging = BlobStore(store.root.parent / "staging" / uuid.uuid4().hex)
    written: set[str] = set()
    try:
        problems += _check_images(archive, targets, staging, written, progress)
        if problems:
            raise ImportRefused(problems)
        progress("moving the files into the store", _CHECK_END)  # a cancel is seen here
        _adopt(store, staging, written)
    finally:
        shutil.rmtree(staging.root, ignore_errors=True)
    try:
        return _store(
            session, project_id, user_id, archive, fmt, pool, add_classes, state, targets,
            class_order, progress, before_commit,
        )  # fmt: skip
    except BaseException:
        session.rollback()
        _remove_unreferenced(session, store, written)
        raise


def _remove_unreferenced(session: Session, store: BlobStore, written: set[str]) -> None:
    """Delete the blobs this import added to the store that no image row refers to (it was
    refused or cancelled after moving them in). A file that another upload of the same bytes
    stored at the same moment could go too; that upload's image would then lack its file."""
    if not written:
        return
    used: set[str] = set()
    for column in (Image.sha256, Image.rendition_sha256, Image.thumbnail_sha256):
        used.update(session.scalars(select(column).where(column.in_(written))))
    session.rollback()
    for sha in written - used:
        store.path(sha).unlink(missing_ok=True)


def _store(
    session: Session,
    project_id: int,
    user_id: int | None,
    archive: Archive,
    fmt: str,
    pool: str,
    add_classes: bool,
    state: str,
    targets: list[_Target],
    class_order: list[str],
    progress: Progress,
    before_commit: Callable[[Session, dict[str, Any]], None] | None,
) -> dict[str, Any]:
    """Match, check again and store under the project's lock (the second half of run_import)."""
    problems: list[Problem] = []
    # the last report: from here to the commit this thread holds the write lock (on SQLite)
    progress("storing", _STORE_START)
    # one import or upload into a project at a time from here to the commit
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update())
    targets, project_problems = _match_project(session, project_id, targets)
    problems += project_problems
    box_problems, clipped = _check_boxes(targets)
    problems += box_problems
    class_ids, to_add, class_problems = _classes(
        session, project_id, targets, add_classes, class_order
    )
    problems += class_problems
    if problems:
        session.rollback()
        raise ImportRefused(problems)

    for name in to_add:
        label = projects.add_class(session, project_id, name, None)
        class_ids[projects.class_name_key(label.name)] = label.id
    new = [target for target in targets if target.existing is None]
    rows = []
    for target in new:
        image = target.checked
        assert image is not None
        rows.append(
            {
                "project_id": project_id,
                "sha256": image.sha256,
                "rendition_sha256": image.rendition_sha256,
                "thumbnail_sha256": image.thumbnail_sha256,
                "file_name": image.file_name,
                "format": image.format,
                "size_bytes": image.size_bytes,
                "width": image.width,
                "height": image.height,
                "pool": target.entry.pool or pool,
                "state": _state_of(state, bool(target.boxes)),
                "uploaded_by_id": user_id,
            }
        )
    image_ids: dict[int, int] = {}  # id(target) → image id
    if rows:
        ids = session.scalars(
            insert(Image).returning(Image.id, sort_by_parameter_order=True), rows
        ).all()
        image_ids = {id(target): image_id for target, image_id in zip(new, ids, strict=True)}
    matched = 0
    pools: dict[str, int] = defaultdict(int)
    annotations: list[dict[str, Any]] = []
    for target in targets:
        if target.existing is not None:
            image = target.existing
            session.execute(delete(Annotation).where(Annotation.image_id == image.id))
            annotation_rules.mark_changed(image, _state_of(state, bool(target.boxes)))
            matched += 1
            image_id, image_pool = image.id, image.pool
        else:
            image_id, image_pool = image_ids[id(target)], target.entry.pool or pool
        pools[image_pool] += 1
        annotations += [
            {
                "image_id": image_id,
                "class_id": class_ids[key],
                "x": x,
                "y": y,
                "w": w,
                "h": h,
                "source": "human",
                "author_id": user_id,
            }
            for key, (x, y, w, h), _ in target.boxes
        ]
    if annotations:
        session.execute(insert(Annotation), annotations)
    used = {target.member for target in targets if target.member}
    report = {
        "format": fmt,
        "images_added": len(new),
        "images_matched": matched,
        "annotations": len(annotations),
        "classes_added": to_add,
        "boxes_clipped": clipped,
        "pools": dict(pools),
        "skipped_files": sorted(n for n in archive.names if is_image_path(n) and n not in used),
    }
    if before_commit is not None:
        before_commit(session, report)
    session.commit()
    return report


def _state_of(state: str, has_boxes: bool) -> str:
    """An imported image's state: the one asked for, except that an image without a box is not
    in progress and one with boxes is not unlabelled."""
    if not has_boxes and state == "in_progress":
        return "unlabelled"
    if has_boxes and state == "unlabelled":
        return "in_progress"
    return state
