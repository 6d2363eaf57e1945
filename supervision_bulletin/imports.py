"""What a command imports that it never uses, kept out.

openpyxl imports numpy, when it is installed, only to accept numpy's number
types as cell values. No workbook here holds one, and numpy is installed for
the charts alone, which are drawn in a process of their own; yet its import
cost every command that reads a workbook about 0.1 s and 11 MB.
"""

from __future__ import annotations

import importlib.abc
import sys

OPENPYXL_NUMBERS = "openpyxl.compat.numbers"


class NumpyKeptFromOpenpyxl(importlib.abc.MetaPathFinder):
    """Answers openpyxl's own ``import numpy`` as if numpy were not installed, and
    no other: openpyxl's numbers module is being executed (in sys.modules without
    its NUMPY flag yet) only during that import. A later ``import numpy`` from
    anywhere else, matplotlib's included, finds numpy as usual."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "numpy":
            numbers = sys.modules.get(OPENPYXL_NUMBERS)
            if numbers is not None and not hasattr(numbers, "NUMPY"):
                raise ModuleNotFoundError("numpy is not imported for openpyxl", name=name)
        return None


def keep_numpy_from_openpyxl() -> None:
    """Install the finder, once per process; costless until openpyxl is imported."""
    if not any(isinstance(finder, NumpyKeptFromOpenpyxl) for finder in sys.meta_path):
        sys.meta_path.insert(0, NumpyKeptFromOpenpyxl())
