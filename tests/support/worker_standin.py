"""A worker stand-in: plays the worker's side of the worker API over real HTTP, so backend tests
can drive tasks without torch. (The real worker, `python -m worker`, speaks the same API.)"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import httpx

from support.models import write_model
from support.server import ApiServer

__all__ = ["WorkerStandIn", "adapt_result", "detect_result", "evaluate_result", "write_model"]


class WorkerStandIn:
    def __init__(self, server: ApiServer, name: str = "standin-1") -> None:
        self.name = name
        self.http = server.worker_client()

    def register(self) -> dict[str, Any]:
        answer = self.http.post(
            "/workers",
            json={
                "name": self.name,
                "host": "testhost",
                "address": "127.0.0.1",
                "device": "cpu",
                "queues": ["metaloop"],
                "version": "test",
            },
        )
        answer.raise_for_status()
        return answer.json()

    def start(self, task_id: int) -> httpx.Response:
        return self.http.post(f"/tasks/{task_id}/start", json={"worker": self.name})

    def start_ok(self, task_id: int) -> dict[str, Any]:
        answer = self.start(task_id)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def progress(
        self,
        task_id: int,
        token: str,
        progress: float = 0.5,
        stage: str = "working",
        points: list[dict[str, float]] | None = None,
    ) -> httpx.Response:
        return self.http.post(
            f"/tasks/{task_id}/progress",
            json={"attempt_token": token, "progress": progress, "stage": stage, "points": points},
        )

    def result(self, task_id: int, token: str, result: dict[str, Any]) -> httpx.Response:
        return self.http.post(
            f"/tasks/{task_id}/result", json={"attempt_token": token, "result": result}
        )

    def fail(self, task_id: int, token: str, reason: str, retry: bool = False) -> httpx.Response:
        return self.http.post(
            f"/tasks/{task_id}/fail",
            json={"attempt_token": token, "reason": reason, "retry": retry},
        )

    def put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        answer = self.http.put(f"/blobs/{sha}", content=data)
        answer.raise_for_status()
        return sha


def adapt_result(
    standin: WorkerStandIn,
    weights: bytes = b"adapted weights",
    checkpoints: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    sha = standin.put_blob(weights)
    return {
        "weights_sha256": sha,
        "card": {"name": "adapted", "architecture": "dense-detector", "algorithm": "adapt"},
        "steps_run": 20,
        "best_step": 18,
        "stopped_early": False,
        "final_loss": 0.25,
        "loss_curve": [[1, 1.0], [10, 0.5], [20, 0.25]],
        "checkpoints": checkpoints
        if checkpoints is not None
        else [
            {"step": 10, "metrics": {"AP": 0.2, "AP50": 0.4}},
            {"step": 20, "metrics": {"AP": 0.3, "AP50": 0.6}},
        ],
        "seconds": 1.5,
    }


def detect_result(spec: dict[str, Any], scores: list[list[float]] | None = None) -> dict[str, Any]:
    """Detections for every image of a detect spec; `scores[i]` are image i's detection scores
    (default: one detection of score 0.9 - 0.1 * i)."""
    predictions = []
    for index, image in enumerate(spec["images"]):
        image_scores = scores[index] if scores is not None else [round(0.9 - 0.1 * index, 3)]
        detections = [
            {
                "class_index": k % len(spec["classes"]),
                "box": [1.0, 1.0, 8.0, 8.0 + k],
                "score": s,
                "uncertainty": _entropy(s),
            }
            for k, s in enumerate(image_scores)
        ]
        predictions.append(
            {
                "image_id": image["id"],
                "detections": detections,
                "uncertainty": max((d["uncertainty"] for d in detections), default=0.0),
            }
        )
    return {"predictions": predictions, "seconds": 0.2}


def evaluate_result(spec: dict[str, Any], ap50: float = 0.6) -> dict[str, Any]:
    metrics = {
        "AP": ap50 / 2,
        "AP50": ap50,
        "AP75": ap50 / 3,
        "APs": -1.0,
        "APm": 0.2,
        "APl": None,
        "AR1": 0.1,
        "AR10": 0.3,
        "AR100": 0.4,
    }
    return {
        "metrics": metrics,
        "per_class": [
            {"class_index": i, "AP": 0.1 * i, "AP50": 0.2 * i} for i in range(len(spec["classes"]))
        ],
        "pr_curves": [
            {"class_index": i, "iou": 0.5, "recall": [0.0, 0.5, 1.0], "precision": [1.0, 0.8, 0.4]}
            for i in range(len(spec["classes"]))
        ],
        "num_images": len(spec["images"]),
        "max_detections": 100,
        "seconds": 0.3,
    }


def _entropy(score: float) -> float:
    if score <= 0 or score >= 1:
        return 0.0
    return -(score * math.log2(score) + (1 - score) * math.log2(1 - score))
