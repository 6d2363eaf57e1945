"""Judge a cut-off of a test campaign the way a build does, without the record."""

from __future__ import annotations

from supervision_bulletin import calendar
from supervision_bulletin.evaluate import CycleResult, evaluate
from supervision_bulletin.model import Inputs
from supervision_bulletin.periods import parse_period


def judged(inputs: Inputs, label: str) -> CycleResult:
    """``label`` as typed (2024-06 names the half-year summary), each cut-off on its default date."""
    period = calendar.resolve(inputs.campaign, parse_period(label))
    return evaluate(inputs, period, calendar.default_as_of(inputs.campaign))
