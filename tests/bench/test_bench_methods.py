"""`python -m bench.fewshot --methods`: the default grid names real cards, and bad items are
refused; the command a results file records spells out every option."""

import json
import shlex
from pathlib import Path

import pytest

from bench.fewshot.cli import PROG, build_parser, explicit_command, parse_methods


def _default_methods() -> str:
    return build_parser().parse_args([]).methods


def test_the_default_grid_has_every_method_with_a_shipped_card_and_the_batch_variants(capsys):
    methods = {m.name: m for m in parse_methods(_default_methods())}
    assert "skipping" not in capsys.readouterr().out  # every default card is in models/
    assert {
        "reptile",
        "fomaml",
        "maml",
        "metasgd",
        "joint",
        "standard",
        "standard-lr3e-4",
        "standard-classifier",
        "scratch",
    } <= set(methods)
    assert methods["scratch"].card is None
    for name in ("standard-classifier-full", "standard-lr3e-4-b100"):
        assert methods[name].preset["batch_size"] == 100
    # the FOMAML, MAML and Meta-SGD presets take the whole support set; 8 per step is a variant
    for name in ("fomaml", "maml", "metasgd"):
        assert json.loads(Path(methods[name].card).read_text())["preset"]["batch_size"] == 100
    for name in ("fomaml", "metasgd"):
        assert methods[f"{name}-b8"].preset == {"batch_size": 8}
    assert methods["standard-lr3e-4-b100"].preset == {"lr": 0.0003, "batch_size": 100}
    assert methods["standard-lr3e-4-b100"].card == methods["standard-lr3e-4"].card


def test_default_checkpoints_are_fine_enough_to_read_the_ratio_off():
    checkpoints = [int(c) for c in build_parser().parse_args([]).checkpoints.split(",")]
    assert checkpoints == sorted(set(checkpoints))
    assert {2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 100, 120, 140, 160, 180, 200, 1000} <= set(
        checkpoints
    )


@pytest.mark.parametrize(
    "item, message",
    [
        ("fomaml=models/letters-fomaml.json?batchsize=100", "'batchsize=100' is not key=value"),
        ("fomaml=models/letters-fomaml.json?lr", "'lr' is not key=value"),
        ("fomaml", "is not name=card.json"),
        ("=models/letters-fomaml.json", "is not name=card.json"),
        ("a=scratch?lr=0.1", "from scratch takes no preset overrides"),
        ("a=scratch,a=models/letters-fomaml.json", "'a' is given twice"),
    ],
)
def test_a_bad_method_is_refused_with_what_is_wrong(item, message):
    with pytest.raises(SystemExit, match=message):
        parse_methods(item)


def test_a_missing_card_is_skipped_with_a_message(capsys, tmp_path):
    methods = parse_methods(f"gone={tmp_path / 'none.json'},scratch=scratch", {"scratch": 10})
    assert [(m.name, m.max_steps) for m in methods] == [("scratch", 10)]
    assert "skipping gone" in capsys.readouterr().out


def test_the_recorded_command_spells_out_the_defaults_and_parses_back_to_the_same_run():
    argv = [
        "--shots",
        "20",
        "--methods",
        "b100=models/letters-base.json?lr=0.0003&batch_size=100",
        "--update-cards",
    ]
    args = build_parser().parse_args(argv)
    words = shlex.split(explicit_command(args))
    prog = shlex.split(PROG)
    assert words[: len(prog)] == prog
    assert words[words.index("--checkpoints") + 1] == args.checkpoints  # a default, now written out
    assert (
        words[words.index("--shots") + 1] == "20"
        and "--update-cards" in words
        and "--quick" not in words
    )
    written = {w[2:].replace("-", "_") for w in words if w.startswith("--")}
    assert written == set(vars(args)) - {
        "quick"
    }  # every option but --quick, whose values are in args
    assert vars(build_parser().parse_args(words[len(prog) :])) == vars(args)
