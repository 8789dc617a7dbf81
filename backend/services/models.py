"""Model versions: the shipped base models (registered from models/ at start-up) and adapted
ones."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.db import Metric, Model, Project
from backend.services.blobs import BlobStore
from backend.services.errors import Invalid, NotFound
from backend.settings import get_settings

log = logging.getLogger(__name__)


def register_shipped_models(session: Session, store: BlobStore, models_dir: Path) -> list[Model]:
    """Upsert (by name) every `models/<name>.json` that has a sibling `<name>.safetensors`."""
    registered = []
    for card_path in sorted(Path(models_dir).glob("*.json")):
        weights = card_path.with_suffix(".safetensors")
        if not weights.is_file():
            log.warning("model card %s has no %s beside it: skipped", card_path.name, weights.name)
            continue
        try:
            card = json.loads(card_path.read_text())
        except (OSError, json.JSONDecodeError) as error:
            log.warning("model card %s is not valid JSON (%s): skipped", card_path, error)
            continue
        if not isinstance(card, dict):
            log.warning("model card %s is not a JSON object: skipped", card_path)
            continue
        try:
            sha256 = (
                store.put_bytes(unpacked_weights(weights, card))
                if card.get("packed")
                else store.put_file(weights)
            )
        except (OSError, ValueError, KeyError) as error:
            log.warning(
                "model %s: its packed weights cannot be put together (%s): skipped",
                card_path.name,
                error,
            )
            continue
        registered.append(_upsert_shipped(session, card, sha256, card_path.stem))
    session.commit()
    if registered:
        log.info("registered shipped models: %s", ", ".join(m.name for m in registered))
    return registered


def _safetensors_parts(raw: bytes) -> tuple[dict[str, Any], bytes]:
    """A safetensors file's header (JSON) and data section."""
    size = int.from_bytes(raw[:8], "little")
    return json.loads(raw[8 : 8 + size]), raw[8 + size :]


def unpacked_weights(weights: Path, card: dict[str, Any]) -> bytes:
    """The whole safetensors file of a packed shipped model (`metaloop pack`), byte for byte: its
    own file's tensors and the named base model's tensors under the prefix, laid out by the header
    its card recorded; checked against the base's and the whole file's sha256 in the card."""
    packed = card["packed"]
    base = weights.with_name(f"{packed['base']}.safetensors")
    base_raw = base.read_bytes()
    if hashlib.sha256(base_raw).hexdigest() != packed["base_sha256"]:
        raise ValueError(f"{base.name} is not the file it was packed against")
    tensors: dict[str, tuple[str, list[int], bytes]] = {}
    for raw, shared in ((weights.read_bytes(), False), (base_raw, True)):
        header, data = _safetensors_parts(raw)
        for name, info in header.items():
            if (
                name == "__metadata__"
                or name in tensors
                or (shared and not name.startswith(packed["prefix"]))
            ):
                continue
            start, end = info["data_offsets"]
            tensors[name] = (info["dtype"], info["shape"], data[start:end])
    layout = json.loads(packed["header"])
    body = bytearray()
    for name, info in sorted(
        ((k, v) for k, v in layout.items() if k != "__metadata__"),
        key=lambda item: item[1]["data_offsets"][0],
    ):
        dtype, shape, data = tensors[name]
        if (dtype, shape) != (info["dtype"], info["shape"]) or info["data_offsets"] != [
            len(body),
            len(body) + len(data),
        ]:
            raise ValueError(f"tensor {name} does not fit the recorded header")
        body += data
    header = packed["header"].encode()
    whole = len(header).to_bytes(8, "little") + header + bytes(body)
    if hashlib.sha256(whole).hexdigest() != packed["sha256"]:
        raise ValueError("the put-together file is not the one its card names")
    return whole


def _upsert_shipped(session: Session, card: dict[str, Any], sha256: str, stem: str) -> Model:
    name = str(card.get("name") or stem)
    row = session.scalar(select(Model).where(Model.project_id.is_(None), Model.name == name))
    if row is None:
        row = Model(project_id=None, name=name)
        session.add(row)
    row.architecture = str(card.get("architecture", "unknown"))
    row.task_type = str(card.get("task_type", "detection"))
    row.classes = list(card.get("classes", []))
    row.algorithm = str(card.get("algorithm", "standard"))
    row.routine = dict(card.get("preset") or {})
    row.training_set = {k: card[k] for k in ("command", "data_seed", "commit") if k in card}
    row.weights_sha256 = sha256
    row.card = card
    row.metrics = dict(card.get("metrics") or {})
    session.flush()
    return row


def shipped_models(session: Session) -> list[Model]:
    return list(session.scalars(select(Model).where(Model.project_id.is_(None)).order_by(Model.id)))


def default_base_model(session: Session, project_id: int | None = None) -> Model | None:
    """The project's base model if it sets one; else DEFAULT_BASE_MODEL if set, else the card
    marked `"default": true`, else the newest."""
    project = session.get(Project, project_id) if project_id is not None else None
    if project is not None and project.base_model_id is not None:
        chosen = session.get(Model, project.base_model_id)
        if chosen is not None:
            return chosen
    models = shipped_models(session)
    wanted = get_settings().default_base_model
    if wanted:
        return next((m for m in models if m.name == wanted), None)
    marked = [m for m in models if m.card.get("default") is True]
    if marked:
        return marked[-1]
    if not models:
        return None
    return max(models, key=lambda m: (str(m.card.get("created_at", "")), m.id))


