"""Document numbers: handed out per organ code and year, never reused.

The registry is a small SQLite file kept with the campaign's inputs. A number
belongs to a document key (period, kind, addressee), so rebuilding a period
gives its documents the numbers they already had, while a new document takes
the next free serial. Each allocation is one IMMEDIATE transaction, so two
builds running at once serialise on the database lock instead of both taking
the same serial, and an interrupted build leaves either a whole row or none.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS numbers (
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (code, year, serial),
    UNIQUE (code, year, key)
)
"""


def document_number(code: str, year: int, serial: int) -> str:
    """老城督查〔2023〕3号: year in full, serial without leading zeros."""
    return f"{code}〔{year}〕{serial}号"


class NumberRegistry:
    def __init__(self, path: Path):
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute(SCHEMA)
        return connection

    def allocate(self, code: str, year: int, key: str, title: str) -> int:
        """The serial already held by ``key``, or the next free one."""
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute(
                    "SELECT serial FROM numbers WHERE code = ? AND year = ? AND key = ?", (code, year, key)
                ).fetchone()
                if row is None:
                    (last,) = connection.execute(
                        "SELECT COALESCE(MAX(serial), 0) FROM numbers WHERE code = ? AND year = ?", (code, year)
                    ).fetchone()
                    serial = last + 1
                    connection.execute(
                        "INSERT INTO numbers VALUES (?, ?, ?, ?, ?, ?)",
                        (code, year, serial, key, title, dt.datetime.now().isoformat(timespec="seconds")),
                    )
                else:
                    (serial,) = row
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return serial

    def entries(self) -> list[tuple[str, int, int, str, str]]:
        with closing(self._connect()) as connection:
            return connection.execute(
                "SELECT code, year, serial, key, title FROM numbers ORDER BY code, year, serial"
            ).fetchall()
