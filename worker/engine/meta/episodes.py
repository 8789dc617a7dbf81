"""Few-shot detection tasks, the way the thesis defines K-shot detection.

Description:
    A *task* (episode) picks M classes in a random order; for each class, K images that contain
    it (M·K images; a class may appear in more of them). Only the task's classes are targets:
    every other object in those images is background. A dataset is split by class folds:

    * ``train``: images that contain no test class (meta-training draws its tasks here);
    * ``test``: images with any test class, split 50/50 into ``test-adapt`` (the K shots of a
      test task come from here) and ``test-test`` (every adapted model is scored here).

    Task-level augmentation rotates all images of a task by the same multiple of 90°.

    :class:`DetectionDataset` holds annotations in memory and loads pixels on demand, from files
    of a COCO JSON on disk or by redrawing synthetic letters from their seeds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ..data.composites import draw_composite
from ..data.letters import ALPHABET, SceneConfig, draw_scene, scene_seed
from ..samples import Sample


@dataclass(frozen=True)
class ImageRecord:
    key: str | int  # a file path or a scene seed
    width: int
    height: int
    boxes: np.ndarray  # (N, 4) [x, y, w, h]
    labels: np.ndarray  # (N,) indices into the dataset's classes


@dataclass
class DetectionDataset:
    """Annotations in memory; pixels from ``loader(record)`` when a task needs them."""

    classes: list[str]
    records: list[ImageRecord]
    loader: Callable[[ImageRecord], Image.Image]
    description: dict = field(default_factory=dict)

    def images_with(self, class_index: int, among: Sequence[int]) -> list[int]:
        return [i for i in among if (self.records[i].labels == class_index).any()]

    @classmethod
    def from_coco(cls, path: str | Path) -> DetectionDataset:
        """A COCO detection JSON; image files are resolved relative to the JSON's folder."""
        path = Path(path)
        data = json.loads(path.read_text())
        categories = sorted(data["categories"], key=lambda c: c["id"])
        index = {c["id"]: i for i, c in enumerate(categories)}
        by_image: dict[int, list[dict]] = {}
        for ann in data["annotations"]:
            if not ann.get("iscrowd", 0):
                by_image.setdefault(ann["image_id"], []).append(ann)
        records = []
        for image in data["images"]:
            anns = by_image.get(image["id"], [])
            records.append(
                ImageRecord(
                    str(path.parent / image["file_name"]),
                    int(image["width"]),
                    int(image["height"]),
                    np.array([a["bbox"] for a in anns], np.float32).reshape(-1, 4),
                    np.array([index[a["category_id"]] for a in anns], np.int64),
                )
            )

        def load(record: ImageRecord) -> Image.Image:
            with Image.open(str(record.key)) as raw:
                return raw.convert("RGB")

        return cls(
            [c["name"] for c in categories],
            records,
            load,
            {"source": "coco", "path": str(path), "images": len(records)},
        )

    @classmethod
    def letters(
        cls,
        count: int,
        seed: int = 0,
        image_size: int = 224,
        classes: Sequence[str] = ALPHABET,
        max_objects: int = 4,
    ) -> DetectionDataset:
        """``count`` synthetic scenes of ``classes``, redrawn from their seeds when loaded."""
        cfg = SceneConfig(image_size=image_size, max_objects=max_objects)
        classes = list(classes)
        records = []
        for i in range(count):
            key = scene_seed(seed, i)
            scene = draw_scene(key, classes, cfg)
            records.append(
                ImageRecord(
                    key,
                    image_size,
                    image_size,
                    np.array([o.box for o in scene.objects], np.float32).reshape(-1, 4),
                    np.array([classes.index(o.letter) for o in scene.objects], np.int64),
                )
            )

        def load(record: ImageRecord) -> Image.Image:
            return draw_scene(int(record.key), classes, cfg).image

        return cls(
            classes,
            records,
            load,
            {
                "source": "letters",
                "count": count,
                "seed": seed,
                "image_size": image_size,
                "max_objects": max_objects,
            },
        )


