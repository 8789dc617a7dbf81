"""The working tree must fit the GPU machine's transfer limit (64 MiB: tracked files, plus carried
wheels and results), or the benchmark cannot run there at all; a new shipped model that keeps
the base's trunk should be packed (`metaloop pack`, README: Meta-learning)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 64 * 2**20
ROOM = 8 * 2**20  # carried wheels (about 1 MiB), results files brought back between pieces


def test_the_tracked_files_leave_room_under_the_device_transfer_limit():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    files = [ROOT / name for name in listed.decode().split("\0") if name]
    sizes = {path: path.stat().st_size for path in files if path.is_file()}
    assert len(sizes) > 100  # the listing worked
    total = sum(sizes.values())
    largest = sorted(sizes, key=sizes.get, reverse=True)[:5]
    assert total <= LIMIT - ROOM, (
        f"tracked files: {total / 2**20:.1f} MiB; the largest: "
        + ", ".join(f"{p.relative_to(ROOT)} {sizes[p] / 2**20:.1f} MiB" for p in largest)
    )
