# Sourced by the device scripts (or at the start of a device command: `source bench/device-env.sh`)
# from the repository root: makes the engine importable by $PYTHON on a machine that has torch and
# the like but not this project's venv, such as the lent GPU machine. Packages it lacks are
# installed from the wheels in .whl/ (bench/device-wheels.sh fetches them here; the device command
# carries .whl) into /tmp/site, which is put on PYTHONPATH. Fails, naming what is missing, before
# any work starts.
PYTHON=${PYTHON:-python3}
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
# module → package, for each of the engine's imports outside the standard library
_modules=(torch:torch torchvision:torchvision numpy:numpy PIL:pillow safetensors:safetensors
          tqdm:tqdm matplotlib:matplotlib faster_coco_eval:faster-coco-eval)
_missing() {
    local pair
    for pair in "${_modules[@]}"; do
        "$PYTHON" -c "import ${pair%%:*}" 2>/dev/null || printf '%s ' "${pair#*:}"
    done
}
_lacking=$(_missing)
if [ -n "$_lacking" ] && [ -d .whl ]; then
    echo "installing from .whl: $_lacking"
    # shellcheck disable=SC2086
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --find-links .whl \
        --target /tmp/site $_lacking || return 1 2>/dev/null || exit 1
    export PYTHONPATH="$PYTHONPATH:/tmp/site"
    _lacking=$(_missing)
fi
if [ -n "$_lacking" ]; then
    echo "missing Python packages: $_lacking— run 'bash bench/device-wheels.sh' here and carry .whl" >&2
    return 1 2>/dev/null || exit 1
fi
"$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
