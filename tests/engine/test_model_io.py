import hashlib
import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from worker.engine.detector import DenseDetector
from worker.engine.model_io import (
    fit_class_head,
    learned_lrs,
    load_detector,
    make_card,
    pack_weights,
    read_card,
    read_state,
    save_model,
    weights_sha256,
)


def test_saved_model_loads_back_with_the_same_outputs(tmp_path, tiny_config):
    model = DenseDetector(tiny_config, 3).eval()
    card = make_card("m", model, ["A", "B", "C"], "standard")
    weights, card_path = save_model(model, card, tmp_path, "m", dtype=torch.float32)
    loaded = load_detector(json.loads(card_path.read_text()), weights, ["A", "B", "C"]).eval()
    x = torch.randn(1, 3, 96, 96)
    a, b = model.predict_maps(x), loaded.predict_maps(x)
    assert all(torch.allclose(a[k], b[k]) for k in a)
    assert json.loads(card_path.read_text())["arch"]["input_size"] == 96


def test_the_same_weights_are_saved_as_the_same_bytes(tmp_path, tiny_config):
    model = DenseDetector(tiny_config, 2)
    card = make_card("m", model, ["A", "B"], "standard")
    files = [save_model(model, card, tmp_path / str(i), "m")[0].read_bytes() for i in range(8)]
    assert all(f == files[0] for f in files)


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
    assert all(
        torch.equal(row, state["head.cls_logits.weight"][0])
        for row in fitted["head.cls_logits.weight"]
    )


def test_unknown_architecture_is_refused(tiny_config):
    with pytest.raises(ValueError, match="architecture"):
        load_detector({"architecture": "yolo"}, {}, ["A"])


def _base_and_child(tmp_path, tiny_config):
    """A base model and a model whose trunk is the base's (as meta-training with a frozen trunk
    leaves it) and whose other layers differ, saved side by side; the child's original bytes."""
    torch.manual_seed(0)
    base = DenseDetector(tiny_config, 2)
    save_model(base, make_card("base", base, ["A", "B"], "standard"), tmp_path, "base")
    child = DenseDetector(tiny_config, 1)
    child.trunk.load_state_dict(base.trunk.state_dict())
    lrs = {
        f"metasgd_lr.head.cls_logits.{k}": torch.full_like(p, 0.1)
        for k, p in child.head.cls_logits.named_parameters()
    }
    weights, card_path = save_model(
        child,
        make_card("child", child, ["object"], "metasgd", class_head="shared"),
        tmp_path,
        "child",
        extra=lrs,
    )
    return card_path, weights.read_bytes()


def test_a_packed_model_keeps_its_own_tensors_and_reads_the_shared_ones_from_its_base(
    tmp_path, tiny_config
):
    card_path, original = _base_and_child(tmp_path, tiny_config)
    weights = card_path.with_suffix(".safetensors")
    before = load_file(str(weights))
    size_before, size_after = pack_weights(card_path, "base", "trunk.")
    card = read_card(card_path)
    assert size_before == len(original) and size_after == weights.stat().st_size < 0.6 * size_before
    assert not any(k.startswith("trunk.") for k in load_file(str(weights)))
    assert (
        card["packed"]["sha256"]
        == hashlib.sha256(original).hexdigest()
        == weights_sha256(weights, card)
    )
    state = read_state(weights, card)
    assert state.keys() == before.keys()
    assert all(
        torch.equal(state[k], before[k]) and state[k].dtype == before[k].dtype for k in before
    )
    assert load_detector(card, weights, ["X", "Y"]).num_classes == 2
    assert learned_lrs(weights, card, ["X", "Y"])["head.cls_logits.weight"].shape[0] == 2
    # the server hands workers the whole file again, with the same card: read as it is
    whole = tmp_path / "whole.safetensors"
    whole.write_bytes(original)
    assert read_state(whole, card).keys() == before.keys()
    with pytest.raises(ValueError, match="packed already"):
        pack_weights(card_path, "base", "trunk.")


def test_a_packed_model_refuses_a_base_that_changed(tmp_path, tiny_config):
    card_path, _ = _base_and_child(tmp_path, tiny_config)
    pack_weights(card_path, "base", "trunk.")
    base = tmp_path / "base.safetensors"
    state = load_file(str(base))
    state["trunk.stem.0.weight"] = state["trunk.stem.0.weight"] + 1
    save_file(state, str(base))
    with pytest.raises(ValueError, match="packed against another base.safetensors"):
        read_state(card_path.with_suffix(".safetensors"), read_card(card_path))


def test_packing_refuses_a_model_whose_trunk_is_not_the_bases(tmp_path, tiny_config):
    card_path, original = _base_and_child(tmp_path, tiny_config)
    base = tmp_path / "base.safetensors"
    state = load_file(str(base))
    state["trunk.stem.0.weight"][0, 0, 0, 0] += 1
    save_file(state, str(base))
    with pytest.raises(ValueError, match="trunk.stem.0.weight"):
        pack_weights(card_path, "base", "trunk.")
    assert card_path.with_suffix(
        ".safetensors"
    ).read_bytes() == original and "packed" not in read_card(card_path)
