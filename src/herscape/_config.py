"""Defaults and locations, resolved at call time (no I/O on import)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_SEED", "cache_dir", "package_root", "repo_root", "seeds_dir"]

#: Default random seed for every stochastic computation.
DEFAULT_SEED = 42


def package_root() -> Path:
    """The installed ``herscape`` package folder."""
    return Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The source checkout this package runs from, if it is an editable install."""
    candidate = package_root().parent.parent
    return candidate if (candidate / "pyproject.toml").is_file() else None


def seeds_dir() -> Path | None:
    """Folder of the seed documents, or ``None`` when they are not present.

    ``$HERSCAPE_SEEDS`` wins; otherwise ``shared/seeds`` beside the checkout.
    """
    env = os.environ.get("HERSCAPE_SEEDS")
    if env:
        path = Path(env)
        return path if path.is_dir() else None
    root = repo_root()
    if root is not None:
        path = root.parent / "shared" / "seeds"
        if path.is_dir():
            return path
    return None


def cache_dir() -> Path:
    """Writable folder for compiled stores and caches (``$HERSCAPE_CACHE`` or ~/.cache)."""
    env = os.environ.get("HERSCAPE_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = base / "herscape" if not env else base
    path.mkdir(parents=True, exist_ok=True)
    return path