def get_model(session: Session, project_id: int, model_id: int) -> Model:
    """A model the project may use: shipped, or the project's own."""
    model = session.get(Model, model_id)
    if model is None or model.project_id not in (None, project_id):
        raise NotFound(f"model {model_id} not found")
    return model


def list_models(session: Session, project_id: int) -> list[Model]:
    return list(
        session.scalars(
            select(Model)
            .where(or_(Model.project_id.is_(None), Model.project_id == project_id))
            .order_by(Model.id)
        )
    )


def lineage(session: Session, model: Model) -> list[Model]:
    """The model and its ancestors, newest first."""
    chain, seen = [model], {model.id}
    while chain[-1].parent_id is not None and chain[-1].parent_id not in seen:
        parent = session.get(Model, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.id)
    return chain


def newest_project_model(session: Session, project_id: int) -> Model | None:
    return session.scalar(
        select(Model).where(Model.project_id == project_id).order_by(Model.id.desc()).limit(1)
    )


def base_for_adapt(session: Session, project_id: int, model_id: int | None) -> Model:
    if model_id is not None:
        return get_model(session, project_id, model_id)
    model = default_base_model(session, project_id)
    if model is None:
        raise Invalid("no base model is registered: put a model card and its weights in models/")
    return model


def current_model(session: Session, project_id: int) -> Model | None:
    """The project's current model: the one it promoted, else its default base model."""
    project = session.get(Project, project_id)
    if project is not None and project.current_model_id is not None:
        model = session.get(Model, project.current_model_id)
        if model is not None:
            return model
    return default_base_model(session, project_id)


def model_to_run(session: Session, project_id: int, model_id: int | None) -> Model:
    """The given model, else the project's current model (never merely the newest: a run that
    went wrong must not replace a good model unseen)."""
    if model_id is not None:
        return get_model(session, project_id, model_id)
    model = current_model(session, project_id)
    if model is None:
        raise Invalid("no model to run: adapt one first or register a base model in models/")
    return model


def promote(session: Session, project_id: int, model_id: int) -> Model:
    """Make a model the project's current one (a person's choice)."""
    model = get_model(session, project_id, model_id)
    project = session.get_one(Project, project_id)
    project.current_model_id = model.id
    return model


def holdout_ap50(session: Session, project_id: int, model_id: int) -> float | None:
    """The model's AP50 from its latest evaluation in this project, None if never evaluated."""
    return session.scalar(
        select(Metric.value)
        .where(
            Metric.project_id == project_id,
            Metric.model_id == model_id,
            Metric.name == "AP50",
            Metric.class_id.is_(None),
            Metric.step.is_(None),
        )
        .order_by(Metric.id.desc())
        .limit(1)
    )


def shipped_holdout(session: Session, project_id: int) -> dict[int, dict[str, Any]]:
    """Per shipped model evaluated in this project: its latest evaluation's overall numbers
    (``{"holdout": {name: value}, "holdout_job_id": id}``). A shipped model is shared by every
    project, so these live in the project's metrics, not on the model."""
    rows = session.execute(
        select(Metric.model_id, Metric.job_id, Metric.name, Metric.value)
        .join(Model, Model.id == Metric.model_id)
        .where(
            Metric.project_id == project_id,
            Model.project_id.is_(None),
            Metric.class_id.is_(None),
            Metric.step.is_(None),
            Metric.job_id.is_not(None),
        )
        .order_by(Metric.model_id, Metric.job_id)
    ).all()
    latest: dict[int, dict[str, Any]] = {}
    for model_id, job_id, name, value in rows:
        entry = latest.get(model_id)
        if entry is None or entry["holdout_job_id"] != job_id:  # rows come by job: keep the last
            entry = latest[model_id] = {"holdout": {}, "holdout_job_id": job_id}
        entry["holdout"][name] = value
    return latest


def promote_if_not_worse(
    session: Session, project_id: int, model: Model, ap50: float | None
) -> bool:
    """After ``model`` was evaluated (AP50 ``ap50``; None: nothing to judge it by): it becomes
    current when it did not diverge and its AP50 is not lower than the current model's latest
    one (a current model never evaluated here is no bar). Returns whether it was promoted."""
    project = session.get_one(Project, project_id)
    if model.project_id != project_id or model.metrics.get("diverged"):
        return False
    current = current_model(session, project_id)
    if current is not None and current.id == model.id:
        return True
    bar = holdout_ap50(session, project_id, current.id) if current is not None else None
    if ap50 is not None and bar is not None and ap50 < bar:
        return False
    project.current_model_id = model.id
    return True


def next_version_name(session: Session, project_id: int) -> str:
    count = len(list(session.scalars(select(Model.id).where(Model.project_id == project_id))))
    return f"v{count + 1}"
