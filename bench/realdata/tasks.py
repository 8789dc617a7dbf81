"""The benchmark's task families: what each adapts on and what it is scored on.

within-all   (a) one site: the large YELL crop cut into a 3×3 grid; adapt on one tile with
             all its crowns, score on the other eight tiles; one task per adapt tile
within-<n>   (a) the same, adapting on a fully annotated window of the tile holding about
             ``n`` crowns (:func:`~.data.region_with`)
across       (b) across sites: adapt on OSBS_029 with all its crowns, score on SOAP_061 and
             the 1249×1035 YELL crop together (each image's AP50 is also recorded)
letters      (c) the synthetic letters, tasks drawn exactly as ``bench.fewshot`` draws them
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.fewshot.grid import FewshotConfig, draw_tasks
from worker.engine.data.letters import BASE_CLASSES, LETTER_FOLDS
from worker.engine.meta.episodes import DetectionDataset
from worker.engine.metrics import max_detections_for
from worker.engine.samples import Sample

from . import data

# the tiles of the 3×3 grid adapted on by default (row-major: 4 is the centre)
ADAPT_TILES = (4, 2, 6)


@dataclass
class RealTask:
    """One few-shot task: adapt on ``support``, score on ``query``."""

    name: str
    classes: list[str]
    support: list[Sample]
    query: list[Sample]
    query_names: list[str]
    score_each: bool = False  # also score every query image on its own
    about: dict = field(default_factory=dict)  # what the output says about the task


@dataclass
class Family:
    key: str
    title: str
    tasks: list[RealTask]

    @property
    def max_detections(self) -> int:
        """COCO's max detections for this family: twice the most objects on one scored image,
        rounded up to a multiple of 100 (at least COCO's 100)."""
        return max_detections_for(len(s.boxes) for t in self.tasks for s in t.query)

    def describe(self) -> dict:
        return {
            "title": self.title,
            "max_detections": self.max_detections,
            "tasks": [
                {
                    "name": t.name,
                    "classes": t.classes,
                    "support_images": len(t.support),
                    "support_boxes": int(sum(len(s.boxes) for s in t.support)),
                    "query_images": len(t.query),
                    "query_boxes": int(sum(len(s.boxes) for s in t.query)),
                    "most_boxes_on_a_query_image": int(max(len(s.boxes) for s in t.query)),
                    **t.about,
                }
                for t in self.tasks
            ],
        }


def _about(item: data.AnnotatedImage) -> dict:
    return {"size": list(item.image.size), "boxes": len(item.boxes)}


def within_site(
    adapt_tiles: Sequence[int] = ADAPT_TILES, crowns: int = 10, seed: int = 0
) -> list[Family]:
    """(a): the two support variants over the same adapt tiles and the same scoring tiles."""
    tiles = data.grid_tiles(data.load(data.YELL_LARGE), 3, 3)
    whole, part = [], []
    for index in adapt_tiles:
        tile = tiles[index]
        others = [t for i, t in enumerate(tiles) if i != index]
        query, names = [t.sample() for t in others], [t.name for t in others]
        about = {"adapt_tile": index, "tile": tile.name}
        name = f"tile {index} (row {index // 3}, column {index % 3})"
        whole.append(
            RealTask(
                name,
                list(data.CLASSES),
                [tile.sample()],
                query,
                names,
                about={**about, "support": _about(tile)},
            )
        )
        region = data.region_with(tile, crowns, seed)
        part.append(
            RealTask(
                name,
                list(data.CLASSES),
                [region.sample()],
                query,
                names,
                about={**about, "support": _about(region), "region_seed": seed},
            )
        )
    grid = (
        f"{data.YELL_LARGE} (2299×2472) in a 3×3 grid (tiles 0-8 row by row), adapt on tiles "
        f"{', '.join(map(str, adapt_tiles))} in turn, score on the other eight"
    )
    return [
        Family("within-all", f"(a) within one site, all crowns of one tile: {grid}", whole),
        Family(
            f"within-{crowns}",
            f"(a) within one site, a window of ~{crowns} crowns of one tile: {grid}",
            part,
        ),
    ]


def across_sites() -> Family:
    """(b): OSBS_029 → SOAP_061 and the 1249×1035 YELL crop."""
    support = data.load(data.OSBS)
    query = [data.load(data.SOAP), data.load(data.YELL_CROP)]
    task = RealTask(
        f"{data.OSBS} → {data.SOAP} + YELL crop",
        list(data.CLASSES),
        [support.sample()],
        [q.sample() for q in query],
        [q.name for q in query],
        score_each=True,
        about={
            "support": {"image": data.OSBS, **_about(support)},
            "query": [{"image": q.name, **_about(q)} for q in query],
        },
    )
    return Family(
        "across",
        f"(b) across sites: adapt on {data.OSBS}, score on {data.SOAP} and {data.YELL_CROP}",
        [task],
    )


def letters(
    folds: Sequence[int] = (0, 1),
    tasks_per_fold: int = 2,
    ways: int = 5,
    shots: int = 5,
    test_images: int = 100,
    seed: int = 0,
    dataset: DetectionDataset | None = None,
    images: int = 4000,
    data_seed: int = 0,
    fold_classes: Sequence[Sequence[str]] | None = None,
    train_classes: Sequence[str] = BASE_CLASSES,
) -> Family:
    """(c): ``ways``-way ``shots``-shot tasks on held-out letters, drawn by ``bench.fewshot``'s
    :func:`~bench.fewshot.grid.draw_tasks` (the same tasks as ``python -m bench.fewshot`` with the
    same dataset, folds, seed and scored images). ``dataset`` and ``fold_classes`` replace the
    4000 letters and the letter folds (tests)."""
    folds_classes = (
        [list(c) for c in fold_classes] if fold_classes else [list(LETTER_FOLDS[i]) for i in folds]
    )
    dataset = dataset or DetectionDataset.letters(images, seed=data_seed)
    cfg = FewshotConfig(
        folds=folds_classes,
        train_classes=list(train_classes),
        methods=[],
        ways=ways,
        shots=[shots],
        tasks=tasks_per_fold,
        test_images=test_images,
        seed=seed,
    )
    cells = draw_tasks(cfg, dataset)[shots]
    out = [
        RealTask(
            f"fold {c.fold} task {c.task}",
            list(c.episode.classes),
            list(c.episode.support),
            list(c.scoring),
            [f"image {i}" for i in range(len(c.scoring))],
            about={"fold": c.fold, "task": c.task, "fold_classes": "".join(folds_classes[c.fold])},
        )
        for c in cells
    ]
    return Family(
        "letters",
        f"(c) letters, {ways}-way {shots}-shot, {len(out)} tasks "
        f"({tasks_per_fold} per fold), as python -m bench.fewshot draws them; dataset "
        f"{dataset.description}",
        out,
    )
