"""Meta-training end to end on a tiny detector: any class count, resume, determinism."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from worker.engine.detector import DetectorConfig
from worker.engine.meta.episodes import DetectionDataset, split_by_classes
from worker.engine.meta.learners import InnerLoop
from worker.engine.meta.train import MetaTrainConfig, meta_train
from worker.engine.model_io import learned_lrs, load_detector, read_card
from worker.engine.routine import UpdateRoutine, adapt
from worker.engine.samples import Sample

ROOT = Path(__file__).resolve().parents[2]
TINY = DetectorConfig(trunk="resnet10", input_size=64, fpn_channels=32, head_convs=1, groups=8)


@pytest.fixture(scope="module")
def letters():
    return DetectionDataset.letters(160, seed=1, image_size=64, classes=list("ABCDEFG"))


@pytest.fixture(scope="module")
def reptile_init(letters, tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    cfg = MetaTrainConfig(
        algorithm="reptile",
        ways=3,
        shots=2,
        meta_batch=2,
        iterations=2,
        inner=InnerLoop(steps=2, batch_size=4),
    )
    card = meta_train(
        cfg, letters, split_by_classes(letters, ["A", "B"]), TINY, out, "tiny", progress=False
    )
    return card, out / "tiny.safetensors"


def test_meta_trained_card_holds_the_inner_loop_as_its_adaptation_preset(reptile_init):
    card, _ = reptile_init
    assert card["class_head"] == "shared" and card["algorithm"] == "reptile"
    assert card["preset"]["lr"] == 1e-3 and card["preset"]["optimizer"] == "adam"
    assert card["meta_training"]["held_out_classes"] == ["A", "B"]


@pytest.mark.parametrize("count", [1, 3, 7])
def test_a_meta_learned_init_adapts_to_any_number_of_classes(reptile_init, letters, count):
    card, weights = reptile_init
    classes = letters.classes[:count]
    model = load_detector(card, weights, classes)
    assert model.head.cls_logits.out_channels == count
    small = DetectionDataset.letters(4, seed=9, image_size=64, classes=classes)
    data = [Sample(small.loader(r), r.boxes, r.labels) for r in small.records]
    result = adapt(model, data, UpdateRoutine(steps=2, batch_size=2, early_stopping=False))
    assert result.steps_run == 2
    rows = model.head.cls_logits.weight
    assert count == 1 or not torch.equal(rows[0], rows[-1]), "class rows diverge once adapted"


def test_metasgd_stores_learned_rates_that_adaptation_uses(letters, tmp_path):
    cfg = MetaTrainConfig(
        algorithm="metasgd",
        ways=2,
        shots=1,
        query_shots=1,
        meta_batch=1,
        iterations=1,
        meta_lr=1e-3,
        inner=InnerLoop(steps=1, optimizer="sgd", batch_size=2),
    )
    card = meta_train(
        cfg, letters, split_by_classes(letters, ["A"]), TINY, tmp_path, "msgd", progress=False
    )
    assert card["preset"]["optimizer"] == "metasgd"
    assert (
        card["learned_rates"] == card["preset"]["train_layers"] == "all"
    )  # the layers the rates cover
    lrs = learned_lrs(tmp_path / "msgd.safetensors", card, ["B", "C", "D"])
    assert lrs["head.cls_logits.weight"].shape[0] == 3
    model = load_detector(
        card, tmp_path / "msgd.safetensors", ["B", "C", "D"]
    )  # extra tensors ignored
    assert model.num_classes == 3


def _meta_train_command(out: Path, checkpoint: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "worker.engine.cli",
        "meta-train",
        "--algorithm",
        "reptile",
        "--images",
        "120",
        "--input-size",
        "64",
        "--held-out",
        "A,B",
        "--ways",
        "3",
        "--shots",
        "2",
        "--meta-batch",
        "2",
        "--iterations",
        "6",
        "--inner-steps",
        "2",
        "--inner-batch",
        "4",
        "--checkpoint-every",
        "1",
        "--device",
        "cpu",
        "--out",
        str(out),
        "--name",
        "m",
        "--checkpoint",
        str(checkpoint),
    ]


@pytest.mark.slow
def test_meta_training_resumes_after_a_kill_and_matches_an_uninterrupted_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    straight = tmp_path / "straight"
    subprocess.run(
        _meta_train_command(straight, straight / "ck.pt"),
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    resumed = tmp_path / "resumed"
    checkpoint = resumed / "ck.pt"
    process = subprocess.Popen(
        _meta_train_command(resumed, checkpoint),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if checkpoint.exists() and torch.load(checkpoint, weights_only=True)["iteration"] >= 2:
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted_at = torch.load(checkpoint, weights_only=True)["iteration"]
    assert 2 <= interrupted_at < 6 and not (resumed / "m.safetensors").exists()
    subprocess.run(
        _meta_train_command(resumed, checkpoint), check=True, env=env, cwd=ROOT, capture_output=True
    )
    a, b = load_file(str(straight / "m.safetensors")), load_file(str(resumed / "m.safetensors"))
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), "same seed, same weights"
    assert read_card(resumed / "m.json")["meta_training"]["iterations"] == 6


def test_a_frozen_trunk_keeps_the_inits_trunk_and_meta_learns_the_rest(
    reptile_init, letters, tmp_path
):
    init_card, init_weights = reptile_init
    cfg = MetaTrainConfig(
        algorithm="fomaml",
        ways=2,
        shots=2,
        query_shots=1,
        meta_batch=2,
        iterations=2,
        meta_lr=1e-3,
        freeze_trunk=True,
        task_chunk=0,
        inner=InnerLoop(steps=2, lr=1e-2, batch_size=2, train_layers="classifier"),
    )
    card = meta_train(
        cfg,
        letters,
        split_by_classes(letters, ["A", "B"]),
        TINY,
        tmp_path,
        "frozen",
        init=(init_card, init_weights),
        progress=False,
    )
    before, after = load_file(str(init_weights)), load_file(str(tmp_path / "frozen.safetensors"))
    trunk = [k for k in before if k.startswith("trunk.")]
    assert trunk and all(torch.equal(before[k], after[k]) for k in trunk)
    assert not torch.equal(before["neck.smooth.0.weight"], after["neck.smooth.0.weight"])
    assert card["meta_training"]["freeze_trunk"] is True
    assert card["preset"]["train_layers"] == "classifier" and card["preset"]["lr"] == 1e-2


def test_a_frozen_trunk_run_resumed_from_its_checkpoint_equals_a_straight_run(
    reptile_init, letters, tmp_path
):
    """The shipped configuration (frozen trunk, class-layer inner loop; Meta-SGD, whose learned
    rates are resumed too): a resumed run starts with an empty trunk-feature cache, and must
    still reproduce the uninterrupted weights."""
    algorithm = "metasgd"
    init = reptile_init
    split = split_by_classes(letters, ["A", "B"])

    def config(iterations: int) -> MetaTrainConfig:
        return MetaTrainConfig(
            algorithm=algorithm,
            ways=2,
            shots=2,
            query_shots=1,
            meta_batch=2,
            iterations=iterations,
            meta_lr=1e-3,
            rate_meta_lr=1e-2,
            freeze_trunk=True,
            task_chunk=0,
            checkpoint_every=1,
            inner=InnerLoop(
                steps=2, lr=1e-2, optimizer="sgd", batch_size=2, train_layers="classifier"
            ),
        )

    meta_train(
        config(4), letters, split, TINY, tmp_path / "straight", "m", init=init, progress=False
    )
    checkpoint = tmp_path / "ck.pt"
    meta_train(
        config(2),
        letters,
        split,
        TINY,
        tmp_path / "first",
        "m",
        init=init,
        checkpoint=checkpoint,
        progress=False,
    )
    meta_train(
        config(4),
        letters,
        split,
        TINY,
        tmp_path / "resumed",
        "m",
        init=init,
        checkpoint=checkpoint,
        progress=False,
    )
    a = load_file(str(tmp_path / "straight" / "m.safetensors"))
    b = load_file(str(tmp_path / "resumed" / "m.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    rates = sorted(k for k in a if k.startswith("metasgd_lr."))  # only the adapted layer's rates
    assert rates == ["metasgd_lr.head.cls_logits.bias", "metasgd_lr.head.cls_logits.weight"]
    assert not torch.all(a[rates[1]] == 1e-2), (
        "the learned rates moved, and travel with the weights"
    )


def test_metasgd_from_a_metasgd_model_starts_from_its_learned_rates(
    reptile_init, letters, tmp_path
):
    """Meta-training Meta-SGD further (e.g. on other shots) carries the init's learned rates
    instead of resetting them to the constant inner lr; a model without rates starts at the lr."""
    split = split_by_classes(letters, ["A", "B"])
    inner = InnerLoop(steps=2, lr=1e-2, optimizer="sgd", batch_size=2, train_layers="classifier")

    def run(init, name: str, iterations: int, rate_step: float | None) -> dict:
        cfg = MetaTrainConfig(
            algorithm="metasgd",
            ways=2,
            shots=2,
            query_shots=1,
            meta_batch=1,
            iterations=iterations,
            meta_lr=1e-3,
            rate_meta_lr=rate_step,
            freeze_trunk=True,
            task_chunk=0,
            inner=inner,
        )
        return meta_train(cfg, letters, split, TINY, tmp_path, name, init=init, progress=False)

    first = run(reptile_init, "first", 2, 1e-2)
    assert first["meta_training"]["learned_rates_from"] is None
    first_rates = load_file(str(tmp_path / "first.safetensors"))
    key = "metasgd_lr.head.cls_logits.weight"
    assert not torch.all(first_rates[key] == 1e-2)
    second = run(
        (first, tmp_path / "first.safetensors"), "second", 0, None
    )  # no step: rates as loaded
    assert second["meta_training"]["learned_rates_from"] == "first"
    second_rates = load_file(str(tmp_path / "second.safetensors"))
    assert torch.equal(second_rates[key], first_rates[key])


def test_fomaml_with_prototype_starts_batches_its_tasks_and_hands_the_start_to_its_preset(
    reptile_init, letters, tmp_path
):
    """fo-Proto-MAML: every task's class rows start at its prototypes. The meta-batch computed
    in one ``vmap`` call matches the tasks one after another, the start changes what is learned,
    and the card's preset adapts from the same start."""
    split = split_by_classes(letters, ["A", "B"])

    def run(name: str, class_init: str, task_chunk: int | None) -> dict:
        inner = InnerLoop(
            steps=2, lr=1e-2, batch_size=2, train_layers="classifier", class_init=class_init
        )
        cfg = MetaTrainConfig(
            algorithm="fomaml",
            ways=2,
            shots=2,
            query_shots=1,
            meta_batch=2,
            iterations=2,
            meta_lr=1e-3,
            freeze_trunk=True,
            task_chunk=task_chunk,
            inner=inner,
        )
        return meta_train(
            cfg, letters, split, TINY, tmp_path, name, init=reptile_init, progress=False
        )

    card = run("proto", "prototype", 0)
    run("proto-vmap", "prototype", None)
    run("plain", "model", 0)
    proto, vmapped, plain = (
        load_file(str(tmp_path / f"{n}.safetensors")) for n in ("proto", "proto-vmap", "plain")
    )
    # two outer Adam steps of 1e-3 move a weight by up to 2e-3; summation order may differ by ~1e-5
    assert max(float((proto[k] - vmapped[k]).abs().max()) for k in proto) < 2e-4
    assert float((proto["head.tower.0.weight"] - plain["head.tower.0.weight"]).abs().max()) > 1e-3
    routine = UpdateRoutine.from_dict(card["preset"])
    assert routine.class_init == "prototype" and routine.class_init_scale == 3.0
    model = load_detector(card, tmp_path / "proto.safetensors", ["C", "D"])
    small = DetectionDataset.letters(4, seed=9, image_size=64, classes=["C", "D"])
    data = [Sample(small.loader(r), r.boxes, r.labels) for r in small.records]
    assert (
        adapt(model, data, UpdateRoutine.from_dict({**card["preset"], "steps": 1})).steps_run == 1
    )
