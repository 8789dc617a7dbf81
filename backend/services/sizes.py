"""Sizes in the words people use (KB, MB, GB, as the web client shows them), for messages."""

from __future__ import annotations

_UNITS = ("KB", "MB", "GB", "TB")


def human_size(size: int) -> str:
    """``20971520`` → ``"20 MB"``, ``28626125`` → ``"27.3 MB"``, ``512`` → ``"512 bytes"``
    (units of 1024, one decimal, none when it is 0)."""
    if size < 1024:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in _UNITS:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            break
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def over_limit(size: int, limit: int) -> str:
    """``"27.3 MB, over the limit of 20 MB"``; in bytes only where the two would read the same."""
    shown, allowed = human_size(size), human_size(limit)
    if shown == allowed:
        return f"{size:,} bytes, over the limit of {limit:,} bytes ({allowed})"
    return f"{shown}, over the limit of {allowed}"
