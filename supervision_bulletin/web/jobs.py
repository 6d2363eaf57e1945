"""Builds started from the page: each runs in a worker thread, one at a time.

A job calls supervision_bulletin.build.build (or build_all for a whole year) exactly as
`bulletin build` does, with the warm inputs and renderers of the workspace,
and collects its progress messages for the page to poll. One build at a time:
a second job started from the page waits for the first, and any job waits for
the workspace's build lock (supervision_bulletin.record.build_lock), which a `bulletin
build` in a terminal holds too; the page says which it is waiting for.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from supervision_bulletin.build import BuildOptions, BuildResult, build, build_all, kind_name
from supervision_bulletin.periods import Period
from supervision_bulletin.problems import InputError, Problem
from supervision_bulletin.record import build_lock
from supervision_bulletin.web.workspace import Workspace

log = logging.getLogger(__name__)

QUEUED, WAITING, RUNNING, DONE, FAILED = "排队中", "等待中", "正在生成", "已完成", "未完成"
KEEP_JOBS = 30
WAIT_FOR_PAGE = "本页的另一次生成（{label}）正在进行，本次将在它完成后自动开始……"
WAIT_FOR_LOCK = (
    "同一工作区的另一次生成正在进行（可能是在命令行中运行的 bulletin build），"
    "本次将在它完成后自动开始……"
)


@dataclass
class Job:
    id: int
    label: str  # what is built, as shown: "2023-Q3", "2023-Q3 征求意见稿", "2023年全年"
    period: Period
    options: BuildOptions
    whole_year: bool = False
    state: str = QUEUED
    messages: list[str] = field(default_factory=list)
    waiting: str = ""  # why the job is waiting, while it is
    results: list[BuildResult] = field(default_factory=list)
    problems: tuple[Problem, ...] = ()
    error: str = ""
    total: int = 0  # cut-offs of a whole year, once known
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    @property
    def finished_ok(self) -> bool:
        return self.state == DONE

    @property
    def over(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def seconds(self) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or time.time()) - self.started

    def say(self, message: str) -> None:
        self.messages.append(message)
        if self.state == WAITING:  # the build has the lock now
            self.state, self.waiting = RUNNING, ""


class Builds:
    """The jobs of one workspace; ``gate`` lets one run at a time in this process."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.jobs: dict[int, Job] = {}
        self.gate = threading.Lock()
        self.current: Job | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        # What each output folder's last build here found against GB/T 9704, by folder name.
        self.findings: dict[str, tuple] = {}

    def start(self, period: Period, options: BuildOptions, whole_year: bool = False,
              run: Callable[[Job], None] | None = None) -> Job:
        if whole_year:
            label = f"{period.year}年全年"
        else:
            label = f"{period.label} {kind_name(period)}" + ("（征求意见稿）" if options.draft else "")
        with self._lock:
            job = Job(next(self._ids), label, period, options, whole_year)
            self.jobs[job.id] = job
            for old in sorted(self.jobs)[:-KEEP_JOBS]:
                if self.jobs[old].over:
                    del self.jobs[old]
        thread = threading.Thread(target=self._run, args=(job, run or self._build), daemon=True,
                                  name=f"build-{job.id}")
        thread.start()
        return job

    def wait_idle(self, seconds: float) -> bool:
        """Let a build under way finish (the server is stopping); whether none is left."""
        if not self.gate.acquire(timeout=seconds):
            return False
        self.gate.release()
        return True

    def get(self, job_id: int) -> Job | None:
        return self.jobs.get(job_id)

    def recent(self) -> list[Job]:
        return sorted(self.jobs.values(), key=lambda j: j.id, reverse=True)

    # the worker ---------------------------------------------------------------------

    def _run(self, job: Job, run: Callable[[Job], None]) -> None:
        if not self.gate.acquire(blocking=False):
            running = self.current
            job.state = WAITING
            job.waiting = WAIT_FOR_PAGE.format(label=running.label if running else "")
            self.gate.acquire()
        self.current = job
        try:
            # A build in a terminal holds the workspace's lock: wait for it here, so
            # that the inputs read next are those it leaves.
            with build_lock(self.workspace.inputs_dir, lambda: self._wait(job, WAIT_FOR_LOCK)):
                pass
            job.state, job.waiting, job.started = RUNNING, "", time.time()
            run(job)
            job.state = DONE
        except InputError as error:
            job.problems = tuple(error.problems)
            job.error = f"输入文件中有 {len(error.problems)} 处问题，未生成任何文件，已有的输出保持不变。"
            job.state = FAILED
        except (OSError, RuntimeError) as error:  # disk, fonts, record, GB/T 9704 (strict)
            job.error = f"生成失败：{error}"
            job.state = FAILED
        except Exception as error:  # never leave the page waiting on a job that died
            log.exception("build %s failed", job.label)
            job.error = f"生成失败（程序内部错误：{type(error).__name__}: {error}），已有的输出保持不变。"
            job.state = FAILED
        finally:
            job.finished = time.time()
            job.waiting = ""
            self.current = None
            self.gate.release()

    def _wait(self, job: Job, why: str) -> None:
        job.state, job.waiting = WAITING, why

    def _build(self, job: Job) -> None:
        workspace = self.workspace
        renderers = workspace.renderers()
        waiting = lambda: self._wait(job, WAIT_FOR_LOCK)  # noqa: E731
        if job.whole_year:
            def started(periods) -> None:
                job.total = len(periods)
                job.say(f"共 {len(periods)} 个截止点，按日期顺序生成……")

            def built(result: BuildResult) -> None:
                job.results.append(result)
                self.findings[result.folder.name] = result.findings
                job.say(f"已完成 {len(job.results)}/{job.total}：{result.folder.name}")

            build_all(workspace.inputs_dir, workspace.out_dir, job.period.year, job.options,
                      started=started, built=built, renderers=renderers, waiting=waiting)
            return
        inputs = workspace.inputs()
        result = build(workspace.inputs_dir, workspace.out_dir, job.period, job.options, progress=job.say,
                       renderers=renderers, inputs=inputs, waiting=waiting)
        job.results.append(result)
        self.findings[result.folder.name] = result.findings
        job.say(f"完成，用时 {job.seconds:.1f} 秒。")
