"""Fixtures shared across the suite: renderers are set up once (fonts, templates, CSS)."""

import pytest

from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import TEMPLATES


@pytest.fixture(scope="session")
def renderers():
    return Renderers.load(TEMPLATES)


@pytest.fixture(scope="session")
def renderer(renderers):
    """The PDF renderer alone. A missing face fails loudly: scripts/setup.sh installs them."""
    return renderers.pdf
