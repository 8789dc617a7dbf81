from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import AddressDep, CurrentUser, OwnerAccess, SessionDep, ViewerAccess
from backend.db import Project
from backend.schemas.projects import (
    DemoCreated,
    DemoRequest,
    DetectionSettings,
    LabelClassOut,
    ProjectCreate,
    ProjectOut,
    ProjectUpdate,
)
from backend.services import audit, limits, projects
from backend.services.demo import create_demo

router = APIRouter(prefix="/projects", tags=["projects"])


def project_out(session: SessionDep, project: Project, role: str) -> ProjectOut:
    return ProjectOut(
        id=project.id,
        name=project.name,
        description=project.description,
        task_type=project.task_type,
        created_at=project.created_at,
        role=role,  # type: ignore[arg-type]
        classes=[LabelClassOut.model_validate(c) for c in projects.classes_of(session, project.id)],
        image_count=projects.image_count(session, project.id),
        settings=DetectionSettings(
            working_scale=project.working_scale,
            max_detections=project.max_detections,
            base_model_id=project.base_model_id,
        ),
        current_model_id=project.current_model_id,
    )


@router.get("", name="list")
def list_projects(session: SessionDep, user: CurrentUser) -> list[ProjectOut]:
    """The projects you are a member of."""
    return [project_out(session, p, role) for p, role in projects.list_projects(session, user)]


@router.post("", name="create", status_code=201)
def create_project(body: ProjectCreate, session: SessionDep, user: CurrentUser) -> ProjectOut:
    """Create a project with its label classes; you become its owner."""
    limits.check_description(body.description)
    project = projects.create_project(
        session,
        user,
        body.name,
        body.description,
        body.task_type,
        [(c.name, c.color) for c in body.classes],
    )
    return project_out(session, project, "owner")


@router.post("/demo", name="create-demo", status_code=201)
def create_demo_project(
    session: SessionDep, user: CurrentUser, body: DemoRequest | None = None
) -> DemoCreated:
    """A project of synthetic letters (C F K P X by default) filled by a `generate` job. Its
    image counts and size are bounded by settings (422 beyond); 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running."""
    body = body or DemoRequest()
    limits.check_demo(body.adapt_annotated, body.adapt_unannotated, body.holdout, body.image_size)
    limits.check_job_quota(session, user)
    project, job = create_demo(
        session,
        user,
        body.name,
        body.seed,
        body.classes,
        body.adapt_annotated,
        body.adapt_unannotated,
        body.holdout,
        body.image_size,
    )
    return DemoCreated(project=project_out(session, project, "owner"), job_id=job.id)


@router.get("/{project_id}", name="get")
def get_project(access: ViewerAccess, session: SessionDep) -> ProjectOut:
    return project_out(session, access.project, access.role)


@router.patch("/{project_id}", name="update")
def update_project(body: ProjectUpdate, access: OwnerAccess, session: SessionDep) -> ProjectOut:
    limits.check_description(body.description)
    settings = body.settings.model_dump(exclude_unset=True) if body.settings is not None else None
    project = projects.update_project(
        session, access.project, body.name, body.description, settings
    )
    return project_out(session, project, access.role)


@router.delete("/{project_id}", name="delete", status_code=204)
def delete_project(access: OwnerAccess, session: SessionDep, address: AddressDep) -> Response:
    """Delete the project and everything in it (blobs stay: they may be shared)."""
    project = access.project
    audit.record(
        session, "project.delete", access.user, address=address, project_id=project.id,
        target=project.name,
    )  # fmt: skip
    projects.delete_project(session, access.project)
    return Response(status_code=204)
