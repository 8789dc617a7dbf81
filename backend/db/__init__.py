"""SQL persistence: the declarative base, the session factory and the tables.

Importing this package imports every table module, so `Base.metadata` is complete (Alembic and the
autogenerate check rely on that).
"""

from backend.db.accounts import ApiToken, AuditEvent, User, WorkerCredential
from backend.db.base import Base, utcnow
from backend.db.events import EventRecord
from backend.db.images import Annotation, Image
from backend.db.jobs import Job, Task, Worker
from backend.db.ml import Metric, Model, PrCurve
from backend.db.predictions import EvaluationImage, ImageUncertainty, Prediction
from backend.db.projects import LabelClass, Project, ProjectMember
from backend.db.webhooks import Webhook, WebhookDelivery

__all__ = [
    "Annotation",
    "ApiToken",
    "AuditEvent",
    "Base",
    "EvaluationImage",
    "EventRecord",
    "Image",
    "ImageUncertainty",
    "Job",
    "LabelClass",
    "Metric",
    "Model",
    "PrCurve",
    "Prediction",
    "Project",
    "ProjectMember",
    "Task",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Worker",
    "WorkerCredential",
    "utcnow",
]
