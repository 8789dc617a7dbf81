"""ONNX export: the exported file, run in onnxruntime with the documented pre- and
post-processing, gives the engine's detections (boxes within 1 px, scores within 1e-3)."""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from PIL import Image

from worker.engine.cli import main
from worker.engine.data.letters import DEMO_CLASSES, SceneConfig, draw_scene
from worker.engine.detector import _decode_boxes
from worker.engine.inference import detect
from worker.engine.model_io import load_detector, read_card
from worker.engine.onnx_export import (
    detect_onnx,
    export_card,
    export_onnx,
    read_onnx_card,
)

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of xywh boxes a (N, 4) against b (M, 4)."""
    ax2, ay2, bx2, by2 = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    w = np.minimum(ax2[:, None], bx2[None]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(ay2[:, None], by2[None]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None] - inter
    return inter / union


def _differences(engine, exported) -> tuple[float, float]:
    """Max box (px) and score differences of two images' detections, matched one to one by
    class and best IoU; asserts they match."""
    boxes, scores, labels = exported
    assert len(boxes) == len(engine.boxes), (len(boxes), len(engine.boxes))
    box_diff = score_diff = 0.0
    used = np.zeros(len(boxes), bool)
    for box, score, label in zip(engine.boxes, engine.scores, engine.labels, strict=True):
        candidates = np.flatnonzero((labels == label) & ~used)
        assert len(candidates), "a detection of the engine has no counterpart"
        best = candidates[_iou(box[None], boxes[candidates])[0].argmax()]
        used[best] = True
        box_diff = max(box_diff, float(np.abs(boxes[best] - box).max()))
        score_diff = max(score_diff, abs(float(scores[best]) - float(score)))
    return box_diff, score_diff


@pytest.fixture(scope="module")
def letters_model():
    """letters-metasgd for the demo classes, each class row moved a little apart (as an adapted
    model's are: the shipped shared head gives every class the same score)."""
    card = read_card(MODELS / "letters-metasgd.json")
    model = load_detector(card, MODELS / "letters-metasgd.safetensors", DEMO_CLASSES).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        head = model.head.cls_logits
        head.weight += 0.02 * torch.randn(head.weight.shape, generator=generator)
        head.bias += torch.linspace(-0.5, 0.5, len(DEMO_CLASSES))
    return model


def _compare(model, images, session, info, threshold: float) -> tuple[int, float, float]:
    """Detections of the engine and of the exported file on ``images``: their count and the
    largest box and score differences."""
    engine = detect(model, images, score_threshold=threshold)
    found = 0
    worst_box = worst_score = 0.0
    for image, expected in zip(images, engine, strict=True):
        exported = detect_onnx(session, image, info, score_threshold=threshold)
        box_diff, score_diff = _differences(expected, exported)
        worst_box, worst_score = max(worst_box, box_diff), max(worst_score, score_diff)
        found += len(expected.boxes)
    print(f"{found} detections; max box diff {worst_box:.2e} px, score diff {worst_score:.2e}")
    return found, worst_box, worst_score


def _letter_images(classes) -> list[Image.Image]:
    """20 letters scenes of several sizes, one of them not square (letterboxed with padding)."""
    images = [
        draw_scene(i, classes, SceneConfig(image_size=size, max_objects=4)).image
        for i, size in enumerate([224, 256, 160, 300] * 5)
    ]
    images[3] = images[3].crop((0, 0, 300, 180))
    return images


def test_letters_model_matches_the_engine_on_20_images(letters_model, tmp_path):
    path = tmp_path / "letters.onnx"
    info = export_onnx(letters_model, DEMO_CLASSES, path)
    onnx.checker.check_model(onnx.load(str(path)))
    assert read_onnx_card(path) == info
    assert info["input"]["shape"] == ["batch", 3, 224, 224]
    assert info["input"]["mean"] == [0.5, 0.5, 0.5] and info["input"]["std"] == [0.25] * 3
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    # the unadapted model scores the unseen demo letters low: a lower threshold than the
    # default (0.05) compares a few hundred detections, not a handful
    found, worst_box, worst_score = _compare(
        letters_model, _letter_images(DEMO_CLASSES), session, info, threshold=0.01
    )
    assert found >= 100
    assert worst_box <= 1.0 and worst_score <= 1e-3


def test_letters_base_matches_the_engine_at_the_default_threshold(tmp_path):
    """A per-class head that knows its 16 letters: confident detections, default threshold."""
    card = read_card(MODELS / "letters-base.json")
    model = load_detector(card, MODELS / "letters-base.safetensors", card["classes"]).eval()
    path = tmp_path / "base.onnx"
    info = export_onnx(model, card["classes"], path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    found, worst_box, worst_score = _compare(
        model, _letter_images(card["classes"]), session, info, threshold=0.05
    )
    assert found >= 100
    assert worst_box <= 1.0 and worst_score <= 1e-3


def test_raw_outputs_are_the_engine_decoding(letters_model, tmp_path):
    """Before NMS: the graph's best candidates are the engine's own top-k of its maps."""
    path = tmp_path / "letters.onnx"
    export_onnx(letters_model, DEMO_CLASSES, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    batch = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    boxes, scores, labels = session.run(None, {"images": batch.numpy()})
    with torch.no_grad():
        maps = letters_model.predict_maps(batch)
    expected = torch.sqrt(
        torch.sigmoid(maps["cls_logits"]).flatten(1)
        * torch.sigmoid(maps["centerness"]).flatten(2).repeat(1, len(DEMO_CLASSES), 1).flatten(1)
    )
    top = expected.topk(1000, dim=1)
    locations = top.indices % (28 * 28)
    xyxy = torch.gather(
        _decode_boxes(maps["box_reg"], 8), 1, locations.unsqueeze(-1).expand(-1, -1, 4)
    )
    xywh = torch.cat([xyxy[..., :2], xyxy[..., 2:] - xyxy[..., :2]], dim=-1).numpy()
    assert boxes.shape == (2, 1000, 4) and labels.dtype == np.int64
    np.testing.assert_allclose(scores, top.values.numpy(), atol=1e-5)
    # candidates whose scores are within float error of a neighbour's may come in either order
    values = top.values.numpy()
    gaps = np.minimum(
        np.abs(np.diff(values, prepend=np.inf, axis=1)),
        np.abs(np.diff(values, append=-np.inf, axis=1)),
    )
    clear = gaps > 1e-5
    assert clear.sum() > 500
    np.testing.assert_array_equal(labels[clear], (top.indices // (28 * 28)).numpy()[clear])
    np.testing.assert_allclose(boxes[clear], xywh[clear], atol=1e-3)


def test_scenes_model_tiles_match_the_engine(tmp_path):
    """The default real-image model (tiles, EfficientNet-Lite0): one image of three tiles."""
    card = read_card(MODELS / "scenes-fomaml.json")
    model = load_detector(card, MODELS / "scenes-fomaml.safetensors", ["object"]).eval()
    model.working_scale = 1.25
    path = tmp_path / "scenes.onnx"
    info = export_onnx(model, ["object"], path)
    assert info["scale_mode"] == "tiles" and info["input"]["mean"] == [0.485, 0.456, 0.406]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    from skimage import data

    image = Image.fromarray(data.astronaut()).resize((1000, 700))  # 1250 x 875: 2 x 1 tiles
    expected = detect(model, [image])[0]
    box_diff, score_diff = _differences(expected, detect_onnx(session, image, info))
    print(f"{len(expected.boxes)} detections; box diff {box_diff:.2e} px, score {score_diff:.2e}")
    assert len(expected.boxes) > 0
    assert box_diff <= 1.0 and score_diff <= 1e-3


def test_cli_exports_a_card_with_its_onnx_section(tmp_path, capsys):
    out = tmp_path / "letters.onnx"
    main(["export-onnx", "letters-metasgd", "--classes", "C,F", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "wrote" in printed and out.is_file()
    card = read_card(out.with_suffix(".json"))
    assert card["classes"] == ["C", "F"] and card["onnx"]["file"] == "letters.onnx"
    assert "packed" not in card
    main(
        [
            "export-onnx",
            "scenes-fomaml",
            "--classes",
            "tree",
            "--working-scale",
            "0.5",
            "--out",
            str(tmp_path / "scenes.onnx"),
        ]
    )
    assert read_onnx_card(tmp_path / "scenes.onnx")["working_scale"] == 0.5
    with pytest.raises(ValueError, match="no classes"):
        export_card(MODELS / "letters-metasgd.json", tmp_path / "none.onnx")
