"""The ``bulletin`` command (also ``python -m supervision_bulletin``).

A build's render server is started here, before the command line is imported:
it sets the renderers up on the other core while this process imports the
pipeline and checks the inputs, and so is ready about 0.1 s sooner than if the
build command started it (which it still does when called otherwise).
"""

from __future__ import annotations

import sys


def main() -> None:
    from supervision_bulletin.render.workers import start_render_server, stop_on_signals

    stop_on_signals()  # `kill` and a closed terminal stop a command as Ctrl-C does
    if builds(sys.argv[1:]):
        start_render_server()
    from supervision_bulletin.cli import main as command_line

    command_line()


def builds(arguments: list[str]) -> bool:
    """Whether the command line asks for a build (and not for its help)."""
    return arguments[:1] == ["build"] and not {"-h", "--help"} & set(arguments)


if __name__ == "__main__":
    main()
