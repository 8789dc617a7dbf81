"""The import-speed benchmark end to end at N=20: a real API, a COCO zip, the result files."""

import json

import pytest

from bench import import_speed


@pytest.mark.slow
def test_import_speed_writes_its_results(tmp_path):
    import_speed.main(
        ["--images", "20", "--boxes-per-image", "2", "--size", "32", "--out", str(tmp_path)]
        + ["--stem", "t", "--no-progress"]
    )
    result = json.loads((tmp_path / "t.json").read_text())
    assert result["config"] == {"images": 20, "boxes_per_image": 2, "size": 32}
    assert result["import"]["report"]["images_added"] == 20
    assert result["import"]["report"]["annotations"] == 40
    assert result["import"]["images_in_project"] == 20
    assert result["import"]["seconds"] > 0
    assert result["memory"]["peak_rss_mb"] >= result["memory"]["rss_before_mb"] > 0
    assert len(result["machine"]["load_average_at_start"]) == 3
    reads = result["reads"]
    assert set(reads) >= {"count", "failed", "p50_ms", "p95_ms", "max_ms"}
    assert reads["count"] == 0 or reads["max_ms"] >= reads["p95_ms"] >= reads["p50_ms"]
    assert set(result["targets"]) >= {"import_met", "reads_met"}
    assert "20 COCO images" in (tmp_path / "t.md").read_text()
    assert (tmp_path / "t.png").stat().st_size > 0


def test_generated_images_are_distinct(tmp_path):
    import zipfile

    path = import_speed.generate(tmp_path, 30, 3, 16, progress=False)
    with zipfile.ZipFile(path) as archive:
        images = [archive.read(n) for n in archive.namelist() if n.endswith(".png")]
        coco = json.loads(archive.read("annotations.json"))
    assert len(images) == len(set(images)) == 30
    assert len(coco["annotations"]) == 90
    for a in coco["annotations"]:
        x, y, w, h = a["bbox"]
        assert x >= 0 and y >= 0 and x + w <= 16 and y + h <= 16 and w >= 1 and h >= 1
