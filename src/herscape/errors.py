"""Every exception herscape raises on purpose.

Hierarchy::

    HerscapeError
    ├── UsageError              a bad argument or option (unknown drug, unknown tumour type, ...)
    ├── ProfileParseError       an input profile file or string that cannot be read
    ├── KnowledgeBaseError      a knowledge record that does not validate
    ├── ModelError              a model file that cannot be read or is inconsistent
    ├── SimulationError         a simulation that cannot be run as asked
    ├── ReportError             a report that cannot be written
    └── DataNotAvailableError   a data file that is needed but absent

Context travels as keyword-only attributes (``source``, ``line``, ``column``, ``field``,
``value``, ``record``) as well as in the message, so callers can format or collect errors.
The command line maps every ``HerscapeError`` except ``DataNotAvailableError`` to exit code 2.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DataNotAvailableError",
    "HerscapeError",
    "KnowledgeBaseError",
    "ModelError",
    "ProfileParseError",
    "ReportError",
    "SimulationError",
    "UsageError",
]


class HerscapeError(Exception):
    """Base class: a problem the user can act on.

    Parameters
    ----------
    message
        What went wrong, naming the bad value.
    source
        The file (path) or input the problem is in, if any.
    line, column
        1-based position in ``source``, if known.
    field
        The field, column or key that is wrong, if known.
    value
        The offending value, if useful.
    record
        The id of the record (knowledge, model node, sample) the problem is in, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        value: Any = None,
        record: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.field = field
        self.value = value
        self.record = record

    def location(self) -> str:
        """``file:line:column`` (the parts that are known), or an empty string."""
        parts = [str(p) for p in (self.source, self.line, self.column) if p is not None]
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        extra = []
        if self.record is not None:
            extra.append(f"record {self.record!r}")
        if self.field is not None:
            extra.append(f"field {self.field!r}")
        prefix = f"{where}: " if where else ""
        suffix = f" ({', '.join(extra)})" if extra else ""
        return f"{prefix}{self.message}{suffix}"


class UsageError(HerscapeError):
    """A bad argument or option: unknown drug, tumour type, node, format, ..."""


class ProfileParseError(HerscapeError):
    """An input profile (file or string) that cannot be read."""


class KnowledgeBaseError(HerscapeError):
    """A knowledge record that does not validate.

    ``problems`` holds every problem found when several are collected before raising.
    """

    def __init__(self, message: str, *, problems: list[HerscapeError] | None = None, **context: Any):
        super().__init__(message, **context)
        self.problems = problems or []


class ModelError(HerscapeError):
    """A model file that cannot be read, or a model that is inconsistent."""


class SimulationError(HerscapeError):
    """A simulation that cannot be run as asked."""


class ReportError(HerscapeError):
    """A report that cannot be written."""


class DataNotAvailableError(HerscapeError):
    """A data file that is needed but absent (for example the seed documents)."""
