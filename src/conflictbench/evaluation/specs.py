"""One parser from what a user names to a system: ``rules.v1``, ``pkg.mod:attr``, a predictions
file, or ``cmd:COMMAND`` — used by ``eval`` and ``compare`` alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ParameterError, check_choice

#: what a system spec can name
KINDS = ("extractor", "command", "predictions")


@dataclass(frozen=True)
class SystemSpec:
    """``kind``: one of :data:`KINDS`; ``target``: the extractor name or ``module:attr``, the
    command line, or the predictions file's path."""

    kind: str
    target: str

    def __post_init__(self) -> None:
        check_choice("SystemSpec", "kind", self.kind, KINDS)
        if not isinstance(self.target, str) or not self.target.strip():
            raise ParameterError(f"The 'target' parameter of SystemSpec() must be a non-empty string. "
                                 f"Got {self.target!r} instead.")
        if self.kind == "command":  # an unclosed quote fails now, before anything runs
            from ..runner import split_command

            split_command(self.target, where="cmd:")

    def __str__(self) -> str:
        return f"cmd:{self.target}" if self.kind == "command" else self.target


def parse_system(spec: str) -> SystemSpec:
    """``cmd:COMMAND`` → a command; an existing file → a predictions file; anything that looks
    like a path but is not a file → an error; otherwise a registered name or ``module:attr``."""
    if not isinstance(spec, str) or not spec.strip():
        raise ParameterError(f"a system is a registered extractor, package.module:attr, a predictions file "
                             f"or cmd:COMMAND. Got {spec!r} instead.")
    if spec.startswith("cmd:"):
        return SystemSpec("command", spec[4:])
    if Path(spec).is_file():
        return SystemSpec("predictions", spec)
    if spec.endswith((".jsonl", ".json")) or "/" in spec or "\\" in spec:
        raise ParameterError(f"{spec}: no such predictions file (a system is a registered extractor, "
                             "package.module:attr, a predictions file or cmd:COMMAND)")
    return SystemSpec("extractor", spec)
