"""The campaign's record: every document issued, with its number, and the build lock.

One SQLite file in the workspace (inputs/registry.sqlite) holds what was
published: number, kind, addressee, issue date, cut-off, answer deadline,
whether it escalated, and whom a main document commended and criticised. It is
the one place that answers "what did we send, when, under which number": the
escalation of a repeated criticism reads it, `bulletin numbers` prints it, and
a rebuild compares its verdicts with it.

Numbers are handed out at publish only, in the same transaction that swaps the
period's folder in, so a failed or refused build takes none. A number belongs
to a document key (period, kind, addressee): a rebuild keeps it, and a document
a rebuild no longer produces is marked 已作废 — its number is never reused.

A missing, emptied, damaged or out-of-date record would hand out numbers
already printed on documents in outputs/, so each of these stops the build with
a RecordError (exit 3) that says how to restore it; a copy of the record is
kept beside it after every publish for that purpose.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from filelock import FileLock, Timeout

RECORD_FILE = "registry.sqlite"
BACKUP_SUFFIX = ".bak"
LOCK_FILE = ".bulletin-build.lock"
PUBLISHED, VOID = "已发布", "已作废"
BUSY_SECONDS = 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    key TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT,
    title TEXT NOT NULL,
    issued TEXT,
    cutoff TEXT,
    deadline TEXT,
    escalated INTEGER NOT NULL DEFAULT 0,
    commended TEXT NOT NULL DEFAULT '[]',
    criticised TEXT NOT NULL DEFAULT '[]',
    subjects TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (code, year, serial),
    UNIQUE (code, year, key)
)
"""
COLUMNS = (
    "code", "year", "serial", "key", "period", "kind", "unit", "title", "issued", "cutoff", "deadline",
    "escalated", "commended", "criticised", "subjects", "state", "published_at",
)
# Columns a record written by an earlier version lacks; added with their defaults.
ADDED_LATER = {"subjects": "TEXT NOT NULL DEFAULT '[]'"}
_NUMBER = re.compile(r"^(?P<code>.+)〔(?P<year>\d{4})〕(?P<serial>\d+)号$")


class RecordError(RuntimeError):
    """The record cannot be trusted or written: the build stops (exit 3)."""


def document_number(code: str, year: int, serial: int) -> str:
    """老城督查〔2023〕3号: year in full, serial without leading zeros."""
    return f"{code}〔{year}〕{serial}号"


def document_key(period_label: str, kind: str, unit: str | None) -> str:
    return f"{period_label}/{kind}/{unit or ''}"


@dataclass(frozen=True)
class RecordedDocument:
    code: str
    year: int
    serial: int
    key: str
    period: str
    kind: str
    unit: str | None
    title: str
    issued: dt.date | None
    cutoff: dt.date | None
    deadline: dt.date | None
    escalated: bool
    commended: tuple[str, ...]
    criticised: tuple[str, ...]
    state: str
    subjects: tuple[str, ...] = ()  # a notice's indicators

    @property
    def number(self) -> str:
        return document_number(self.code, self.year, self.serial)


@dataclass(frozen=True)
class Publication:
    """One document of a build, as the record keeps it."""

    key: str
    serial: int
    kind: str
    unit: str | None
    title: str
    issued: dt.date
    cutoff: dt.date
    deadline: dt.date | None = None
    escalated: bool = False
    commended: tuple[str, ...] = ()
    criticised: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()


class NumberPlan:
    """Numbers for one build, decided before rendering and taken only at publish:
    a key the record knows keeps its number, a new key gets the next free one."""

    def __init__(self, known: dict[str, int], last: int):
        self.known = dict(known)
        self.last = last

    def serial(self, key: str) -> int:
        if key not in self.known:
            self.last += 1
            self.known[key] = self.last
        return self.known[key]


