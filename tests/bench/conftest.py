"""The engine's test fixtures (a tiny detector, letter samples, a fixed seed), for the tests of
the benchmark's own engine code (batched adaptation, the grid)."""

from tests.engine.conftest import _deterministic, letter_samples, tiny_config  # noqa: F401
