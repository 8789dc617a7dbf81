"""Benchmark on real aerial images: NEON tree crowns shipped by the ``deepforest`` package, with
the letters alongside, in ``bench.fewshot``'s few-shot protocol.

    data.py     the tiles and their VOC boxes, read from the installed package at run time
    tasks.py    the task families: (a) within one site, (b) across sites, (c) the letters
    methods.py  model cards with their presets, and the ImageNet fine-tuning baselines
    harness.py  adapt with scored checkpoints, time the loop, summarise over tasks
    report.py   the markdown table and the AP50-against-steps plot
    cli.py      ``python -m bench.realdata``
"""
