"""The line-breaking rules of Chinese text (禁则, GB/T 15834-2011) that the renderers keep."""

from __future__ import annotations

# Never at the start of a line / never at its end.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}>")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{<")
