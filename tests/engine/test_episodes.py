import numpy as np
import pytest
from PIL import Image

from worker.engine.data.letters import SceneConfig, draw_scene, write_coco
from worker.engine.meta.episodes import (
    DetectionDataset,
    EpisodeSampler,
    rotate_sample,
    scoring_set,
    split_by_classes,
)
from worker.engine.samples import Sample

CLASSES = list("ABCDEFGH")


@pytest.fixture(scope="module")
def letters():
    return DetectionDataset.letters(240, seed=3, image_size=64, classes=CLASSES)


def test_class_folds_keep_test_classes_out_of_training(letters):
    split = split_by_classes(letters, ["A", "B"], seed=0)
    test_idx = {0, 1}
    assert split.train and split.test_adapt and split.test_test
    assert not any(set(letters.records[i].labels.tolist()) & test_idx for i in split.train)
    assert all(
        set(letters.records[i].labels.tolist()) & test_idx
        for i in split.test_adapt + split.test_test
    )
    assert not set(split.test_adapt) & set(split.test_test)
    assert abs(len(split.test_adapt) - len(split.test_test)) <= 1
    assert split.train_classes == CLASSES[2:]


def test_a_k_shot_task_has_k_images_per_class_and_only_task_classes_as_targets(letters):
    split = split_by_classes(letters, ["A", "B"])
    sampler = EpisodeSampler(
        letters, split.train, split.train_classes, ways=3, shots=4, query_shots=2
    )
    episode = sampler.sample(np.random.default_rng(0))
    assert len(episode.classes) == 3 and len(set(episode.classes)) == 3
    assert len(episode.support) == 12 and len(episode.query) == 6
    for index, _ in enumerate(episode.classes):
        assert sum((s.labels == index).any() for s in episode.support) >= 4
    assert all(set(s.labels.tolist()) <= {0, 1, 2} for s in episode.support + episode.query)


def test_task_class_order_is_shuffled_per_episode(letters):
    sampler = EpisodeSampler(letters, range(len(letters.records)), CLASSES, ways=5, shots=1)
    orders = {tuple(sampler.sample(np.random.default_rng(seed)).classes) for seed in range(8)}
    assert len(orders) > 4


def test_too_few_classes_for_the_ways_is_refused(letters):
    with pytest.raises(ValueError, match="5-way"):
        EpisodeSampler(letters, range(len(letters.records)), ["A", "B"], ways=5, shots=1)


def test_rotation_moves_boxes_with_the_pixels():
    image = Image.new("RGB", (40, 30), "white")
    image.paste((0, 0, 0), (5, 2, 15, 8))  # a 10×6 black block at x=5, y=2
    sample = Sample(image, [[5, 2, 10, 6]], [0])
    for turns in range(4):
        rotated = rotate_sample(sample, turns)
        pixels = np.asarray(rotated.image.convert("L"))
        ys, xs = np.nonzero(pixels < 128)
        x, y, w, h = rotated.boxes[0]
        assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == pytest.approx(
            (x, y, x + w, y + h)
        )


def test_coco_datasets_on_disk_work_like_the_letters(tmp_path):
    scenes = [draw_scene(i, ["A", "B", "C"], SceneConfig(image_size=64)) for i in range(30)]
    path = write_coco(scenes, ["A", "B", "C"], tmp_path)
    dataset = DetectionDataset.from_coco(path)
    assert dataset.classes == ["A", "B", "C"] and len(dataset.records) == 30
    split = split_by_classes(dataset, ["C"])
    scoring = scoring_set(dataset, split.test_test, ["C"])
    assert scoring and all(set(s.labels.tolist()) == {0} for s in scoring)
    assert dataset.loader(dataset.records[0]).size == (64, 64)
