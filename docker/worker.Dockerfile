# A GPU worker: Celery + the PyTorch engine. It needs only SERVER_URL, REDIS_URL and WORKER_TOKEN.
FROM pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime
WORKDIR /app
COPY pyproject.toml README.md ./
COPY worker/ worker/
COPY contracts/ contracts/
COPY backend/__init__.py backend/__init__.py
RUN pip install --no-cache-dir '.[worker]'
ENV WORKER_CACHE_DIR=/cache
CMD ["python", "-m", "worker", "--concurrency", "1"]
