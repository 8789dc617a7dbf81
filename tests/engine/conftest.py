import pytest
import torch

from worker.engine.data.letters import SceneConfig, draw_scene
from worker.engine.detector import DetectorConfig
from worker.engine.samples import Sample

TINY = DetectorConfig(trunk="resnet10", input_size=96, fpn_channels=32, head_convs=1, groups=8)
CLASSES = ["A", "B", "C"]


def make_letter_samples(count: int, seed: int = 0, classes=CLASSES, size: int = 96) -> list[Sample]:
    cfg = SceneConfig(image_size=size, min_size=14, max_objects=2)
    out = []
    for i in range(count):
        scene = draw_scene(seed * 1000 + i, classes, cfg)
        out.append(
            Sample(
                scene.image,
                [o.box for o in scene.objects],
                [classes.index(o.letter) for o in scene.objects],
            )
        )
    return out


@pytest.fixture(autouse=True)
def _deterministic():
    torch.manual_seed(0)
    torch.set_num_threads(2)


@pytest.fixture
def tiny_config() -> DetectorConfig:
    """A detector small enough to train for a few steps in a test."""
    return TINY


@pytest.fixture
def letter_samples():
    """``letter_samples(count, seed=0, classes=["A", "B", "C"], size=96)`` → annotated samples."""
    return make_letter_samples
