"""What crosses a process boundary, as Pydantic models (docs/contracts.md).

The backend validates with these models what workers send it, the worker and the engine read
the update routine's defaults from here, and the OpenAPI schema (hence the web client's generated
TypeScript types) is made from them. Nothing here imports torch, a database or HTTP, so both the
backend and the worker use it.

* :mod:`contracts.defaults`: the update routine's choices and defaults, written once, in plain
  Python (the engine reads them there: it runs where pydantic may not be installed).
* :mod:`contracts.routine`: the update routine as a Pydantic model.
* :mod:`contracts.tasks`: the task spec a worker receives, one model per task kind.
* :mod:`contracts.results`: each task kind's result.
* :mod:`contracts.events`: the server-sent events of ``GET /api/events``.
* :mod:`contracts.settings`: the settings the server and the workers share (pydantic-settings).

Import from the modules; this package imports none of them, so that ``contracts.defaults`` stays
free of pydantic.
"""
