"""Shared test helpers: real processes (Redis, the API), fresh databases, HTTP clients, factories.

Used by tests/backend and tests/integration. Nothing here mocks anything: every helper starts or
connects to the real thing.
"""
