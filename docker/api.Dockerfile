# The API and the web client: no torch in this image (the backend never imports it).
FROM node:20-bookworm-slim AS client
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY contracts/ contracts/
COPY worker/__init__.py worker/__init__.py
RUN pip install --no-cache-dir '.[server]'
COPY models/ models/
COPY --from=client /src/frontend/dist frontend/dist
ENV DATA_DIR=/data MODELS_DIR=/app/models FRONTEND_DIST=/app/frontend/dist
EXPOSE 8000
# migrate first (nothing creates tables behind Alembic's back), then serve
CMD ["sh", "-c", "python -m backend.migrate && uvicorn backend.main:app --host 0.0.0.0 --port 8000 --proxy-headers"]
