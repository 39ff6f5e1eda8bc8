"""Command-line interface: a thin layer over the public API.

Each command group lives in its own module (``_kb.py``, ``_model.py``, ...) and registers itself
on :data:`app` when imported below. Exit codes: 0 success, 2 bad input (any
:class:`~herscape.errors.HerscapeError`), 1 anything else.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from herscape.errors import DataNotAvailableError, HerscapeError

__all__ = ["app", "err_console", "main", "out_console"]

app = typer.Typer(
    name="herscape",
    help="Will this tumour resist a HER-family targeted therapy, why, and what to do instead.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out_console = Console()
err_console = Console(stderr=True, soft_wrap=True)

# Command modules register on `app` at import; keep these imports after `app` exists.
from herscape.cli import _kb  # noqa: E402, F401, I001
from herscape.cli import _annotate  # noqa: E402, F401
from herscape.cli import _model  # noqa: E402, F401
from herscape.cli import _simulate  # noqa: E402, F401
from herscape.cli import _predict  # noqa: E402, F401
from herscape.cli import _demo  # noqa: E402, F401
from herscape.cli import _evolve  # noqa: E402, F401


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map herscape errors to exit code 2 with a one-line message."""
    try:
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:  # typer.Exit(code) is returned, not raised, here
            return code
    except HerscapeError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        for problem in getattr(exc, "problems", [])[:200]:
            err_console.print(f"  {problem}", highlight=False)
        return 1 if isinstance(exc, DataNotAvailableError) else 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 1
    except Exception as exc:  # click usage errors carry their own exit code
        code = getattr(exc, "exit_code", None)
        if code is not None and hasattr(exc, "show"):
            exc.show()
            return code
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
