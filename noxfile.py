"""Test and benchmark sessions: `nox` runs the lint and the tests, `nox -s bench` the timings,
`nox -s e2e` opens every generated Word file in LibreOffice."""

import shutil

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
LOCK = "requirements.lock"  # the versions the layout checks were measured with


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
    """Unused names, undefined names and import order (ruff)."""
    session.install("ruff")
    session.run("ruff", "check", "supervision_bulletin", "tests", "scripts", "noxfile.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the sample campaign's builds (one per kind of cycle), each document's rendering and a whole year (`--all`); figures, not pass/fail."""
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
