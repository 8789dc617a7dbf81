"""Projects, membership and roles, label classes.

A user sees only projects they belong to: for anyone else a project does not exist (404).
Roles rank viewer < annotator < owner; writes need annotator, membership and deletion need owner.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.db import (
    Annotation,
    EvaluationImage,
    Image,
    ImageUncertainty,
    Job,
    LabelClass,
    Metric,
    Model,
    PrCurve,
    Prediction,
    Project,
    ProjectMember,
    Task,
    User,
)
from backend.services.errors import Conflict, Forbidden, Invalid, NotFound

ROLE_RANK = {"viewer": 0, "annotator": 1, "owner": 2}
PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3", "#808000", "#000075",
]  # fmt: skip


@dataclass(frozen=True)
class ProjectAccess:
    project: Project
    role: str
    user: User


def require_access(session: Session, user: User, project_id: int, min_role: str) -> ProjectAccess:
    project = session.get(Project, project_id)
    member = session.get(ProjectMember, (project_id, user.id)) if project else None
    if project is None or member is None:
        raise NotFound(f"project {project_id} not found")
    if ROLE_RANK[member.role] < ROLE_RANK[min_role]:
        raise Forbidden(
            f"your role in project {project_id} is {member.role}; this needs {min_role}"
        )
    return ProjectAccess(project, member.role, user)


def classes_of(session: Session, project_id: int) -> list[LabelClass]:
    return list(
        session.scalars(
            select(LabelClass).where(LabelClass.project_id == project_id).order_by(LabelClass.id)
        )
    )


def class_annotation_counts(session: Session, project_id: int) -> dict[int, int]:
    """How many annotations each class of the project has (classes with none are left out)."""
    rows = session.execute(
        select(Annotation.class_id, func.count())
        .join(LabelClass, LabelClass.id == Annotation.class_id)
        .where(LabelClass.project_id == project_id)
        .group_by(Annotation.class_id)
    )
    return {class_id: count for class_id, count in rows}


def image_count(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count()).where(Image.project_id == project_id)) or 0


def _next_color(session: Session, project_id: int) -> str:
    used = len(classes_of(session, project_id))
    return PALETTE[used % len(PALETTE)]


def _trimmed(name: str) -> str:
    """``name`` without the whitespace and invisible characters at its ends."""
    start, end = 0, len(name)
    while start < end and _blank(name[start]):
        start += 1
    while end > start and _blank(name[end - 1]):
        end -= 1
    return name[start:end]


def _blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def clean_class_name(name: str) -> str:
    """The name a class is stored under: trimmed of whitespace and zero-width characters at its
    ends; an empty name, or one holding control characters, is refused (422)."""
    cleaned = _trimmed(name)
    if not cleaned:
        raise Invalid(f"class name {name!r} is empty: give a name with visible characters")
    controls = sorted({f"U+{ord(c):04X}" for c in cleaned if unicodedata.category(c) == "Cc"})
    if controls:
        raise Invalid(f"class name {name!r} holds control characters ({', '.join(controls)})")
    return cleaned


def class_name_key(name: str) -> str:
    """What a person sees of a class name: two names with the same key look alike, so a project
    may not have both. Unicode compatibility forms are folded (NFKC: full-width letters,
    ligatures), then case, zero-width and other invisible characters are dropped, and runs of
    whitespace count as one space."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def _same_name_class(
    session: Session, project_id: int, name: str, exclude_id: int | None = None
) -> LabelClass | None:
    """The class of the project whose name looks like ``name``, if any."""
    key = class_name_key(name)
    for label in classes_of(session, project_id):
        if label.id != exclude_id and class_name_key(label.name) == key:
            return label
    return None


def _name_taken(project_id: int, name: str, existing: LabelClass) -> Conflict:
    same = "exists already" if existing.name == name else "looks the same as"
    return Conflict(
        f"class {name!r} {same} class {existing.name!r} (id {existing.id}) in project {project_id}"
    )


def add_class(session: Session, project_id: int, name: str, color: str | None) -> LabelClass:
    name = clean_class_name(name)
    existing = _same_name_class(session, project_id, name)
    if existing is not None:
        raise _name_taken(project_id, name, existing)
    label = LabelClass(
        project_id=project_id, name=name, color=(color or _next_color(session, project_id)).lower()
    )
    session.add(label)
    session.flush()
    return label


def create_project(
    session: Session,
    user: User,
    name: str,
    description: str,
    task_type: str,
    classes: list[tuple[str, str | None]],
) -> Project:
    names = [clean_class_name(class_name) for class_name, _ in classes]
    keys = [class_name_key(n) for n in names]
    duplicates = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
    if duplicates:
        raise Invalid(f"class names must be unique and look different; repeated: {duplicates}")
    project = Project(
        name=name, description=description, task_type=task_type, created_by_id=user.id
    )
    session.add(project)
    session.flush()
    session.add(ProjectMember(project_id=project.id, user_id=user.id, role="owner"))
    for class_name, (_, color) in zip(names, classes, strict=True):
        add_class(session, project.id, class_name, color)
    session.commit()
    return project


def list_projects(session: Session, user: User) -> list[tuple[Project, str]]:
    rows = session.execute(
        select(Project, ProjectMember.role)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(ProjectMember.user_id == user.id)
        .order_by(Project.id)
    )
    return [(project, role) for project, role in rows]


