"""`python -m bench.fewshot.tasks`: curves on the tasks a partial results file holds."""

import json

import pytest

from bench.fewshot.tasks import main


def _file(path, runs):
    path.write_text(
        json.dumps(
            {
                "runs": {
                    key: {"curve": [{"step": s, "AP": 0.0, "AP50": v} for s, v in curve.items()]}
                    for key, curve in runs.items()
                }
            }
        )
    )
    return str(path)


def test_only_the_partial_files_tasks_count_and_finer_checkpoints_merge(tmp_path, capsys):
    partial = _file(tmp_path / "partial.json", {"fold0/slow/K5/task0": {10: 0.2, 100: 0.9}})
    grid = _file(
        tmp_path / "grid.json",
        {
            "fold0/fast/K5/task0": {10: 0.9, 1000: 1.0},
            "fold1/fast/K5/task0": {10: 0.0, 1000: 0.0},  # not in the partial file
            "fold0/slow/K5/task0": {1000: 0.8},
        },
    )
    fine = _file(tmp_path / "fine.json", {"fold0/fast/K5/task0": {2: 0.5, 10: 0.9}})
    main(["--tasks-of", partial, "--shots", "5", f"fast={grid}+{fine}", f"slow={partial}+{grid}"])
    out = capsys.readouterr().out
    assert "1 task(s): fold0/task0" in out
    assert "| fast | 0.50 | 0.90 | — | 1.00 | 0.900 | 10 | 10 |" in out
    assert "| slow | — | 0.20 | 0.90 | 0.80 | 0.720 | 100 | 100 |" in out


def test_files_that_disagree_on_a_shared_checkpoint_are_refused(tmp_path):
    a = _file(tmp_path / "a.json", {"fold0/m/K5/task0": {10: 0.5}})
    b = _file(tmp_path / "b.json", {"fold0/m/K5/task0": {10: 0.6}})
    with pytest.raises(SystemExit, match="disagrees at step 10"):
        main(["--tasks-of", a, "--shots", "5", f"m={a}+{b}"])
