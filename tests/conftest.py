"""Fixtures shared across the suite: renderers are set up once (fonts, templates, CSS)."""

import os
import shutil
import tempfile

import pytest

from supervision_bulletin.memo import CACHE_VARIABLE
from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import TEMPLATES


def pytest_configure(config):
    # The suite's own cache of rendered documents, never the user's: shared by the
    # tests of one run (their builds of the same content are reused) and removed after.
    folder = tempfile.mkdtemp(prefix="bulletin-test-cache-")
    config.stash[CACHE_KEY] = (folder, os.environ.get(CACHE_VARIABLE))
    os.environ[CACHE_VARIABLE] = folder


def pytest_unconfigure(config):
    folder, before = config.stash[CACHE_KEY]
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = before


CACHE_KEY = pytest.StashKey[tuple]()


@pytest.fixture(scope="session")
def renderers():
    return Renderers.load(TEMPLATES)


@pytest.fixture(scope="session")
def renderer(renderers):
    """The PDF renderer alone. A missing face fails loudly: scripts/setup.sh installs them."""
    return renderers.pdf
