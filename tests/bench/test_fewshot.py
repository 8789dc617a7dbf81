"""The few-shot benchmark on a tiny detector: every cell runs, resumes, and reports."""

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file, save_file

from bench.fewshot.grid import (
    FewshotConfig,
    Method,
    combined_headline,
    headline,
    is_meta_learner,
    run_fewshot,
    steps_to_fraction,
    steps_to_reach,
)
from bench.fewshot.report import update_cards, write_report
from worker.engine.detector import DetectorConfig
from worker.engine.meta.episodes import DetectionDataset, split_by_classes
from worker.engine.meta.learners import InnerLoop
from worker.engine.meta.train import MetaTrainConfig, meta_train

TINY = DetectorConfig(trunk="resnet10", input_size=64, fpn_channels=32, head_convs=1, groups=8)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    letters = DetectionDataset.letters(120, seed=3, image_size=64, classes=list("ABCDEF"))
    out = tmp_path_factory.mktemp("models")
    cfg = MetaTrainConfig(
        algorithm="fomaml",
        ways=2,
        shots=1,
        query_shots=1,
        meta_batch=1,
        iterations=1,
        meta_lr=1e-3,
        inner=InnerLoop(steps=1, lr=1e-2, batch_size=2, train_layers="classifier"),
    )
    meta_train(
        cfg, letters, split_by_classes(letters, ["A", "B"]), TINY, out, "tiny", progress=False
    )
    card = str(out / "tiny.json")
    methods = [
        Method("fomaml", card),
        Method("standard-all", card, preset={"train_layers": "all", "lr": 1e-3}),
        Method("scratch", None, max_steps=2),
    ]
    config = FewshotConfig(
        folds=[["A", "B"]],
        train_classes=list("CDEF"),
        methods=methods,
        ways=2,
        shots=[1],
        steps=[2, 10],
        checkpoints=[2, 10],
        tasks=2,
        test_images=4,
        scratch_arch=TINY.to_dict(),
    )
    return letters, config


