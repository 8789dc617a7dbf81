import json

import numpy as np

from worker.engine.data.letters import (
    BASE_CLASSES,
    DEMO_CLASSES,
    LETTER_FOLDS,
    SceneConfig,
    draw_scene,
    font_files,
    k_shot_scenes,
    write_coco,
)


def test_same_seed_draws_the_same_scene_and_another_seed_does_not():
    a, b, c = draw_scene(7, BASE_CLASSES), draw_scene(7, BASE_CLASSES), draw_scene(8, BASE_CLASSES)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    assert a.objects == b.objects
    assert not np.array_equal(np.asarray(a.image), np.asarray(c.image))


def test_boxes_lie_inside_the_image_and_do_not_overlap():
    cfg = SceneConfig(image_size=128, max_objects=5)
    for seed in range(30):
        scene = draw_scene(seed, BASE_CLASSES, cfg)
        boxes = [o.box for o in scene.objects]
        for x, y, w, h in boxes:
            assert 0 <= x and 0 <= y and x + w <= 128 and y + h <= 128 and w > 0 and h > 0
        for i, (x0, y0, w0, h0) in enumerate(boxes):
            for x1, y1, w1, h1 in boxes[i + 1 :]:
                assert x0 + w0 <= x1 or x1 + w1 <= x0 or y0 + h0 <= y1 or y1 + h1 <= y0


def test_letter_sizes_span_small_to_most_of_the_image():
    sizes = [
        max(o.box[2], o.box[3])
        for seed in range(200)
        for o in draw_scene(seed, BASE_CLASSES, SceneConfig(min_objects=1, max_objects=1)).objects
    ]
    assert min(sizes) < 24 and max(sizes) > 150


def test_drawn_box_matches_the_ink():
    scene = draw_scene(3, ["A"], SceneConfig(min_objects=1, max_objects=1))
    x, y, w, h = scene.objects[0].box
    pixels = np.asarray(scene.image.convert("L"), dtype=np.float32)
    inside = pixels[int(y) : int(y + h), int(x) : int(x + w)]
    assert inside.min() < 100  # ink within the box
    outside = pixels.copy()
    outside[max(0, int(y) - 2) : int(y + h) + 2, max(0, int(x) - 2) : int(x + w) + 2] = 255
    assert outside.min() > 150  # no ink elsewhere (only noise on the background)


def test_k_shot_scenes_hold_each_class_at_least_k_times():
    scenes = k_shot_scenes(0, DEMO_CLASSES, shots=3, cfg=SceneConfig(image_size=128))
    assert len(scenes) == 3 * len(DEMO_CLASSES)
    for letter in DEMO_CLASSES:
        assert sum(any(o.letter == letter for o in s.objects) for s in scenes) >= 3


def test_folds_and_base_classes_partition_the_alphabet():
    fold_letters = [c for fold in LETTER_FOLDS for c in fold]
    assert len(set(fold_letters)) == len(fold_letters)
    assert not set(fold_letters) & set(BASE_CLASSES)
    assert len(BASE_CLASSES) + len(fold_letters) == 26
    assert len(font_files()) > 10


def test_write_coco_produces_a_readable_dataset(tmp_path):
    scenes = [draw_scene(i, ["A", "B"], SceneConfig(image_size=96)) for i in range(4)]
    path = write_coco(scenes, ["A", "B"], tmp_path)
    data = json.loads(path.read_text())
    assert len(data["images"]) == 4 and {c["name"] for c in data["categories"]} == {"A", "B"}
    assert len(data["annotations"]) == sum(len(s.objects) for s in scenes)
    assert all((tmp_path / im["file_name"]).exists() for im in data["images"])
