"""Fixtures shared across the suite: renderers are set up once (fonts, templates, CSS)."""

import pytest

from pipeline.build import TEMPLATES
from pipeline.render import Renderers


@pytest.fixture(scope="session")
def renderers():
    return Renderers.load(TEMPLATES)


@pytest.fixture(scope="session")
def renderer(renderers):
    """The PDF renderer alone. A missing face fails loudly: scripts/setup.sh installs them."""
    return renderers.pdf
