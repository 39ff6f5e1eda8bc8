"""Where the shared published models are, for the network tests (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "models"


def model_file(*parts: str) -> Path:
    """A file under ../shared/data/models, skipping the test with a clear reason when absent."""
    path = MODELS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (network tests read ../shared/data/models in place)")
    return path


def shared_files(pattern: str) -> list[str]:
    """Paths (relative to the models folder) matching ``pattern``; a placeholder when absent.

    The placeholder makes the parametrized test call :func:`model_file`, which skips with a
    clear reason.
    """
    if not MODELS.is_dir():
        return [f"<absent>/{pattern}"]
    return sorted(str(p.relative_to(MODELS)) for p in MODELS.glob(pattern))
