"""The few-shot benchmark: how fast each initialization adapts to classes it never saw.

grid.py             the grid of folds × methods × K × tasks, resumable, and its summaries
batched.py          several tasks adapted in one vmap computation (the grid on a GPU)
report.py           the markdown table, the AP50-against-steps plot, the model cards' rows
cli.py              ``python -m bench.fewshot``
tasks.py            ``python -m bench.fewshot.tasks``: curves on a partial results file's tasks
prototype_pilot.py  ``python -m bench.fewshot.prototype_pilot``: the class_init_scale pilot
"""
