"""Test and benchmark sessions: `nox` runs the tests, `nox -s bench` the timings."""

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time the sample campaign's builds (one per kind of cycle), each document's rendering and a whole year (`--all`); figures, not pass/fail."""
    session.install("-e", ".")
    session.run("python", "scripts/bench.py", *session.posargs)
