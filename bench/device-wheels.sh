#!/usr/bin/env bash
# Fetches, here, the wheels of the engine's packages that the lent GPU machine's image lacks, into
# .whl/ (ignored by git), for the machine's Python 3.12 and for this machine's Python (so that a
# dry run of bench/device-env.sh works here too). The versions are this venv's. A device command
# then names .whl in `carry` and sources bench/device-env.sh, which installs them from there.
#
#   bash bench/device-wheels.sh            # then: carry [".whl"]
set -euo pipefail
PYTHON=${PYTHON:-.venv/bin/python}
DEST=${DEST:-.whl}
# the engine's imports that are not in the GPU image's package list
# (/work/.library/device/KINDS.md: torch, torchvision, numpy, pillow, safetensors, tqdm and
# matplotlib are there)
PACKAGES=(faster-coco-eval)

mkdir -p "$DEST"
for package in "${PACKAGES[@]}"; do
    version=$("$PYTHON" -m pip show "$package" | sed -n 's/^Version: //p')
    [ -n "$version" ] || { echo "$package is not installed in $PYTHON's environment: run make venv" >&2; exit 1; }
    here=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')
    for py in 312 "$here"; do
        "$PYTHON" -m pip download -q --no-deps --only-binary=:all: --python-version "$py" \
            --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
            --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d "$DEST" \
            "$package==$version"
    done
done
ls -l "$DEST"
