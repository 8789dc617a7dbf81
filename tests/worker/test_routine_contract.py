"""The routine's defaults are written once, in contracts.defaults: contracts.Routine, the engine's
UpdateRoutine, the meta-training inner loop and the command line take theirs from there."""

import dataclasses
import subprocess
import sys

from backend.services.routines import LAYER_SCOPES
from contracts.routine import CLASS_INITS, Routine
from worker.engine.cli import build_parser
from worker.engine.meta.learners import InnerLoop
from worker.engine.routine import UpdateRoutine


def test_the_engines_routine_has_the_contracts_fields_and_defaults():
    engine = UpdateRoutine().to_dict()
    assert engine.pop("window") == 30  # the engine's own: the early-stopping window
    assert engine == Routine().model_dump()
    assert UpdateRoutine().class_init == CLASS_INITS[0]  # the default keeps the model's rows


def test_the_inner_loop_differs_from_the_routine_only_in_its_steps():
    inner = InnerLoop()
    shared = {f.name for f in dataclasses.fields(InnerLoop)} & set(Routine.model_fields)
    assert shared - {"steps"} == {
        "lr",
        "optimizer",
        "batch_size",
        "train_layers",
        "class_init",
        "class_init_scale",
    }
    for name in shared - {"steps"}:
        assert getattr(inner, name) == getattr(Routine(), name), name
    assert inner.steps < Routine().steps


def test_the_meta_train_command_defaults_to_the_inner_loops_values():
    args = build_parser().parse_args(["meta-train"])
    inner = InnerLoop()
    assert (args.inner_steps, args.inner_lr, args.inner_optimizer, args.inner_batch) == (
        inner.steps,
        inner.lr,
        inner.optimizer,
        inner.batch_size,
    )
    assert (args.inner_layers, args.class_init, args.class_init_scale) == (
        inner.train_layers,
        inner.class_init,
        inner.class_init_scale,
    )


def test_the_engine_reads_the_routines_defaults_without_pydantic():
    code = (
        "import sys, worker.engine.routine, worker.engine.meta.learners, worker.engine.cli; "
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_layer_scopes_run_narrowest_first():
    assert LAYER_SCOPES == ("classifier", "head", "all")
