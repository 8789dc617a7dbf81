"""The contracts module: routines, results and the task spec, validated as both sides read them."""

import math
import subprocess
import sys

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.results import DetectResult, EvaluateResult, without_nan
from contracts.routine import Routine, RoutineOverrides
from contracts.tasks import DetectSpec, TaskSpec


def test_the_contracts_load_neither_torch_nor_a_database_nor_http():
    code = (
        "import sys, contracts.events, contracts.results, contracts.routine, contracts.tasks; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'torch', 'sqlalchemy', 'httpx', 'fastapi', 'celery', 'redis', 'backend', 'worker'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_routine_fills_in_its_defaults_and_its_checkpoints_from_its_steps():
    assert Routine().checkpoints == [10, 50]
    assert Routine(steps=7).checkpoints == [7]
    assert Routine(steps=7, checkpoints=[7, 0, 99, -1, 7]).checkpoints == [0, 7]


@pytest.mark.parametrize(
    "fields", [{"stepz": 3}, {"lr": 0}, {"lr": math.inf}, {"optimizer": "rmsprop"}, {"steps": 0}]
)
def test_routine_overrides_refuse_unknown_fields_and_bad_values(fields):
    with pytest.raises(ValidationError) as error:
        RoutineOverrides.model_validate(fields)
    assert error.value.errors()[0]["loc"] == (next(iter(fields)),)


def test_routine_overrides_leave_unset_fields_unset():
    assert RoutineOverrides(steps=3).model_dump(exclude_none=True) == {"steps": 3}
    assert set(RoutineOverrides.model_fields) == set(Routine.model_fields)


def test_metrics_without_a_value_become_none_and_required_numbers_must_be_finite():
    result = EvaluateResult.model_validate(
        {
            "metrics": {"AP": math.nan, "APs": -1.0, "AP50": 0.5},
            "per_class": [{"class_index": 0, "AP": math.inf, "AP50": 0.25}],
            "pr_curves": [{"class_index": 0, "recall": [0.0, math.nan], "precision": [1, 0.5]}],
        }
    )
    assert result.metrics == {"AP": None, "APs": -1.0, "AP50": 0.5}
    assert result.per_class[0].AP is None and result.pr_curves[0].recall == [0.0, None]
    with pytest.raises(ValidationError, match="finite"):
        DetectResult.model_validate(
            {
                "predictions": [
                    {
                        "image_id": 1,
                        "detections": [{"class_index": 0, "box": [0, 0, 1, 1], "score": math.nan}],
                    }
                ]
            }
        )
    assert without_nan({"a": [1.0, math.nan], "b": {"c": -math.inf}}) == {
        "a": [1.0, None],
        "b": {"c": None},
    }


def test_class_indices_are_checked_against_the_number_of_classes_given():
    detection = {"class_index": 2, "box": [0, 0, 4, 4], "score": 0.5}
    result = {"predictions": [{"image_id": 1, "detections": [detection]}]}
    assert DetectResult.model_validate(result, context={"num_classes": 3})
    with pytest.raises(ValidationError, match="class_index 2 is not in 0..1"):
        DetectResult.model_validate(result, context={"num_classes": 2})


@pytest.mark.parametrize("bad", [True, "0.5", [1, 2, 3]])
def test_numbers_are_numbers(bad):
    field = "box" if isinstance(bad, list) else "score"
    detection = {"class_index": 0, "box": [0, 0, 4, 4], "score": 0.5, field: bad}
    with pytest.raises(ValidationError):
        DetectResult.model_validate({"predictions": [{"image_id": 1, "detections": [detection]}]})


def test_a_task_spec_is_told_apart_by_its_kind_and_keeps_unknown_params():
    spec = TypeAdapter(TaskSpec).validate_python(
        {
            "task_id": 1,
            "job_id": 2,
            "kind": "detect",
            "attempt": 1,
            "attempt_token": "t",
            "lease_seconds": 60,
            "classes": [{"id": 7, "name": "A"}],
            "model": {"id": 3, "name": "m", "weights_sha256": "0" * 64, "card": {}},
            "images": [{"id": 5, "sha256": "1" * 64, "width": 8, "height": 8}],
            "params": {"max_detections": 5, "tile_size": 512},
        }
    )
    assert isinstance(spec, DetectSpec)
    assert spec.model_dump()["params"] == {
        "score_threshold": 0.05,
        "max_detections": 5,
        "tile_size": 512,
    }
    assert spec.model_dump()["routine"] is None and spec.model_dump()["eval_images"] == []