@pytest.mark.slow
def test_every_cell_runs_resumes_and_is_reported(setup, tmp_path):
    letters, config = setup
    path = tmp_path / "fewshot.json"
    results = run_fewshot(config, letters, path)
    runs = results["runs"]
    assert len(runs) == 3 * 2  # methods × tasks (one fold, one K)
    assert [p["step"] for p in runs["fold0/fomaml/K1/task0"]["curve"]] == [0, 2, 10]
    assert [p["step"] for p in runs["fold0/scratch/K1/task0"]["curve"]] == [0, 2]  # capped
    # step 0 is scored inside the adaptation (after the class layer's start), so the routine
    # holds it
    assert runs["fold0/fomaml/K1/task0"]["routine"]["checkpoints"] == [0, 2, 10]
    assert runs["fold0/standard-all/K1/task0"]["routine"]["train_layers"] == "all"  # the override
    assert (
        runs["fold0/fomaml/K1/task0"]["routine"]["train_layers"] == "classifier"
    )  # the card's preset
    # every method saw the same task
    assert len({tuple(r["classes"]) for k, r in runs.items() if k.endswith("task1")}) == 1
    cell = results["summary"]["fomaml"]["K1"]["10"]["AP50"]
    assert cell["n"] == 2 and 0 <= cell["mean"] <= 1
    top = results["headline"]["K1"]
    assert top["best_meta_learner"] == "fomaml" and top["best_AP50_at_10"] == cell["mean"]
    assert top["standard-all"]["AP50"]["100"] is None  # not run: reported as missing, not guessed

    # resume: a run removed from the file is the only one computed again
    kept = json.loads(path.read_text())
    del kept["runs"]["fold0/fomaml/K1/task1"]
    path.write_text(json.dumps(kept))
    again = run_fewshot(config, letters, path)
    assert again["runs"]["fold0/fomaml/K1/task0"] == runs["fold0/fomaml/K1/task0"]
    assert "fold0/fomaml/K1/task1" in again["runs"]

    md, png = write_report(again, tmp_path, "fewshot")
    assert "| fomaml |" in md.read_text() and png.stat().st_size > 0
    combined = {**again["summary"], "other": again["summary"]["fomaml"]}
    md_other, with_other = write_report(again, tmp_path, "fewshot-compared", combined=combined)
    assert with_other.read_bytes() != png.read_bytes()  # the compared method is drawn too
    assert "- other K1: 0: " in md_other.read_text()  # and its merged curve listed

    written = update_cards(again, config.methods, str(path))
    assert [p.name for p in written] == ["tiny.json"]  # the preset variant leaves the card alone
    row = json.loads(written[0].read_text())["benchmark"]
    assert row["method"] == "fomaml" and row["K1"]["10"] == again["summary"]["fomaml"]["K1"]["10"]
    assert row["preset"] == json.loads(written[0].read_text())["preset"]  # the preset it ran with

    other = FewshotConfig(**{**config.to_dict(), "tasks": 3, "methods": config.methods})
    with pytest.raises(ValueError, match="another configuration .differs in tasks"):
        run_fewshot(other, letters, path)

    # a K added on resume: only its runs are computed; the stored K's runs and tasks stay
    grown = FewshotConfig(
        **{
            **config.to_dict(),
            "shots": [1, 2],
            "methods": config.methods[:1]
            + [Method("fomaml-sgd", config.methods[0].card, preset={"optimizer": "sgd"})]
            + config.methods[1:],
        }
    )
    with pytest.raises(ValueError, match="leaves out K = .1"):
        run_fewshot(
            FewshotConfig(**{**grown.to_dict(), "shots": [2], "methods": grown.methods}),
            letters,
            path,
        )
    with pytest.raises(ValueError, match="leaves out method scratch"):
        run_fewshot(
            FewshotConfig(**{**grown.to_dict(), "methods": grown.methods[:3]}), letters, path
        )
    wider = run_fewshot(grown, letters, path)
    assert len(wider["runs"]) == 4 * 2 * 2  # methods × K × tasks
    assert wider["device"] == "cpu" and {r["device"] for r in wider["runs"].values()} == {"cpu"}
    assert len(wider["environments"]) == 1 and wider["environments"][0].startswith("torch ")
    assert all(wider["runs"][k] == again["runs"][k] for k in again["runs"])
    assert wider["summary"]["fomaml-sgd"]["K1"]["10"]["AP50"]["n"] == 2
    assert wider["summary"]["fomaml"]["K2"]["10"]["AP50"]["n"] == 2
    config = grown
    stored = json.loads(
        path.read_text()
    )  # as if K=2 had run on a GPU, and K=1 before runs recorded it
    for key, run in stored["runs"].items():
        if "/K2/" in key:
            run["device"] = "cuda"
        else:
            del run["device"]
    path.write_text(json.dumps({**stored, "device": "cpu"}))

    # a raised cap reruns only the capped method's runs, and the longer run repeats the short one
    def capped(cap):
        methods = config.methods[:3] + [Method("scratch", None, max_steps=cap)]
        return FewshotConfig(**{**config.to_dict(), "methods": methods})

    longer = run_fewshot(capped(None), letters, path)
    assert [p["step"] for p in longer["runs"]["fold0/scratch/K1/task0"]["curve"]] == [0, 2, 10]
    assert (
        longer["runs"]["fold0/scratch/K1/task0"]["curve"][:2]
        == runs["fold0/scratch/K1/task0"]["curve"]
    )
    assert longer["runs"]["fold0/fomaml/K1/task0"] == runs["fold0/fomaml/K1/task0"]  # not run again
    assert longer["device"] == "cpu + cuda"  # the file names where its runs ran
    assert longer["summary"]["scratch"]["K1"]["10"]["AP50"]["n"] == 2
    assert longer["summary"]["scratch"]["K2"]["10"]["AP50"]["n"] == 2
    # lowered again: the stored runs are cut at the cap, not run again
    shorter = run_fewshot(capped(2), letters, path)
    assert (
        shorter["runs"]["fold0/scratch/K1/task1"]["curve"]
        == runs["fold0/scratch/K1/task1"]["curve"]
    )
    assert "10" not in shorter["summary"]["scratch"]["K1"]

    # the card's weights re-trained in place: the runs from it are computed again, scratch's kept
    weights = config.methods[0].weights
    original = weights.read_bytes()
    try:
        state = load_file(weights)
        name = next(k for k, v in state.items() if v.is_floating_point())
        save_file({**state, name: state[name] + 0.5}, weights)
        retrained = run_fewshot(capped(2), letters, path)
    finally:
        weights.write_bytes(original)
    for key, run in retrained["runs"].items():
        assert (run["init_sha256"] == shorter["runs"][key]["init_sha256"]) == (
            "/scratch/" in key
        ), key
    assert retrained["runs"]["fold0/scratch/K1/task0"] == shorter["runs"]["fold0/scratch/K1/task0"]

    # the card's preset changed (here its rate): the runs that use it are computed again; a variant
    # that sets the rate itself (standard-all), and scratch, are kept
    restored = run_fewshot(capped(2), letters, path)  # the original weights again
    card_path = Path(config.methods[0].card)
    card_text = card_path.read_text()
    try:
        card = json.loads(card_text)
        card_path.write_text(
            json.dumps({**card, "preset": {**card["preset"], "lr": 2 * card["preset"]["lr"]}})
        )
        represet = run_fewshot(capped(2), letters, path)
    finally:
        card_path.write_text(card_text)
    for key, run in represet["runs"].items():
        uses_rate = "/fomaml/" in key or "/fomaml-sgd/" in key
        assert (run == restored["runs"][key]) == (not uses_rate), key
        assert run["routine"]["lr"] == (
            2 * card["preset"]["lr"] if uses_rate else restored["runs"][key]["routine"]["lr"]
        )


