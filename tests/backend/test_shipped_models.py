"""Shipped models: every models/*.json with a sibling .safetensors is registered at start-up
(weights into the blob store, upsert by name); the default base model is chosen as documented."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from support.worker_standin import write_model

from backend.db import Model
from backend.db.session import session_factory
from backend.services.blobs import BlobStore
from backend.services.models import default_base_model, register_shipped_models, unpacked_weights
from backend.settings import get_settings

REPO_MODELS = Path(__file__).resolve().parents[2] / "models"


@pytest.fixture
def session(database_url):
    with session_factory(database_url)() as session:
        yield session


@pytest.fixture
def settings_env(monkeypatch):
    """Set environment variables for get_settings() in this process, and restore them after."""

    def set_env(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key.upper(), value)
        get_settings.cache_clear()

    yield set_env
    get_settings.cache_clear()


def test_models_with_weights_are_registered_once_with_weights_in_the_blob_store(session, tmp_path):
    models_dir, store = tmp_path / "models", BlobStore(tmp_path / "blobs")
    sha = write_model(models_dir, "alpha", weights=b"alpha v1")
    (models_dir / "orphan.json").write_text(json.dumps({"name": "orphan"}))  # no weights: skipped
    (models_dir / "broken.json").write_text("{not json")
    (models_dir / "broken.safetensors").write_bytes(b"x")
    registered = register_shipped_models(session, store, models_dir)
    assert [m.name for m in registered] == ["alpha"]
    row = session.scalar(select(Model).where(Model.name == "alpha"))
    assert (row.project_id, row.weights_sha256, row.algorithm) == (None, sha, "reptile")
    assert row.routine["lr"] == 0.001 and row.classes == ["A", "B", "D"]
    assert store.read_bytes(sha) == b"alpha v1"

    new_sha = write_model(models_dir, "alpha", weights=b"alpha v2")
    register_shipped_models(session, store, models_dir)
    rows = session.scalars(select(Model).where(Model.name == "alpha")).all()
    assert [(r.id, r.weights_sha256) for r in rows] == [(row.id, new_sha)]


def test_default_base_model_is_the_setting_then_the_marked_card_then_the_newest(
    session, tmp_path, settings_env
):
    models_dir, store = tmp_path / "models", BlobStore(tmp_path / "blobs")
    settings_env(default_base_model="")
    assert default_base_model(session) is None
    write_model(models_dir, "old")
    write_model(models_dir, "new")
    card = json.loads((models_dir / "new.json").read_text())
    card["created_at"] = "2027-01-01T00:00:00Z"
    (models_dir / "new.json").write_text(json.dumps(card))
    register_shipped_models(session, store, models_dir)
    assert default_base_model(session).name == "new"
    write_model(models_dir, "old", default=True)
    register_shipped_models(session, store, models_dir)
    assert default_base_model(session).name == "old"
    settings_env(default_base_model="new")
    assert default_base_model(session).name == "new"


def test_the_api_lists_the_shipped_model_registered_at_start_up(client, project):
    base = client.get("/models").json()
    assert [(m["name"], m["is_default"], m["project_id"]) for m in base] == [
        ("test-base", True, None)
    ]
    in_project = client.get(f"/projects/{project['id']}/models").json()
    assert [m["name"] for m in in_project] == ["test-base"]
    detail = client.get(f"/projects/{project['id']}/models/{base[0]['id']}").json()
    assert detail["card"]["preset"]["steps"] == 20
    weights = client.get(f"/projects/{project['id']}/models/{base[0]['id']}/weights")
    assert weights.content == b"weights of test-base"
    assert (
        client.get(f"/projects/{project['id']}/models/{base[0]['id']}/lineage").json()[0]["name"]
        == "test-base"
    )
    assert client.get(f"/projects/{project['id']}/models/999999").status_code == 404


def _packed_model(models_dir: Path) -> bytes:
    """A base model and a model packed against it (`metaloop pack`); the packed model's bytes as
    they were before packing."""
    import torch

    from worker.engine.detector import DenseDetector, DetectorConfig
    from worker.engine.model_io import make_card, pack_weights, save_model

    config = DetectorConfig(
        trunk="resnet10", input_size=64, fpn_channels=16, head_convs=1, groups=4
    )
    torch.manual_seed(0)
    base, child = DenseDetector(config, 2), DenseDetector(config, 1)
    child.trunk.load_state_dict(base.trunk.state_dict())
    save_model(base, make_card("base", base, ["A", "B"], "standard"), models_dir, "base")
    weights, card = save_model(
        child, make_card("child", child, ["object"], "fomaml"), models_dir, "child"
    )
    original = weights.read_bytes()
    pack_weights(card, "base", "trunk.")
    assert weights.stat().st_size < len(original)
    return original


def test_a_packed_model_is_registered_with_its_whole_weights(session, tmp_path):
    models_dir, store = tmp_path / "models", BlobStore(tmp_path / "blobs")
    original = _packed_model(models_dir)
    registered = {m.name: m for m in register_shipped_models(session, store, models_dir)}
    assert set(registered) == {"base", "child"}
    assert registered["child"].weights_sha256 == hashlib.sha256(original).hexdigest()
    assert store.read_bytes(registered["child"].weights_sha256) == original  # what workers fetch


def test_a_packed_model_whose_base_changed_is_skipped_with_a_warning(session, tmp_path, caplog):
    models_dir, store = tmp_path / "models", BlobStore(tmp_path / "blobs")
    _packed_model(models_dir)
    base = models_dir / "base.safetensors"
    base.write_bytes(base.read_bytes()[:-2] + b"\x00\x00")  # the last weight changes
    registered = register_shipped_models(session, store, models_dir)
    assert [m.name for m in registered] == ["base"]
    assert "child.json: its packed weights cannot be put together" in caplog.text


def test_the_shipped_packed_models_put_together_the_files_their_cards_name():
    """The server rebuilds each packed model's file byte for byte (what it registers), and the
    engine reads the same tensors from the packed file and its base."""
    from safetensors.torch import load

    from worker.engine.model_io import read_state

    packed = [
        p for p in sorted(REPO_MODELS.glob("*.json")) if json.loads(p.read_text()).get("packed")
    ]
    assert len(packed) >= 2, (
        "the shipped meta-learned models are stored packed (README, The detector)"
    )
    for card_path in packed:
        card = json.loads(card_path.read_text())
        whole = unpacked_weights(card_path.with_suffix(".safetensors"), card)
        assert hashlib.sha256(whole).hexdigest() == card["packed"]["sha256"], card_path.name
        expected, state = load(whole), read_state(card_path.with_suffix(".safetensors"), card)
        assert state.keys() == expected.keys()
        assert all(
            state[k].dtype == expected[k].dtype and state[k].equal(expected[k]) for k in expected
        )
