"""Input problems: every one names its place, and all are reported together."""

from __future__ import annotations

from dataclasses import dataclass

from supervision_bulletin.model import Location
from supervision_bulletin.values import printable


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        # Shown on a terminal: no control character of an input reaches it.
        return printable(f"{self.location}：{self.message}")


class InputError(Exception):
    """Raised when the inputs cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProblemLog:
    """Collects problems so that one run lists all of them, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
