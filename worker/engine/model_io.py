"""Weights (safetensors) and model cards (JSON): saving, loading, and fitting a head to classes.

A model card says how to rebuild the network (``arch``), which classes its weights know and how
its class head is laid out:

* ``per-class``: one row of the class convolution per known class. A detector for another class
  list keeps the rows of the classes it shares and starts each new class from the mean row.
* ``shared``: one row (meta-learned initializations), replicated for any number of classes.

Nothing is unpickled: weights are safetensors, cards are JSON.

A shipped model may be **packed** (:func:`pack_weights`): its file holds only the tensors it
does not share with another shipped model (the meta-learned models keep the base model's frozen
trunk, nine tenths of the bytes), and its card's ``packed`` field names that model, the shared
tensors' prefix, the sha256 of that model's file and of the whole file as it was written, and
the whole file's header. :func:`read_state` takes the shared tensors from that model's file,
refusing one whose sha256 differs; the server rebuilds the whole file and checks its digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import Tensor

from .detector import DenseDetector, DetectorConfig

CARD_FORMAT = 1
ARCHITECTURE = "dense-detector"
_CLS_WEIGHT, _CLS_BIAS = "head.cls_logits.weight", "head.cls_logits.bias"
LR_PREFIX = "metasgd_lr."  # Meta-SGD's learned per-parameter learning rates, beside the weights


def fit_class_head(
    state: dict[str, Tensor], card: dict, classes: Sequence[str]
) -> dict[str, Tensor]:
    """A copy of ``state`` whose class head has one row per name in ``classes``."""
    weight, bias = state[_CLS_WEIGHT], state[_CLS_BIAS]
    if card.get("class_head", "per-class") == "shared":
        if weight.shape[0] != 1:
            raise ValueError("a shared class head must have exactly one row")
        rows = [0] * len(classes)
        new_weight, new_bias = weight[rows].clone(), bias[rows].clone()
    else:
        known = {name: i for i, name in enumerate(card.get("classes", []))}
        mean_w, mean_b = weight.mean(0), bias.mean(0)
        new_weight = torch.stack([weight[known[c]] if c in known else mean_w for c in classes])
        new_bias = torch.stack([bias[known[c]] if c in known else mean_b for c in classes])
    fitted = dict(state)
    fitted[_CLS_WEIGHT], fitted[_CLS_BIAS] = new_weight.contiguous(), new_bias.contiguous()
    return fitted


def load_detector(
    card: dict,
    weights: str | Path | dict[str, Tensor],
    classes: Sequence[str],
    device: str | torch.device = "cpu",
) -> DenseDetector:
    """Build the card's detector for ``classes`` and load its weights.

    Example:
        >>> model = load_detector(card, "models/letters-base.safetensors", ["C", "F"])
    """
    if card.get("architecture", ARCHITECTURE) != ARCHITECTURE:
        raise ValueError(f"unsupported architecture {card.get('architecture')!r}")
    config = DetectorConfig.from_dict(card.get("arch", {}))
    state = read_state(weights, card) if isinstance(weights, (str, Path)) else weights
    model = DenseDetector(config, num_classes=len(classes))
    state = {k: v.float() for k, v in state.items() if not k.startswith(LR_PREFIX)}
    model.load_state_dict(fit_class_head(state, card, classes))
    # a tiles model adapted to a project detects at the scale it was adapted at
    model.working_scale = card.get("working_scale")
    return model.to(device)


def learned_lrs(
    weights: str | Path | dict[str, Tensor],
    card: dict,
    classes: Sequence[str],
    device: str | torch.device = "cpu",
) -> dict[str, Tensor] | None:
    """Meta-SGD's per-parameter learning rates stored with the weights (a file, or the tensors
    :func:`read_state` gave, to read a packed file once), fitted to ``classes`` like the class
    head; None for models without them."""
    state = read_state(weights, card) if isinstance(weights, (str, Path)) else weights
    lrs = {k[len(LR_PREFIX) :]: v.float() for k, v in state.items() if k.startswith(LR_PREFIX)}
    if not lrs:
        return None
    return {k: v.to(device) for k, v in fit_class_head(lrs, card, classes).items()}


def _header(path: Path) -> bytes:
    """A safetensors file's header: its 8-byte length and the JSON (with its padding)."""
    with open(path, "rb") as handle:
        size = handle.read(8)
        return size + handle.read(int.from_bytes(size, "little"))


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_state(weights: str | Path, card: dict) -> dict[str, Tensor]:
    """A model's tensors from its safetensors file; for a packed card, with the shared tensors
    from the named model's file beside it, which must be the file it was packed against."""
    path = Path(weights)
    packed = card.get("packed")
    own = load_file(str(path))
    if not packed or any(k.startswith(packed["prefix"]) for k in own):
        return own  # not packed, or whole again (the server's blob of a packed model)
    base_path = path.with_name(f"{packed['base']}.safetensors")
    if not base_path.is_file():
        raise ValueError(
            f"{path.name} is packed: its {packed['prefix']}* tensors are in {base_path.name}, "
            "which is missing"
        )
    if _sha256(base_path) != packed["base_sha256"]:
        raise ValueError(
            f"{path.name} is packed against another {base_path.name} (sha256 "
            f"{packed['base_sha256'][:12]}…) than the one beside it"
        )
    return {
        k: v for k, v in load_file(str(base_path)).items() if k.startswith(packed["prefix"])
    } | own