@pytest.mark.slow
def test_tasks_batched_together_give_the_runs_of_tasks_run_one_by_one(setup, tmp_path):
    letters, config = setup
    config = FewshotConfig(
        **{**config.to_dict(), "methods": config.methods[:2]}
    )  # fomaml, standard-all
    alone = run_fewshot(config, letters, tmp_path / "alone.json")
    together = run_fewshot(config, letters, tmp_path / "together.json", task_batch=2)
    assert together["runs"].keys() == alone["runs"].keys()
    for key, run in together["runs"].items():
        assert run["tasks_batched"] == 2 and "tasks_batched" not in alone["runs"][key]
        assert run["classes"] == alone["runs"][key]["classes"]  # the same task
        assert [p["step"] for p in run["curve"]] == [0, 2, 10]
        if "/fomaml/" in key:  # the class layer alone: equal up to rounding, so equal scores
            assert run["curve"] == alone["runs"][key]["curve"]


def test_steps_to_ninety_percent_of_the_final_ap50():
    curve = {
        str(s): {"AP50": {"mean": v}} for s, v in [(0, 0.1), (10, 0.5), (100, 0.85), (1000, 0.9)]
    }
    assert steps_to_fraction(curve) == 100  # 0.85 ≥ 0.9 × 0.9
    curve["10"]["AP50"]["mean"] = 0.82
    assert steps_to_fraction(curve) == 10
    assert steps_to_fraction({"10": {"AP50": {"mean": 0.5}}}) is None  # no 1000-step point
    curve["100"]["AP50"]["mean"] = 0.7  # touches the bar at 10, falls under it, is back at 1000
    assert steps_to_fraction(curve) == 10 and steps_to_fraction(curve, stay=True) == 1000
    assert steps_to_reach(curve, 0.95, stay=True) is None


def test_an_overfitting_baseline_is_also_measured_against_its_peak():
    curve = {
        str(s): {"AP50": {"mean": v}} for s, v in [(10, 0.28), (100, 0.75), (200, 0.8), (1000, 0.3)]
    }
    assert steps_to_fraction(curve) == 10  # 0.28 ≥ 0.9 × 0.3: the 1000-step bar is low
    assert steps_to_fraction(curve, final="peak") == 100  # 0.75 ≥ 0.9 × 0.8
    assert steps_to_reach(curve, 0.78) == 200 and steps_to_reach(curve, 0.81) is None


def _results(methods: dict, shots=(5,), tasks=2) -> dict:
    config = FewshotConfig(
        folds=[["A", "B"]], train_classes=["C", "D"], methods=[], shots=list(shots), tasks=tasks
    ).to_dict()
    summary = {
        m: {"K5": {str(s): {"AP50": {"mean": v}} for s, v in curve.items()}}
        for m, curve in methods.items()
    }
    return {"config": config, "dataset": {"source": "letters", "seed": 0}, "summary": summary}


def test_a_headline_over_two_files_of_the_same_tasks():
    meta = _results({"metasgd": {10: 0.85, 100: 0.88, 1000: 0.9}})
    standard = _results({"standard": {10: 0.2, 100: 0.75, 200: 0.79, 1000: 0.3}}, shots=(1, 5))
    combined, merged = combined_headline(meta, {"standard.json": standard})
    row = combined["K5"]
    assert row["best_meta_learner"] == "metasgd" and row["best_steps_to_90pct_of_own_1000"] == 10
    assert (
        row["standard"]["steps_to_90pct_of_own_peak"] == 100
        and row["standard"]["step_ratio_peak"] == 10
    )
    assert row["standard"]["steps_to_match_best_at_10"] is None  # never reaches 0.85 in 1000 steps
    assert combined["methods_from"] == {"standard": "standard.json", "metasgd": "this run"}
    assert combined["not_merged"] == [] and merged.keys() == {"standard", "metasgd"}
    with pytest.raises(ValueError, match="tasks differ"):
        combined_headline(meta, {"other.json": _results({"standard": {10: 0.2}}, tasks=3)})


