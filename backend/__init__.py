"""MetaLoop server: FastAPI app, SQL models, services, worker API."""

__version__ = "0.1.0"
