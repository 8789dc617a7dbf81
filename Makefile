# MetaLoop: every target sets up what it needs on a new machine (venv, packages, bundle, browser).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch from this machine's disk (a pip constraint caps the versions); the engine is also tested with
# older releases: `make test-engine-torch` (below).
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1

.PHONY: run demo test test-fast test-integration frontend browser bench-loop bench-realdata bench-detector bench-fewshot bench-import bench-load bench-read base-model lint clean venv test-engine-torch client

$(STAMP): pyproject.toml
	@echo "Setting up .venv: Python packages (first run: about 2 minutes)..."
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_PINS)
	$(PY) -m pip install -q -e '.[server,worker,dev]'
	# the real-image benchmark and tests read deepforest's sample tiles (data files only: none of
	# its code or dependencies is used)
	$(PY) -m pip install -q --no-deps 'deepforest==2.1.0'
	touch $(STAMP)

venv: $(STAMP)

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed frontend/vite.config.ts frontend/tsconfig.json \
		$(shell find frontend/src frontend/index.html -type f 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# Debian's chromium for the end-to-end tests; Playwright never downloads a browser here.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

run: $(STAMP) frontend
	$(PY) -m backend.launcher $(ARGS)

demo: $(STAMP) frontend
	$(PY) -m backend.launcher --demo $(ARGS)

test: $(STAMP) frontend browser
	cd frontend && npm test
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP) frontend/node_modules/.installed
	cd frontend && npm test
	$(PY) -m pytest -m "not slow and not e2e" $(PYTEST_ARGS)

test-integration: $(STAMP) frontend
	$(PY) -m pytest -m "integration" $(PYTEST_ARGS)

bench-loop: $(STAMP) frontend
	$(PY) -m bench.loop $(ARGS)

bench-realdata: $(STAMP)
	$(PY) -m bench.realdata $(ARGS)

bench-detector: $(STAMP)
	$(PY) -m bench.detector $(ARGS)

bench-fewshot: $(STAMP)
	$(PY) -m bench.fewshot $(ARGS)

bench-import: $(STAMP)
	$(PY) -m bench.import_speed $(ARGS)

bench-load: $(STAMP)
	$(PY) -m bench.load $(ARGS)

# read load on a 100k-image project (PostgreSQL: ARGS="--database-url postgresql+psycopg://…")
bench-read: $(STAMP)
	$(PY) -m bench.read_load $(ARGS)

base-model: $(STAMP)
	$(PY) -m worker.engine.cli train-base $(ARGS)

# The engine's and the benchmark's tests under another torch, in a scratch venv of only the
# engine's packages (torch wheels from PyPI, several GB): the floor by default; the GPU machine's
# versions with
#   make test-engine-torch ENGINE_PYTHON=<a python3.12> ENGINE_TORCH="torch==2.11.0 torchvision==0.26.0"
ENGINE_PYTHON ?= $(PYTHON)
ENGINE_TORCH ?= torch==2.9.0 torchvision==0.24.0
ENGINE_VENV ?= /tmp/metaloop-engine-venv
test-engine-torch:
	rm -rf $(ENGINE_VENV) && $(ENGINE_PYTHON) -m venv $(ENGINE_VENV)
	$(ENGINE_VENV)/bin/pip install -q $(ENGINE_TORCH) numpy pillow safetensors tqdm matplotlib faster-coco-eval pytest pytest-timeout
	$(ENGINE_VENV)/bin/python -m pytest -q -p no:cacheprovider --confcutdir=tests/engine tests/engine $(PYTEST_ARGS)
	$(ENGINE_VENV)/bin/python -m pytest -q -p no:cacheprovider --confcutdir=tests/bench tests/bench $(PYTEST_ARGS)

# the Python client (clients/python, package metaloop_client) from the committed OpenAPI snapshot
client: $(STAMP)
	$(PY) clients/python/generate.py

lint: $(STAMP)
	$(VENV)/bin/ruff format --check backend worker contracts tests bench
	$(VENV)/bin/ruff check backend worker contracts tests bench

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
