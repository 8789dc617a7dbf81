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


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's cpuset or
    ``taskset``), else all the machine's."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def torch_threads(setting: str | int = "auto", processes: int = 1) -> int:
    """torch's intra-op threads for one of ``processes`` processes that share this host's
    cores: the usable cores divided among them (at least 1) for ``auto``, else ``setting``.
    More threads than cores makes every process slower (they preempt one another)."""
    if str(setting).strip().lower() != "auto":
        count = int(setting)
        if count < 1:
            raise ValueError(f"torch threads must be at least 1, not {count}")
        return count
    return max(1, usable_cores() // max(1, processes))


def set_torch_threads(count: int) -> int:
    """Set torch's intra-op threads (and its inter-op threads, where torch still allows it:
    only before the process's first parallel work) to ``count``; returns torch's figure."""
    import torch

    torch.set_num_threads(count)
    try:
        torch.set_num_interop_threads(count)
    except RuntimeError:  # inter-op work already ran in this process: its pool stays as it is
        pass
    return torch.get_num_threads()