def composites_dataset(
    count: int, kinds: Sequence[int], seed: int = 0, image_size: int = 256
) -> DetectionDataset:
    """``count`` textured composite scenes (:mod:`..data.composites`) of the object kinds
    ``kinds`` (class names ``kind-<seed>``), redrawn from their seeds when loaded."""
    kinds = [int(k) for k in kinds]
    classes = [f"kind-{k}" for k in kinds]
    records = []
    for i in range(count):
        key = scene_seed(seed, i)
        scene = draw_composite(key, kinds, image_size)
        records.append(ImageRecord(key, image_size, image_size, scene.boxes, scene.labels))

    def load(record: ImageRecord) -> Image.Image:
        return draw_composite(int(record.key), kinds, image_size).image

    return DetectionDataset(
        classes,
        records,
        load,
        {
            "source": "composites",
            "count": count,
            "seed": seed,
            "image_size": image_size,
            "kinds": [kinds[0], kinds[-1]] if kinds else [],
            "textures": "scikit-image sample images (skimage/data) and value noise",
        },
    )


def concat_datasets(parts: Sequence[DetectionDataset]) -> DetectionDataset:
    """One dataset of several (class names must differ between parts)."""
    classes: list[str] = []
    records: list[ImageRecord] = []
    owner: list[tuple[DetectionDataset, ImageRecord]] = []
    for part in parts:
        offset = len(classes)
        if set(classes) & set(part.classes):
            raise ValueError("datasets to join share class names")
        classes += part.classes
        for record in part.records:
            joined = ImageRecord(
                (len(records), record.key),
                record.width,
                record.height,
                record.boxes,
                record.labels + offset,
            )
            records.append(joined)
            owner.append((part, record))

    def load(record: ImageRecord) -> Image.Image:
        part, original = owner[record.key[0]]
        return part.loader(original)

    return DetectionDataset(
        classes, records, load, {"source": "joined", "parts": [p.description for p in parts]}
    )


@dataclass
class ClassSplit:
    """Image indices of one class fold (see the module docstring)."""

    train_classes: list[str]
    test_classes: list[str]
    train: list[int]
    test_adapt: list[int]
    test_test: list[int]


def split_by_classes(
    dataset: DetectionDataset,
    test_classes: Sequence[str],
    seed: int = 0,
    train_classes: Sequence[str] | None = None,
) -> ClassSplit:
    """Split ``dataset`` so that ``test_classes`` are never seen while training.

    Arguments:
        test_classes: the fold's classes.
        train_classes: classes that are targets in training (default: all the others). Classes
            in neither list stay background everywhere but keep an image out of ``train`` only
            if they are test classes.
    """
    unknown = set(test_classes) - set(dataset.classes)
    if unknown:
        raise ValueError(f"test classes not in the dataset: {sorted(unknown)}")
    test_idx = {dataset.classes.index(c) for c in test_classes}
    train_list = [c for c in (train_classes or dataset.classes) if c not in test_classes]
    train, test = [], []
    for i, record in enumerate(dataset.records):
        (test if any(int(label) in test_idx for label in record.labels) else train).append(i)
    order = np.random.default_rng(seed).permutation(len(test))
    half = len(test) // 2
    test_adapt = sorted(test[j] for j in order[:half])
    test_test = sorted(test[j] for j in order[half:])
    return ClassSplit(train_list, list(test_classes), train, test_adapt, test_test)


def rotate_sample(sample: Sample, quarter_turns: int) -> Sample:
    """Rotate an image and its boxes counter-clockwise by ``quarter_turns`` × 90°."""
    k = quarter_turns % 4
    if k == 0:
        return sample
    image, boxes = sample.image, sample.boxes.copy()
    for _ in range(k):
        w = image.width
        image = image.transpose(Image.Transpose.ROTATE_90)
        x, y, bw, bh = boxes.T.copy()
        boxes = np.stack([y, w - x - bw, bh, bw], axis=1)
    return Sample(image, boxes, sample.labels.copy())


@dataclass
class Episode:
    """One M-way K-shot task: the classes (in task order) and its images, labels remapped."""

    classes: list[str]
    support: list[Sample]
    query: list[Sample]
    rotation: int = 0
    support_ids: list[int] = field(default_factory=list)  # dataset indices of the images
    query_ids: list[int] = field(default_factory=list)