def test_finer_checkpoints_of_the_same_adaptations_merge_into_one_curve():
    grid = _results(
        {
            "fomaml": {10: 0.80, 20: 0.88, 100: 0.95, 1000: 0.96},
            "standard": {10: 0.2, 100: 0.7, 200: 0.9, 1000: 0.94},
        }
    )
    # the same adaptations re-scored at finer checkpoints, to 20 and 200 steps
    fine = _results(
        {
            "fomaml": {10: 0.80, 12: 0.83, 14: 0.87, 20: 0.88},
            "standard": {10: 0.2, 100: 0.7, 150: 0.86, 200: 0.9},
        }
    )
    head, merged = combined_headline(fine, {"grid.json": grid})
    assert list(merged["standard"]["K5"]) == ["10", "100", "150", "200", "1000"]
    assert head["methods_from"]["standard"] == "grid.json + this run" and head["not_merged"] == []
    row = head["K5"]  # fomaml reaches 0.864 at 14 steps; standard reaches 0.846 at 150
    assert (
        row["best_steps_to_90pct_of_own_1000"] == 14
        and row["standard"]["steps_to_90pct_of_own_1000"] == 150
    )
    assert (
        row["standard"]["step_ratio"] == 150 / 14
        and row["standard"]["step_ratio_staying"] == 150 / 14
    )
    # the same method scored differently at a shared checkpoint: other adaptations, not merged
    other = _results(
        {
            "fomaml": {10: 0.80, 12: 0.83, 14: 0.87, 20: 0.88},
            "standard": {10: 0.2, 100: 0.78, 150: 0.86, 200: 0.9},
        }
    )
    head, merged = combined_headline(other, {"grid.json": grid})
    assert head["not_merged"] == [
        {"method": "standard", "K": "K5", "taken_from": "this run", "max_AP50_gap": 0.08}
    ]
    assert (
        "1000" not in merged["standard"]["K5"]
        and head["K5"]["standard"]["steps_to_90pct_of_own_1000"] is None
    )


def test_a_variant_of_a_meta_learner_competes_for_best_and_other_methods_do_not():
    results = _results(
        {
            "fomaml": {10: 0.80, 1000: 0.96},
            "fomaml-full": {10: 0.85, 1000: 0.96},
            "standard-classifier": {10: 0.9, 1000: 0.95},
            "standard": {10: 0.2, 1000: 0.9},
        }
    )
    cfg = FewshotConfig(folds=[["A", "B"]], train_classes=["C", "D"], methods=[], shots=[5])
    row = headline(results["summary"], cfg)["K5"]
    assert row["best_meta_learner"] == "fomaml-full" and row["best_AP50_at_10"] == 0.85
    assert is_meta_learner("metasgd-full") and not is_meta_learner("standard-lr3e-4")
    assert not is_meta_learner("joint") and not is_meta_learner("scratch")


def test_a_baseline_not_run_to_1000_steps_is_timed_to_the_best_baseline_bar():
    # a larger-batch control run to 200 steps only: no bar of its own, so the headline times it
    # (and every baseline) to 90% of the best 1000-step AP50 among the baselines — 0.9 * 0.94 here,
    # not the collapsed preset's 0.5
    results = _results(
        {
            "fomaml": {10: 0.85, 14: 0.88, 1000: 0.97},
            "standard": {10: 0.2, 50: 0.6, 100: 0.7, 1000: 0.5},
            "standard-lr3e-4": {10: 0.2, 90: 0.8, 140: 0.85, 180: 0.84, 200: 0.9, 1000: 0.94},
            "standard-lr3e-4-b100": {10: 0.25, 80: 0.8, 90: 0.85, 200: 0.93},
        }
    )
    cfg = FewshotConfig(folds=[["A", "B"]], train_classes=["C", "D"], methods=[], shots=[5])
    row = headline(results["summary"], cfg)["K5"]
    assert row["best_baseline_1000"] == {"method": "standard-lr3e-4", "AP50": 0.94}
    b100 = row["standard-lr3e-4-b100"]
    assert b100["steps_to_90pct_of_own_1000"] is None and b100["step_ratio"] is None
    assert (
        b100["steps_to_90pct_of_best_baseline_1000"] == 90
        and b100["step_ratio_best_baseline_bar"] == 90 / 14
    )
    tuned = row["standard-lr3e-4"]
    assert (
        tuned["steps_to_90pct_of_best_baseline_1000"] == tuned["steps_to_90pct_of_own_1000"] == 140
    )
    assert tuned["steps_to_90pct_of_best_baseline_1000_staying"] == 200
    assert tuned["step_ratio_best_baseline_bar_staying"] == 200 / 14
    assert row["standard"]["steps_to_90pct_of_own_1000"] == 50  # its own collapsed bar is 0.45
    assert row["standard"]["steps_to_90pct_of_best_baseline_1000"] is None  # never reaches 0.846
