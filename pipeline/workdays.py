"""Working days: Monday to Friday (public holidays are not modelled)."""

from __future__ import annotations

import datetime as dt


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the Monday after."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (weekends skipped)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
