"""Actions that must run only once the current transaction is committed.

Celery messages and events are sent after commit: a worker that receives a task id must find the
committed row, and a client that receives an event must be able to read what it announces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "after_commit_actions"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    actions = session.info.pop(_KEY, [])
    for action in actions:
        try:
            action()
        except Exception:  # a failed send must not turn a committed request into an error
            log.exception("after-commit action failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
