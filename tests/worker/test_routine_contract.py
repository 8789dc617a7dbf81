"""The backend validates routines without importing the engine (it never imports torch), so it
keeps its own copy of the engine's choices; this test fails when the two drift apart."""

from typing import get_args

from backend.schemas.jobs import ClassInit, Optimizer, TrainLayers
from backend.services.routines import LAYER_SCOPES
from worker.engine.routine import CLASS_INITS, OPTIMIZERS, TRAIN_LAYERS, UpdateRoutine


def test_the_backend_accepts_exactly_the_optimizers_and_layers_the_engine_runs():
    assert set(get_args(Optimizer)) == set(OPTIMIZERS)
    assert get_args(TrainLayers) == TRAIN_LAYERS
    assert get_args(ClassInit) == CLASS_INITS
    assert UpdateRoutine().class_init == CLASS_INITS[0]  # the default keeps the model's rows


def test_layer_scopes_run_narrowest_first():
    assert LAYER_SCOPES == ("classifier", "head", "all")
