import json

import pytest
import torch
from safetensors.torch import load_file

from worker.engine.detector import DenseDetector
from worker.engine.model_io import fit_class_head, load_detector, make_card, save_model


def test_saved_model_loads_back_with_the_same_outputs(tmp_path, tiny_config):
    model = DenseDetector(tiny_config, 3).eval()
    card = make_card("m", model, ["A", "B", "C"], "standard")
    weights, card_path = save_model(model, card, tmp_path, "m", dtype=torch.float32)
    loaded = load_detector(json.loads(card_path.read_text()), weights, ["A", "B", "C"]).eval()
    x = torch.randn(1, 3, 96, 96)
    a, b = model.predict_maps(x), loaded.predict_maps(x)
    assert all(torch.allclose(a[k], b[k]) for k in a)
    assert json.loads(card_path.read_text())["arch"]["input_size"] == 96


def test_half_precision_storage_is_half_the_size(tmp_path, tiny_config):
    model = DenseDetector(tiny_config, 2)
    card = make_card("m", model, ["A", "B"], "standard")
    full, _ = save_model(model, card, tmp_path / "f", "m", dtype=torch.float32)
    half, _ = save_model(model, card, tmp_path / "h", "m")
    assert half.stat().st_size < 0.55 * full.stat().st_size
    assert load_file(str(half))["head.box_reg.weight"].dtype == torch.float16


def test_per_class_head_keeps_known_rows_and_starts_new_classes_from_their_mean(tiny_config):
    state = DenseDetector(tiny_config, 2).state_dict()
    fitted = fit_class_head(state, {"classes": ["A", "B"]}, ["B", "Z", "A"])
    w = state["head.cls_logits.weight"]
    assert torch.equal(fitted["head.cls_logits.weight"][0], w[1])
    assert torch.equal(fitted["head.cls_logits.weight"][2], w[0])
    assert torch.allclose(fitted["head.cls_logits.weight"][1], w.mean(0))


@pytest.mark.parametrize("count", [1, 3, 7])
def test_shared_head_replicates_one_vector_for_any_number_of_classes(tiny_config, count):
    state = DenseDetector(tiny_config, 1).state_dict()
    fitted = fit_class_head(state, {"class_head": "shared"}, [str(i) for i in range(count)])
    assert fitted["head.cls_logits.weight"].shape[0] == count
    assert all(torch.equal(row, state["head.cls_logits.weight"][0])
               for row in fitted["head.cls_logits.weight"])


def test_unknown_architecture_is_refused(tiny_config):
    with pytest.raises(ValueError, match="architecture"):
        load_detector({"architecture": "yolo"}, {}, ["A"])
