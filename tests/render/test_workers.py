"""Ctrl-C and the processes a build starts: held while workers start, ignored by them."""

from __future__ import annotations

import signal

import pytest

from supervision_bulletin.render.workers import interrupts_held, interrupts_ignored


def test_a_ctrl_c_while_the_workers_start_is_held_until_they_have():
    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            signal.raise_signal(signal.SIGINT)
            done.append("the rest of the block")
    assert done == ["the rest of the block"]
    with interrupts_held():
        done.append("nothing held")
    assert done[-1] == "nothing held"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_processes_started_while_ctrl_c_is_ignored_inherit_that_and_the_build_does_not():
    with interrupts_ignored():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)  # nothing happens
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