class CampaignRecord:
    def __init__(self, path: Path):
        self.path = path
        self.backup_path = path.with_name(path.name + BACKUP_SUFFIX)

    # reading ---------------------------------------------------------------

    def documents(self, code: str | None = None, year: int | None = None) -> list[RecordedDocument]:
        """Every document recorded, by number."""
        if not self.path.exists():
            return []
        with self._connection() as connection:
            rows = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM documents ORDER BY code, year, serial")
            found = [recorded(row) for row in rows]
        return [d for d in found if (code is None or d.code == code) and (year is None or d.year == year)]

    def published(self, code: str, year: int, period_label: str) -> list[RecordedDocument]:
        """The documents in force for one cut-off: main document first, then notices by number."""
        found = [d for d in self.documents(code, year) if d.period == period_label and d.state == PUBLISHED]
        return sorted(found, key=lambda d: (d.kind == "notice", d.serial))

    def plan_numbers(self, code: str, year: int) -> NumberPlan:
        documents = self.documents(code, year)
        return NumberPlan({d.key: d.serial for d in documents}, max((d.serial for d in documents), default=0))

    # checking ----------------------------------------------------------------

    def ensure_intact(self, out_dir: Path, code: str, year: int) -> None:
        """Refuse to number anything when the record has lost numbers that documents in
        ``out_dir`` already carry: deleted, emptied, or an older copy put back."""
        highest = self.documents(code, year)  # raises on a damaged file
        recorded_last = max((d.serial for d in highest), default=0)
        issued = numbered_outputs(out_dir, code, year)
        if not issued:
            return
        number, folder = max(issued, key=lambda item: item[0])
        if number <= recorded_last:
            return
        shown = document_number(code, year, number)
        if not self.path.exists() or not highest:
            state = "不存在" if not self.path.exists() else "是空的"
        else:
            state = f"只登记到 {document_number(code, year, recorded_last)}"
        raise RecordError(
            f"文号登记簿 {self.path} {state}，但 {folder} 中已有 {shown} 等已发布的公文。"
            f"若继续生成会重复使用这些文号，因此没有生成任何公文。{self.restore_advice()}"
        )

    def restore_advice(self) -> str:
        if self.backup_path.exists():
            return f"请把备份 {self.backup_path} 复制为 {self.path} 后重试（每次发布后都会更新这份备份）。"
        return f"请从备份中找回 {self.path} 放回原处后重试；找不到时请联系技术人员，切勿删除已发布的公文。"

    # writing -----------------------------------------------------------------

    def publish(
        self, code: str, year: int, period_label: str, entries: Iterable[Publication], swap: Callable[[], None]
    ) -> list[RecordedDocument]:
        """Record ``entries`` as the cut-off's documents and run ``swap`` (the folder's
        publication) inside one transaction; returns the documents this voids."""
        entries = list(entries)
        now = dt.datetime.now().isoformat(timespec="seconds")
        with self._connection(create=True) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                voided = self._void_missing(connection, code, year, period_label, {e.key for e in entries})
                for entry in entries:
                    self._upsert(connection, code, year, period_label, entry, now)
                swap()
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        self._backup()
        return voided

    def _void_missing(self, connection, code: str, year: int, period_label: str, keys: set[str]):
        rows = connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM documents WHERE code = ? AND year = ? AND period = ? AND state = ?",
            (code, year, period_label, PUBLISHED),
        ).fetchall()
        voided = [recorded(row) for row in rows if row[3] not in keys]
        for document in voided:
            connection.execute(
                "UPDATE documents SET state = ? WHERE code = ? AND year = ? AND serial = ?",
                (VOID, code, year, document.serial),
            )
        return voided

    def _upsert(self, connection, code: str, year: int, period_label: str, entry: Publication, now: str) -> None:
        holder = connection.execute(
            "SELECT key FROM documents WHERE code = ? AND year = ? AND serial = ?", (code, year, entry.serial)
        ).fetchone()
        if holder is not None and holder[0] != entry.key:
            raise RecordError(
                f"文号 {document_number(code, year, entry.serial)} 已登记给另一份公文（{holder[0]}），本次未发布。请重新生成。"
            )
        values = (
            code, year, entry.serial, entry.key, period_label, entry.kind, entry.unit, entry.title,
            iso(entry.issued), iso(entry.cutoff), iso(entry.deadline), int(entry.escalated),
            json.dumps(list(entry.commended), ensure_ascii=False), json.dumps(list(entry.criticised), ensure_ascii=False),
            json.dumps(list(entry.subjects), ensure_ascii=False), PUBLISHED, now,
        )
        connection.execute(
            f"INSERT OR REPLACE INTO documents ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", values
        )

    def copy_to(self, path: Path) -> CampaignRecord:
        """A copy of the record to rehearse publications in (a whole-year build composes
        each cut-off after the earlier ones were published, before rendering any)."""
        if self.path.exists():
            with self._connection() as source, closing(sqlite3.connect(path)) as copy:
                source.backup(copy)
        return CampaignRecord(path)

    def _backup(self) -> None:
        """A copy beside the record, through SQLite's own backup (consistent while in use)."""
        try:
            with closing(sqlite3.connect(self.path)) as source, closing(sqlite3.connect(self.backup_path)) as copy:
                source.backup(copy)
        except (sqlite3.Error, OSError):
            pass  # the published record stands; the copy is a convenience

    @contextmanager
    def _connection(self, create: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection with the schema in place; SQLite's faults become RecordErrors."""
        if not create and not self.path.exists():
            raise RecordError(f"文号登记簿 {self.path} 不存在。")
        try:
            with closing(sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)) as connection:
                prepare(connection)
                yield connection
        except sqlite3.OperationalError as error:
            raise RecordError(self.operational_message(error)) from None
        except sqlite3.DatabaseError as error:
            raise RecordError(
                f"文号登记簿 {self.path} 已损坏（{error}），无法确认哪些文号已被使用，因此没有生成任何公文。"
                f"{self.restore_advice()}"
            ) from None

    def operational_message(self, error: sqlite3.OperationalError) -> str:
        text = str(error)
        if "locked" in text or "busy" in text:
            return (
                f"文号登记簿 {self.path} 被其他程序占用超过 {BUSY_SECONDS} 秒（可能正在另一处生成公文或被其他软件打开），"
                "本次没有生成任何公文。请关闭占用它的程序后重试。"
            )
        if "readonly" in text or "read-only" in text:
            return f"文号登记簿 {self.path} 是只读的，无法登记文号，本次没有生成任何公文。请检查该文件及所在文件夹的写入权限后重试。"
        if "no such column" in text or "no such table" in text or "has no column" in text:
            return (
                f"文号登记簿 {self.path} 的结构与本程序不符（{text}），可能不是本程序的登记簿。"
                f"本次没有生成任何公文。{self.restore_advice()}"
            )
        return f"无法读写文号登记簿 {self.path}（{text}），本次没有生成任何公文。{self.restore_advice()}"