class EpisodeSampler:
    """Draw M-way K-shot tasks from some images of a dataset.

    Arguments:
        dataset: the images and annotations.
        image_indices: the split to draw from (``train`` or ``test_adapt``).
        classes: the classes tasks are made of.
        ways, shots: M and K. ``query_shots``: Q more images per class for a query set
            (first-order and second-order MAML score the adapted weights there).
        rotate: task-level augmentation by a random multiple of 90°.

    Example:
        >>> sampler = EpisodeSampler(ds, split.train, split.train_classes, ways=5, shots=5)
        >>> episode = sampler.sample(np.random.default_rng(0))
        >>> len(episode.support)
        25
    """

    def __init__(
        self,
        dataset: DetectionDataset,
        image_indices: Sequence[int],
        classes: Sequence[str],
        ways: int,
        shots: int,
        query_shots: int = 0,
        rotate: bool = False,
    ):
        self.dataset, self.ways, self.shots = dataset, ways, shots
        self.query_shots, self.rotate = query_shots, rotate
        self.by_class = {
            c: dataset.images_with(dataset.classes.index(c), image_indices) for c in classes
        }
        self.classes = [c for c in classes if len(self.by_class[c]) >= shots + query_shots]
        if len(self.classes) < ways:
            raise ValueError(
                f"only {len(self.classes)} classes have {shots + query_shots} images; "
                f"a {ways}-way task needs {ways}"
            )

    def _sample_for(self, index: int, task_classes: list[str]) -> Sample:
        record = self.dataset.records[index]
        mapping = {self.dataset.classes.index(c): j for j, c in enumerate(task_classes)}
        keep = np.array([int(label) in mapping for label in record.labels], bool)
        labels = np.array([mapping[int(label)] for label in record.labels[keep]], np.int64)
        return Sample(self.dataset.loader(record), record.boxes[keep], labels)

    def sample_indices(
        self, rng: np.random.Generator
    ) -> tuple[list[str], list[int], list[int], int]:
        """The task's classes, support and query image indices and rotation, without pixels."""
        task_classes = [self.classes[i] for i in rng.permutation(len(self.classes))[: self.ways]]
        used: set[int] = set()
        support, query = [], []
        for c in task_classes:
            pool = [i for i in self.by_class[c] if i not in used]
            if len(pool) < self.shots + self.query_shots:
                pool = list(self.by_class[c])  # small datasets: allow reuse across classes
            picked = [pool[i] for i in rng.permutation(len(pool))[: self.shots + self.query_shots]]
            support += picked[: self.shots]
            query += picked[self.shots :]
            used.update(picked)
        rotation = int(rng.integers(0, 4)) if self.rotate else 0
        return task_classes, support, query, rotation

    def sample(self, rng: np.random.Generator) -> Episode:
        task_classes, support, query, rotation = self.sample_indices(rng)
        load = lambda idx: rotate_sample(  # noqa: E731
            self._sample_for(idx, task_classes), rotation
        )
        return Episode(
            task_classes,
            [load(i) for i in support],
            [load(i) for i in query],
            rotation,
            support,
            query,
        )


def scoring_set(
    dataset: DetectionDataset,
    indices: Sequence[int],
    task_classes: Sequence[str],
    limit: int | None = None,
    seed: int = 0,
) -> list[Sample]:
    """``test-test`` images containing any of the task's classes, targets remapped to the task.

    Arguments:
        limit: score on at most this many images (a fixed random subset, the same for every
            method given the seed), so large test sets stay affordable.
    """
    class_idx = [dataset.classes.index(c) for c in task_classes]
    chosen = [i for i in indices if np.isin(dataset.records[i].labels, class_idx).any()]
    if limit is not None and len(chosen) > limit:
        pick = np.random.default_rng(seed).permutation(len(chosen))[:limit]
        chosen = sorted(chosen[j] for j in pick)
    mapping = {ci: j for j, ci in enumerate(class_idx)}
    samples = []
    for i in chosen:
        record = dataset.records[i]
        keep = np.array([int(label) in mapping for label in record.labels], bool)
        samples.append(
            Sample(
                dataset.loader(record),
                record.boxes[keep],
                [mapping[int(label)] for label in record.labels[keep]],
            )
        )
    return samples
