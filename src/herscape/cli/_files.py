"""Output files of the commands: a temporary file beside the target, with the user's permissions.

``tempfile.mkstemp`` creates its file readable by its owner only (mode 0600) so that a
temporary file is private; once renamed over the target it would keep that mode, and a report
written for a tumour board could not be read by the colleague it was written for. The
temporary file therefore gets the mode an ordinary ``open(path, "w")`` would give it
(0666 less the process umask) before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["temp_beside"]


def _umask() -> int:
    # os.umask sets and returns; there is no read-only call (the CLI is single-threaded here)
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_beside(out: Path) -> tuple[int, str]:
    """``(fd, path)`` of a new temporary file in ``out``'s folder, mode 0666 & ~umask."""
    folder = out.parent if str(out.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    os.fchmod(fd, 0o666 & ~_umask())
    return fd, tmp
