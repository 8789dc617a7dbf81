"""Which torch device to run on: the one place that turns ``auto`` into a device."""

from __future__ import annotations


def pick_device(name: str = "auto") -> str:
    """``cuda`` when a GPU is available, else ``cpu``, for ``auto``; any other name as given
    (``cpu``, ``cuda``, ``cuda:1``)."""
    import torch  # here, so that a process can read its settings before it touches CUDA

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def describe_device(name: str = "auto") -> str:
    """What a worker reports about its device: ``cuda:<GPU name>`` or ``cpu`` (or the name
    given, e.g. ``cuda:1``)."""
    import torch

    device = pick_device(name)
    if device == "cuda":
        return "cuda:" + torch.cuda.get_device_name(0)
    return device