def weights_sha256(weights: str | Path, card: dict) -> str:
    """The sha256 of the model's whole safetensors file (for a packed card, as it was written)."""
    packed = card.get("packed")
    return packed["sha256"] if packed else _sha256(Path(weights))


def pack_weights(card_path: str | Path, base: str, prefix: str) -> tuple[int, int]:
    """Pack a shipped model in place: drop from its file the tensors under ``prefix``, which must
    equal those of ``base`` (a model beside it, not itself packed) bit for bit, and record in its
    card what puts the file back together: the base and its sha256, the prefix, the whole file's
    header and sha256 (the server rebuilds the file byte for byte; :func:`read_state` the
    tensors). Returns the file's size before and after."""
    card_path = Path(card_path)
    path, card = card_path.with_suffix(".safetensors"), read_card(card_path)
    base_path = card_path.with_name(f"{base}.safetensors")
    base_card = card_path.with_name(f"{base}.json")
    if card.get("packed"):
        raise ValueError(f"{card_path.name} is packed already")
    if base_card.is_file() and read_card(base_card).get("packed"):
        raise ValueError(f"{base} is packed itself: pack against an unpacked model")
    state, base_state = load_file(str(path)), load_file(str(base_path))
    mine = {k for k in state if k.startswith(prefix)}
    theirs = {k for k in base_state if k.startswith(prefix)}

    def same(a: Tensor, b: Tensor) -> bool:  # bit for bit
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and a.reshape(-1).view(torch.uint8).equal(b.reshape(-1).view(torch.uint8))
        )

    differ = sorted(k for k in mine & theirs if not same(state[k], base_state[k]))
    if not mine or mine != theirs or differ:
        raise ValueError(
            f"{path.name} and {base}'s {prefix}* tensors are not the same: "
            f"{(sorted(mine ^ theirs) + differ)[:3] or 'none under the prefix'}"
        )
    before = path.stat().st_size
    packed_card = {
        **card,
        "packed": {
            "base": base,
            "base_sha256": _sha256(base_path),
            "prefix": prefix,
            "sha256": _sha256(path),
            "header": _header(path)[8:].decode("utf-8"),
        },
    }
    tmp = path.with_name(path.name + ".tmp")
    save_file({k: v for k, v in state.items() if k not in mine}, str(tmp))
    unpacked = read_state(tmp, packed_card)
    if unpacked.keys() != state.keys() or not all(same(unpacked[k], state[k]) for k in state):
        tmp.unlink()
        raise ValueError(f"{path.name}: the packed file does not give back its tensors")
    write_card(card_path, packed_card)  # first: a packed card still reads its unpacked file
    os.replace(tmp, path)
    return before, path.stat().st_size


def save_model(
    model: DenseDetector,
    card: dict,
    out_dir: str | Path,
    name: str,
    dtype: torch.dtype = torch.float16,
    extra: dict[str, Tensor] | None = None,
) -> tuple[Path, Path]:
    """Write ``<name>.safetensors`` and ``<name>.json``; returns both paths.

    Weights are stored in half precision by default (half the size in git and on the wire; the
    detector computes in float32 after loading, and the difference in AP is below 0.001).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weights_path, card_path = out / f"{name}.safetensors", out / f"{name}.json"
    state = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
    state.update(
        {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in (extra or {}).items()}
    )
    # one metadata key: safetensors writes several in a random order, and the same weights would
    # not always give the same bytes (the card holds the name)
    save_file(state, str(weights_path), metadata={"format": str(CARD_FORMAT)})
    write_card(card_path, card)
    return weights_path, card_path


def make_card(
    name: str, model: DenseDetector, classes: Sequence[str], algorithm: str, **extra
) -> dict:
    """A model card with the fields every card holds; ``extra`` adds or overrides fields."""
    card = {
        "name": name,
        "format": CARD_FORMAT,
        "architecture": ARCHITECTURE,
        "arch": model.config.to_dict(),
        "task_type": "detection",
        "classes": list(classes),
        "class_head": "per-class",
        **({"working_scale": round(float(model.working_scale), 5)} if model.working_scale else {}),
        "algorithm": algorithm,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "commit": current_commit(),
    }
    card.update(extra)
    return card


def current_commit() -> str:
    """The git commit of this checkout (``-dirty`` when tracked files differ from it), or
    'unknown' outside a repository."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            cwd=here,
            timeout=5,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=here,
            timeout=5,
        )
        commit = out.stdout.strip()
        return (commit + ("-dirty" if dirty.stdout.strip() else "")) if commit else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_card(path: str | Path, card: dict) -> None:
    """A model card as the repository keeps them: indented, keys sorted."""
    Path(path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")


def read_card(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())
