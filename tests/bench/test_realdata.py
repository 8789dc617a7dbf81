"""The real-image benchmark: the deepforest tiles as it cuts them, and its smallest run end to end
(one tiny card and one fine-tuning baseline, two steps, on small crops and a tiny letters task)."""

import importlib.util
import json

import numpy as np
import pytest

from bench.realdata import data, tasks
from bench.realdata.harness import run_benchmark
from bench.realdata.methods import Baseline, Starts, parse, reference_card
from bench.realdata.report import write_report
from worker.engine.detector import DenseDetector, DetectorConfig
from worker.engine.meta.episodes import DetectionDataset
from worker.engine.model_io import make_card, save_model

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("deepforest") is None,
    reason="the deepforest package (its data files) is not installed",
)


def _xyxy(boxes: np.ndarray) -> np.ndarray:
    return np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], 1)


@pytest.mark.parametrize("stem", [data.YELL_LARGE, data.YELL_CROP, data.OSBS])
def test_grid_tiles_keep_every_crown_in_the_tile_holding_its_centre(stem):
    item = data.load(stem)
    tiles = data.grid_tiles(item, 3, 3)
    w, h = item.image.size
    xs, ys = [round(i * w / 3) for i in range(4)], [round(i * h / 3) for i in range(4)]
    for box in _xyxy(item.boxes):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        col, row = (
            np.searchsorted(xs, cx, side="right") - 1,
            np.searchsorted(ys, cy, side="right") - 1,
        )
        tile = tiles[row * 3 + col]
        x0, y0 = xs[col], ys[row]
        expected = np.clip(box - [x0, y0, x0, y0], 0, list(tile.image.size) * 2)
        assert (np.abs(_xyxy(tile.boxes) - expected).max(1) < 1e-3).any(), (stem, box)


def test_region_with_holds_at_least_the_crowns_asked_for_all_inside_it():
    tiles = data.grid_tiles(data.load(data.YELL_LARGE), 3, 3)
    for index in tasks.ADAPT_TILES:
        for seed in range(3):
            region = data.region_with(tiles[index], 10, seed)
            assert len(region.boxes) >= 10
            corners = _xyxy(region.boxes)
            assert (corners >= 0).all() and (corners[:, 2] <= region.image.width).all()
            assert (corners[:, 3] <= region.image.height).all()


def test_methods_parse_cards_and_the_built_in_baselines(tmp_path):
    methods = parse("fine=finetune-all?lr=0.001,head=finetune-head,gone=missing.json")
    assert [(m.name, type(m).__name__) for m in methods] == [
        ("fine", "Baseline"),
        ("head", "Baseline"),
    ]
    assert methods[0].preset == {"lr": 0.001}
    with pytest.raises(SystemExit):
        parse("x=finetune-head?batchsize=3")
    assert reference_card(str(tmp_path / "none.json"), methods) is None


@pytest.fixture(scope="module")
def tiny_card(tmp_path_factory):
    """A random tiles detector on EfficientNet-Lite0, small enough to adapt in a test."""
    config = DetectorConfig(
        trunk="efficientnet_lite0",
        input_size=96,
        fpn_channels=32,
        head_convs=1,
        groups=8,
        scale_mode="tiles",
        tile_size=256,
        tile_overlap=32,
    )
    model = DenseDetector(config, 1)
    out = tmp_path_factory.mktemp("cards")
    card = make_card(
        "tiny",
        model,
        ["thing"],
        "metasgd",
        preset={
            "optimizer": "adam",
            "lr": 1e-3,
            "batch_size": 4,
            "steps": 2,
            "train_layers": "head",
        },
    )
    save_model(model, card, out, "tiny")
    return str(out / "tiny.json")


def _small_family() -> tasks.Family:
    osbs = data.load(data.OSBS)
    support = data.crop(osbs, 0, 0, 128, 128, "support")
    query = data.crop(osbs, 200, 200, 328, 328, "query")
    task = tasks.RealTask(
        "corner", ["Tree"], [support.sample()], [query.sample()], ["query"], score_each=True
    )
    return tasks.Family("small", "two crops of OSBS_029", [task])


@pytest.mark.slow
def test_smallest_run_writes_results_table_and_plot(tiny_card, tmp_path):
    letters = tasks.letters(
        dataset=DetectionDataset.letters(60, seed=3, image_size=64, classes=list("ABCDEF")),
        fold_classes=[["A", "B"]],
        train_classes=list("CDEF"),
        ways=2,
        shots=1,
        tasks_per_fold=1,
        test_images=3,
    )
    methods = parse(f"tiny={tiny_card},head=finetune-head")
    assert isinstance(methods[1], Baseline)
    starts = Starts(reference_card(None, methods))
    results = run_benchmark(
        [_small_family(), letters],
        methods,
        starts,
        tmp_path / "rd.json",
        steps=2,
        checkpoints=[0, 2],
        command="test",
    )
    assert json.loads((tmp_path / "rd.json").read_text())["summary"] == results["summary"]
    assert set(results["runs"]) == {
        f"{f}/{m}/{t}"
        for f, t in [("small", "corner"), ("letters", "fold 0 task 0")]
        for m in ("tiny", "head")
    }
    assert results["families"]["small"]["max_detections"] == 100
    assert results["methods"]["head"]["preset"]["train_layers"] == "head"
    assert results["methods"]["tiny"]["kind"] == "meta-learned"
    for family in ("small", "letters"):
        for method in ("tiny", "head"):
            cell = results["summary"][family][method]
            assert set(cell["steps"]) == {"0", "2"}
            for stat in cell["steps"].values():
                for metric in ("AP50", "AP"):
                    assert stat[metric]["n"] == 1 and 0 <= stat[metric]["mean"] <= 1
            assert cell["loop_seconds"]["mean"] > 0 and 0 <= cell["loop_AP50"]["mean"] <= 1
    run = results["runs"]["small/tiny/corner"]
    assert run["loop"]["preset_steps"] == 2 and [p["step"] for p in run["curve"]] == [0, 2]
    assert 0 <= run["curve"][-1]["by_image"]["query"] <= 1
    md, png = write_report(results, tmp_path, "rd")
    text = md.read_text()
    assert (
        "COCO max detections per image: 100" in text and "| tiny |" in text and "| head |" in text
    )
    assert "torch" in text and "load average at start" in text
    assert png.stat().st_size > 0


def test_dihedral_copies_move_the_boxes_with_the_pixels():
    """Each of the eight flips and transposes keeps a box on the object it boxed."""
    from PIL import Image

    from bench.realdata.variants import dihedral
    from worker.engine.samples import Sample

    pixels = np.zeros((30, 50), np.uint8)
    pixels[4:10, 7:22] = 255  # an object at x 7-22, y 4-10
    copies = dihedral(Sample(Image.fromarray(pixels).convert("RGB"), [[7, 4, 15, 6]], [0]))
    assert len(copies) == 8
    sizes = set()
    for copy in copies:
        lit = np.argwhere(np.asarray(copy.image)[:, :, 0] > 0)
        (y0, x0), (y1, x1) = lit.min(0), lit.max(0) + 1
        assert copy.boxes.tolist() == [[x0, y0, x1 - x0, y1 - y0]]
        sizes.add(copy.image.size)
    assert sizes == {(50, 30), (30, 50)}
