"""Preloaded after render.server by a long-lived process's render server (`bulletin
serve`): one small document of each layout made and thrown away, so that every
worker forked from the server starts warm (render.produce.warm_up).

Not for a single build: there the server is needed as soon as the inputs are
checked, and the workers' first documents pay less than the warm-up would delay them.
"""

from __future__ import annotations

import gc

from supervision_bulletin.render import server
from supervision_bulletin.render.produce import warm_up

for _renderers, _ in server.ready():
    gc.unfreeze()  # what the warm-up leaves is frozen again with the rest
    warm_up(_renderers)
    gc.freeze()
