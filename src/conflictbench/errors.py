"""Exceptions the CLI turns into one clear message and a non-zero exit."""

from __future__ import annotations


class ConflictbenchError(Exception):
    """Base class: the message is complete and names the file/record/field at fault."""

    exit_code = 2


class DataError(ConflictbenchError):
    """Input data (corpus, registry, predictions, exports) is malformed."""


class ValidationFailed(ConflictbenchError):
    """A corpus failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list, *, source: str = "corpus") -> None:
        self.problems = list(problems)
        lines = [f"{source}: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ParameterError(ConflictbenchError, ValueError):
    """An option given to a library function or the CLI is out of its domain."""


def check_choice(func: str, name: str, value: object, choices) -> None:
    """Raise :class:`ParameterError` in scikit-learn's wording when ``value`` is not allowed."""
    if value not in choices:
        opts = "{" + ", ".join(repr(c) for c in sorted(choices, key=str)) + "}"
        raise ParameterError(
            f"The {name!r} parameter of {func}() must be one of {opts}. Got {value!r} instead."
        )


class ExtractorUnavailable(ConflictbenchError):
    """An extractor cannot run here (e.g. its optional model is not installed).

    Raised by an extractor factory; ``make eval`` prints the message on one line and goes
    on with the other extractors.
    """
