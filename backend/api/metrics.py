from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import SessionDep, ViewerAccess
from backend.schemas.common import Id
from backend.schemas.metrics import AdaptationCurveOut, MetricsOut
from backend.services import metrics
from backend.services.models import get_model

router = APIRouter(prefix="/projects/{project_id}/metrics", tags=["metrics"])


@router.get("", name="list")
def list_metrics(
    access: ViewerAccess,
    session: SessionDep,
    model_id: Id | None = None,
    job_id: Id | None = None,
    checkpoints: bool = False,
) -> MetricsOut:
    """COCO numbers (overall: class_id null; per class) and PR curves, by model or job.
    `checkpoints=true` adds the adapt checkpoint metrics (rows with a step)."""
    return MetricsOut(**metrics.metrics(session, access.project.id, model_id, job_id, checkpoints))


@router.get("/adaptation", name="adaptation")
def adaptation_curve(model_id: Id, access: ViewerAccess, session: SessionDep) -> AdaptationCurveOut:
    """Metrics against adaptation steps (adapt checkpoints) and the loss curve of a model."""
    model = get_model(session, access.project.id, model_id)
    return AdaptationCurveOut(
        **metrics.adaptation_curve(session, access.project.id, model.id, model.source_job_id)
    )
