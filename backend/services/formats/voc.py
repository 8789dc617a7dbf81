"""Pascal VOC XML: one file per image, boxes as ``<bndbox>`` xmin, ymin, xmax, ymax in pixels.

Parsed with ``defusedxml`` (entity expansion, external entities and DTDs are refused: the files
come from users). Coordinates are taken as given (x = xmin, w = xmax - xmin), as Datumaro and
deepforest read them. Splits come from ``ImageSets/Main/{train,val,test,trainval}.txt``.
An image is the one ``<filename>`` names; when there is no such image, the one image whose stem is
that name's stem, or else the XML file's own stem (``Entry.stems``, resolved by the importer).
"""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from backend.services.formats import Box, Entry, Problem, split_pool, stem


def _text(node: Element | None, tag: str) -> str | None:
    child = node.find(tag) if node is not None else None
    return child.text.strip() if child is not None and child.text else None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def parse(name: str, data: bytes) -> tuple[Entry | None, list[Problem]]:
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        return None, [Problem(name, f"not valid or not allowed XML: {error}")]
    if root.tag != "annotation":
        return None, [Problem(name, f"not a Pascal VOC file: the root is <{root.tag}>")]
    base_dir = name.rsplit("/", 1)[0] if "/" in name else ""
    ref = _text(root, "filename") or stem(name)
    # <filename> may name another format of the image than the one shipped (deepforest's
    # OSBS_029.xml says .tif beside OSBS_029.png): the stems are tried when it names none
    stems = tuple(dict.fromkeys((stem(ref.replace("\\", "/")), stem(name))))
    size = None
    width, height = (
        _float(_text(root.find("size"), "width")),
        _float(_text(root.find("size"), "height")),
    )
    if width and height and width > 0 and height > 0:
        size = (int(width), int(height))
    entry = Entry(ref, name, base_dir, [], None, size, stems)
    problems = []
    for index, obj in enumerate(root.iter("object")):
        where = f"{name}: object {index + 1}"
        label = _text(obj, "name")
        box = obj.find("bndbox")
        if not label:
            problems.append(Problem(where, "an object needs a <name>"))
            continue
        if box is None:
            problems.append(
                Problem(where, "an object needs a <bndbox> (other shapes are not read)")
            )
            continue
        values = [_float(_text(box, tag)) for tag in ("xmin", "ymin", "xmax", "ymax")]
        if any(v is None for v in values):
            problems.append(Problem(where, "<bndbox> needs numbers xmin, ymin, xmax and ymax"))
            continue
        xmin, ymin, xmax, ymax = (float(v) for v in values if v is not None)
        if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
            problems.append(Problem(where, "every coordinate must be finite"))
            continue
        entry.boxes.append(Box(label, (xmin, ymin, xmax - xmin, ymax - ymin), where))
    return entry, problems


def image_sets(files: dict[str, bytes]) -> dict[str, str]:
    """Image stem → pool, from ``ImageSets/Main/<split>.txt`` files (``name`` or ``name 1``)."""
    pools: dict[str, str] = {}
    for path, data in files.items():
        pool = split_pool(stem(path))
        if pool is None:
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if parts and (len(parts) == 1 or parts[-1] != "-1"):
                pools.setdefault(parts[0], pool)
    return pools


def document(
    file_name: str,
    width: int,
    height: int,
    boxes: list[tuple[str, list[float], float | None]],
) -> bytes:
    """One image's VOC XML; a box with a score gets a ``<score>`` element (predictions)."""
    root = Element("annotation")
    SubElement(root, "folder").text = "JPEGImages"
    SubElement(root, "filename").text = file_name
    size = SubElement(root, "size")
    SubElement(size, "width").text = str(width)
    SubElement(size, "height").text = str(height)
    SubElement(size, "depth").text = "3"
    SubElement(root, "segmented").text = "0"
    for label, (x, y, w, h), score in boxes:
        obj = SubElement(root, "object")
        SubElement(obj, "name").text = label
        SubElement(obj, "pose").text = "Unspecified"
        SubElement(obj, "truncated").text = "0"
        SubElement(obj, "difficult").text = "0"
        if score is not None:
            SubElement(obj, "score").text = f"{score:.6f}"
        bndbox = SubElement(obj, "bndbox")
        for tag, value in (("xmin", x), ("ymin", y), ("xmax", x + w), ("ymax", y + h)):
            SubElement(bndbox, tag).text = _number(value)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 6))
