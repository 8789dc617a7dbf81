from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from backend.api.deps import AnnotatorAccess, SessionDep, ViewerAccess
from backend.api.paging import NEXT_PAGE_HEADERS, CursorParam, set_next_cursor
from backend.db import Job
from backend.schemas.common import MAX_INT, Id
from backend.schemas.jobs import ImageEvaluationOut, JobCreate, JobDetail, JobOut, TaskOut
from backend.services import evaluations, jobs, limits

router = APIRouter(prefix="/projects/{project_id}/jobs", tags=["jobs"])


def job_detail(session: SessionDep, job: Job) -> JobDetail:
    """A job with its tasks, as the job routes answer it."""
    tasks = [TaskOut.model_validate(t) for t in jobs.tasks_of(session, job.id)]
    return JobDetail(**JobOut.model_validate(job).model_dump(), tasks=tasks)


def _detail(session: SessionDep, job_id: int, project_id: int) -> JobDetail:
    return job_detail(session, jobs.get_job(session, project_id, job_id))


@router.post("", name="create", status_code=201)
def create_job(body: JobCreate, access: AnnotatorAccess, session: SessionDep) -> JobDetail:
    """Start adapt, detect, evaluate or iterate (adapt → detect → evaluate). The routine's
    steps, batch size and checkpoints and the number of image ids are bounded by settings
    (MAX_ROUTINE_STEPS, MAX_BATCH_SIZE, MAX_ROUTINE_CHECKPOINTS, MAX_JOB_IMAGES: 422 beyond);
    429 when you have MAX_ACTIVE_JOBS_PER_USER jobs queued or running."""
    params = body.params.model_dump(exclude_none=True)
    limits.check_job_params(params)
    limits.check_job_quota(session, access.user)
    job = jobs.create_job(session, access.project.id, access.user, body.kind, params)
    return _detail(session, job.id, access.project.id)


@router.get("", name="list", responses=NEXT_PAGE_HEADERS)
def list_jobs(
    access: ViewerAccess,
    session: SessionDep,
    request: Request,
    response: Response,
    state: str | None = None,
    kind: str | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorParam = None,
) -> list[JobOut]:
    """Newest first. When there are more, the `X-Next-Cursor` header (and `Link: rel="next"`)
    gives the `cursor` of the next page."""
    rows, next_cursor = jobs.list_jobs(
        session, access.project.id, state, kind, offset, limit, cursor
    )
    set_next_cursor(request, response, next_cursor)
    return [JobOut.model_validate(j) for j in rows]


@router.get("/{job_id}", name="get")
def get_job(job_id: Id, access: ViewerAccess, session: SessionDep) -> JobDetail:
    """The job with its tasks, progress, stage and stage timings (seconds)."""
    return _detail(session, job_id, access.project.id)


@router.post("/{job_id}/cancel", name="cancel")
def cancel_job(job_id: Id, access: AnnotatorAccess, session: SessionDep) -> JobDetail:
    """Cancel; running workers see it on their next progress report and stop."""
    jobs.cancel_job(session, jobs.get_job(session, access.project.id, job_id))
    return _detail(session, job_id, access.project.id)


@router.get("/{job_id}/evaluation", name="evaluation")
def job_evaluation(
    job_id: Id, access: ViewerAccess, session: SessionDep
) -> list[ImageEvaluationOut]:
    """Per holdout image of the job's evaluation: detections marked true/false positive and the
    ground truth missed, the images with the most errors first (empty before it has run)."""
    job = jobs.get_job(session, access.project.id, job_id)
    return [ImageEvaluationOut(**row) for row in evaluations.image_evaluations(session, job.id)]
