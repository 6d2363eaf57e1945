"""Test and benchmark sessions: `nox` runs the lint, the type check and the tests, `nox -s bench` the timings,
`nox -s e2e` opens every generated Word file in LibreOffice."""

import shutil

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
LOCK = "requirements.lock"  # the versions the layout checks were measured with
# The checker and the stubs of the libraries that ship none, at least the versions
# the code was checked with (newer stubs may find more). Not in the lock: only this
# session needs them.
TYPECHECK = (
    "mypy>=2.4", "types-PyYAML>=6.0.12.20261122", "types-openpyxl>=3.1.5.20261017",
    "types-xlrd>=2.0.0.20260518", "types-lxml>=2026.2.16",
)


def install_locked(session: nox.Session) -> None:
    """The locked, hashed dependencies, then the project on top of them."""
    session.install("--require-hashes", "-r", LOCK)
    session.install("--no-deps", "-e", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    install_locked(session)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff with the rules of pyproject.toml: pyflakes, import order, pycodestyle, bugbear and the others."""
    session.install("ruff>=0.17")
    session.run("ruff", "check", "supervision_bulletin", "tests", "scripts", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on the package (pyproject.toml's [tool.mypy]), against the locked libraries."""
    install_locked(session)
    session.install(*TYPECHECK)
    session.run("mypy", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The speed and memory goals, each a ratio of two figures measured side by side in one run
    (scripts/bench.py): printed with whether it is met; the session itself passes either way."""
    install_locked(session)
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """LibreOffice (headless) opens every Word file of the sample campaign: opens without
    error, page count within one of our PDF, red header on page 1, no substituted faces.
    The PNG of each page 1 and a report go to outputs/e2e/ (or --out)."""
    if shutil.which("soffice") is None:
        session.error("LibreOffice 未安装：apt-get install --no-install-recommends libreoffice-writer-nogui")
    install_locked(session)
    session.run("python", "scripts/e2e.py", *session.posargs)
