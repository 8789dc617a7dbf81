from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import AddressDep, AnnotatorAccess, SessionDep, ViewerAccess
from backend.schemas.common import Id
from backend.schemas.projects import LabelClassIn, LabelClassOut, LabelClassUpdate
from backend.services import audit, projects

router = APIRouter(prefix="/projects/{project_id}/classes", tags=["classes"])


@router.get("", name="list")
def list_classes(access: ViewerAccess, session: SessionDep) -> list[LabelClassOut]:
    """The project's classes, each with how many annotations have it."""
    counts = projects.class_annotation_counts(session, access.project.id)
    return [
        LabelClassOut.model_validate(c).model_copy(update={"annotation_count": counts.get(c.id, 0)})
        for c in projects.classes_of(session, access.project.id)
    ]


@router.post("", name="create", status_code=201)
def create_class(body: LabelClassIn, access: AnnotatorAccess, session: SessionDep) -> LabelClassOut:
    label = projects.add_class(session, access.project.id, body.name, body.color)
    session.commit()
    return LabelClassOut.model_validate(label)


@router.patch("/{class_id}", name="update")
def update_class(
    class_id: Id, body: LabelClassUpdate, access: AnnotatorAccess, session: SessionDep
) -> LabelClassOut:
    label = projects.update_class(session, access.project.id, class_id, body.name, body.color)
    return LabelClassOut.model_validate(label)


@router.delete("/{class_id}", name="delete", status_code=204)
def delete_class(
    class_id: Id, access: AnnotatorAccess, session: SessionDep, address: AddressDep
) -> Response:
    audit.record(
        session, "class.delete", access.user, address=address, project_id=access.project.id,
        target=f"class {class_id}",
    )  # fmt: skip
    """Delete a class; 409 while annotations use it."""
    projects.delete_class(session, access.project.id, class_id)
    return Response(status_code=204)