def update_project(
    session: Session,
    project: Project,
    name: str | None,
    description: str | None,
    settings: dict | None = None,
) -> Project:
    if name is not None:
        project.name = name
    if description is not None:
        project.description = description
    settings = settings or {}
    if settings.get("base_model_id") is not None:
        model = session.get(Model, settings["base_model_id"])
        if model is None or model.project_id is not None:
            raise Invalid(f"base_model_id {settings['base_model_id']} is not a shipped model")
    for key, value in settings.items():  # the settings sent; the others stay
        setattr(project, key, value)
    session.commit()
    return project


def delete_project(session: Session, project: Project) -> None:
    """Delete the project and every row that hangs from it, children first, in one transaction
    (the database's cascades are not relied on: an annotation's class is ON DELETE RESTRICT).
    Shipped models stay; other projects' rows that named one of its models keep a NULL."""
    pid = project.id
    jobs = select(Job.id).where(Job.project_id == pid)
    images = select(Image.id).where(Image.project_id == pid)
    classes = select(LabelClass.id).where(LabelClass.project_id == pid)
    models = select(Model.id).where(Model.project_id == pid)
    of_project = (
        delete(Prediction).where(
            Prediction.job_id.in_(jobs)
            | Prediction.image_id.in_(images)
            | Prediction.class_id.in_(classes)
        ),
        delete(ImageUncertainty).where(
            ImageUncertainty.job_id.in_(jobs) | ImageUncertainty.image_id.in_(images)
        ),
        delete(EvaluationImage).where(
            EvaluationImage.job_id.in_(jobs) | EvaluationImage.image_id.in_(images)
        ),
        delete(Metric).where(
            (Metric.project_id == pid)
            | Metric.job_id.in_(jobs)
            | Metric.model_id.in_(models)
            | Metric.class_id.in_(classes)
        ),
        delete(PrCurve).where(
            (PrCurve.project_id == pid)
            | PrCurve.job_id.in_(jobs)
            | PrCurve.model_id.in_(models)
            | PrCurve.class_id.in_(classes)
        ),
        delete(Task).where(Task.job_id.in_(jobs)),
        delete(Annotation).where(
            Annotation.image_id.in_(images) | Annotation.class_id.in_(classes)
        ),
        delete(Job).where(Job.project_id == pid),
        delete(Image).where(Image.project_id == pid),
        update(Project).where(Project.id == pid).values(base_model_id=None, current_model_id=None),
        delete(Model).where(Model.project_id == pid),
        delete(LabelClass).where(LabelClass.project_id == pid),
        delete(ProjectMember).where(ProjectMember.project_id == pid),
        delete(Project).where(Project.id == pid),
    )
    for statement in of_project:
        session.execute(statement, execution_options={"synchronize_session": False})
    session.commit()


def list_members(session: Session, project_id: int) -> list[tuple[ProjectMember, User]]:
    rows = session.execute(
        select(ProjectMember, User)
        .join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == project_id)
        .order_by(User.id)
    )
    return [(member, user) for member, user in rows]


def _find_user(session: Session, username: str | None, user_id: int | None) -> User:
    if user_id is not None:
        user = session.get(User, user_id)
    elif username:
        user = session.scalar(select(User).where(User.username == username))
    else:
        raise Invalid("give the new member's username or user_id")
    if user is None:
        raise NotFound(f"user {username or user_id!r} not found")
    return user


def add_member(
    session: Session, project_id: int, username: str | None, user_id: int | None, role: str
) -> tuple[ProjectMember, User]:
    user = _find_user(session, username, user_id)
    if session.get(ProjectMember, (project_id, user.id)) is not None:
        raise Conflict(f"{user.username} is a member already; change the role with PATCH")
    member = ProjectMember(project_id=project_id, user_id=user.id, role=role)
    session.add(member)
    session.commit()
    return member, user


def _owner_count(session: Session, project_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                ProjectMember.project_id == project_id, ProjectMember.role == "owner"
            )
        )
        or 0
    )


def _member(session: Session, project_id: int, user_id: int) -> ProjectMember:
    member = session.get(ProjectMember, (project_id, user_id))
    if member is None:
        raise NotFound(f"user {user_id} is not a member of project {project_id}")
    return member


def change_role(
    session: Session, project_id: int, user_id: int, role: str
) -> tuple[ProjectMember, User]:
    member = _member(session, project_id, user_id)
    if member.role == "owner" and role != "owner" and _owner_count(session, project_id) == 1:
        raise Conflict("a project needs at least one owner")
    member.role = role
    session.commit()
    return member, session.get_one(User, user_id)


def remove_member(session: Session, project_id: int, user_id: int) -> None:
    member = _member(session, project_id, user_id)
    if member.role == "owner" and _owner_count(session, project_id) == 1:
        raise Conflict("a project needs at least one owner")
    session.delete(member)
    session.commit()


def get_class(session: Session, project_id: int, class_id: int) -> LabelClass:
    label = session.get(LabelClass, class_id)
    if label is None or label.project_id != project_id:
        raise NotFound(f"label class {class_id} not found in project {project_id}")
    return label


def update_class(
    session: Session, project_id: int, class_id: int, name: str | None, color: str | None
) -> LabelClass:
    label = get_class(session, project_id, class_id)
    if name is not None:
        name = clean_class_name(name)
        existing = _same_name_class(session, project_id, name, exclude_id=label.id)
        if existing is not None:
            raise _name_taken(project_id, name, existing)
        label.name = name
    if color is not None:
        label.color = color.lower()
    session.commit()
    return label


def delete_class(session: Session, project_id: int, class_id: int) -> None:
    label = get_class(session, project_id, class_id)
    used = session.scalar(select(func.count()).where(Annotation.class_id == class_id)) or 0
    if used:
        raise Conflict(
            f"class {label.name!r} is used by {used} annotations; delete or relabel them first"
        )
    session.delete(label)
    session.commit()
