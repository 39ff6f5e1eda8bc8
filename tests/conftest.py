"""Shared test fixtures: the shared/ folder beside the checkout, and the shipped knowledge."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (tests read ../shared in place; clone beside it)")
    return path


@pytest.fixture(scope="session")
def kb():
    """The shipped knowledge base, validated once per session."""
    from herscape.knowledge import load_kb

    return load_kb()
