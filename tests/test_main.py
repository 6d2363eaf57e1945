"""The ``bulletin`` entry point: the render server started first, for a build alone."""

from __future__ import annotations

import subprocess
import sys

from supervision_bulletin.__main__ import builds


def test_only_a_build_starts_the_render_server_before_the_command_line_is_read():
    assert builds(["build", "2023-Q3"])
    assert builds(["build", "2023", "--all", "--no-cache"])
    assert not builds(["build", "--help"]) and not builds(["build", "2023", "-h"])
    assert not builds(["check"]) and not builds([]) and not builds(["serve", "build"])


def test_python_m_supervision_bulletin_is_the_bulletin_command():
    done = subprocess.run([sys.executable, "-m", "supervision_bulletin", "build", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "生成一个截止月的主文及督办通知" in done.stdout