def prepare(connection: sqlite3.Connection) -> None:
    """The schema, and the numbers of a record written before documents were kept whole."""
    connection.execute(SCHEMA)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "numbers" in tables:
        migrate_numbers(connection)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
    for column, declaration in ADDED_LATER.items():
        if column not in columns and columns:
            connection.execute(f"ALTER TABLE documents ADD COLUMN {column} {declaration}")
            columns.add(column)
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise sqlite3.OperationalError(f"no such column: {', '.join(missing)}")


def migrate_numbers(connection: sqlite3.Connection) -> None:
    """The earlier registry kept (code, year, serial, key, title): keep every number."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        for code, year, serial, key, title, assigned in connection.execute(
            "SELECT code, year, serial, key, title, assigned_at FROM numbers"
        ).fetchall():
            period, kind, unit = (key.split("/") + ["", ""])[:3]
            connection.execute(
                f"INSERT OR IGNORE INTO documents ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                (code, year, serial, key, period, kind, unit or None, title, None, None, None, 0, "[]", "[]", "[]",
                 PUBLISHED, assigned),
            )
        connection.execute("DROP TABLE numbers")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def recorded(row: tuple) -> RecordedDocument:
    (code, year, serial, key, period, kind, unit, title, issued, cutoff, deadline,
     escalated, commended, criticised, subjects, state, _published_at) = row
    return RecordedDocument(
        code, year, serial, key, period, kind, unit, title, date_or_none(issued), date_or_none(cutoff),
        date_or_none(deadline), bool(escalated), tuple(json.loads(commended)), tuple(json.loads(criticised)), state,
        tuple(json.loads(subjects)),
    )


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def numbered_outputs(out_dir: Path, code: str, year: int) -> list[tuple[int, Path]]:
    """(serial, folder) of every official document a manifest under ``out_dir`` lists."""
    found = []
    for manifest in sorted(out_dir.glob("*/manifest.json")) if out_dir.is_dir() else ():
        try:
            documents = json.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
        except (OSError, ValueError, AttributeError):
            continue  # not ours to judge: the number check needs only readable manifests
        for document in documents if isinstance(documents, list) else ():
            match = _NUMBER.match(str(document.get("number") or "")) if isinstance(document, dict) else None
            if match and match["code"] == code and int(match["year"]) == year:
                found.append((int(match["serial"]), manifest.parent))
    return found


@contextmanager
def build_lock(inputs_dir: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """One build at a time per workspace: a second one waits (after telling ``waiting``)."""
    lock = FileLock(str(inputs_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        waiting()
        lock.acquire()
    except OSError as error:
        raise RecordError(f"无法在 {inputs_dir} 中建立生成锁（{error}），请检查该文件夹的写入权限。") from None
    try:
        yield
    finally:
        lock.release()

