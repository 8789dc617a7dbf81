"""The demo project: synthetic letter images of classes the shipped models never saw.

The project gets the classes (with colours) and one `generate` job; a worker draws the images
(docs/contracts.md §2, generate) and the result fills the pools.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.db import Job, Project, User
from backend.services.jobs import create_generate_job
from backend.services.models import shipped_models
from backend.services.projects import PALETTE, classes_of, create_project

DEMO_BASE_MODEL = "letters-metasgd"


def generate_params(
    seed: int,
    classes: list[str],
    adapt_annotated: int,
    adapt_unannotated: int,
    holdout: int,
    image_size: int,
) -> dict[str, Any]:
    """The contract's `generate` params: an annotated K-shot adapt set (each class in about
    adapt_annotated / len(classes) images), unannotated adapt images, an annotated holdout."""
    pools = [{"pool": "adapt", "count": adapt_annotated, "annotated": True}]
    if adapt_unannotated:
        pools.append({"pool": "adapt", "count": adapt_unannotated, "annotated": False})
    if holdout:
        pools.append({"pool": "holdout", "count": holdout, "annotated": True})
    return {
        "generate": {"seed": seed, "classes": classes, "pools": pools, "image_size": image_size}
    }


def create_demo(
    session: Session,
    user: User,
    name: str,
    seed: int,
    classes: list[str],
    adapt_annotated: int,
    adapt_unannotated: int,
    holdout: int,
    image_size: int,
) -> tuple[Project, Job]:
    project = create_project(
        session,
        user,
        name,
        "Synthetic letters the base model never saw: annotate, adapt, review, repeat.",
        "detection",
        [(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(classes)],
    )
    # synthetic letters: the project starts from the letters' meta-learned model where shipped
    letters_model = next((m for m in shipped_models(session) if m.name == DEMO_BASE_MODEL), None)
    if letters_model is not None:
        project.base_model_id = letters_model.id
        session.commit()
    # the names as the project stored them (trimmed): the worker draws and labels by these
    classes = [c.name for c in classes_of(session, project.id)]
    params = generate_params(seed, classes, adapt_annotated, adapt_unannotated, holdout, image_size)
    job = create_generate_job(session, project.id, user, params)
    return project, job
