"""numpy kept from openpyxl: each case in a new interpreter, where nothing has imported either yet."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_openpyxl_is_imported_without_numpy_and_still_writes_and_reads_a_workbook(tmp_path):
    out = run_python(f"""
        import sys
        from supervision_bulletin.imports import keep_numpy_from_openpyxl
        keep_numpy_from_openpyxl()
        import openpyxl
        from openpyxl.compat.numbers import NUMPY
        book = openpyxl.Workbook()
        book.active.append([1, 2.5, "完成值"])
        book.save({str(tmp_path / "a.xlsx")!r})
        row = next(openpyxl.load_workbook({str(tmp_path / "a.xlsx")!r}).active.iter_rows(values_only=True))
        print(NUMPY, "numpy" in sys.modules, row)
    """)
    assert out == "False False (1, 2.5, '完成值')"


def test_numpy_is_found_as_usual_by_anyone_else_before_or_after_openpyxl():
    after = run_python("""
        from supervision_bulletin.imports import keep_numpy_from_openpyxl
        keep_numpy_from_openpyxl()
        keep_numpy_from_openpyxl()  # once is enough; twice installs no second finder
        import sys, openpyxl, numpy
        from supervision_bulletin.imports import NumpyKeptFromOpenpyxl
        print(int(numpy.arange(3).sum()), sum(isinstance(f, NumpyKeptFromOpenpyxl) for f in sys.meta_path))
    """)
    assert after == "3 1"
    before = run_python("""
        from supervision_bulletin.imports import keep_numpy_from_openpyxl
        keep_numpy_from_openpyxl()
        import numpy, openpyxl
        from openpyxl.compat.numbers import NUMPY
        print(NUMPY)
    """)
    assert before == "True"  # numpy was there already: openpyxl may as well know its types


def test_bulletin_check_reads_the_sample_without_importing_numpy():
    out = run_python("""
        import sys
        from supervision_bulletin.cli import main
        from supervision_bulletin.resources import SAMPLE_CAMPAIGN
        try:
            main(["check", "--inputs", str(SAMPLE_CAMPAIGN)])
        except SystemExit as end:
            print("exit", end.code)
        print("openpyxl" in sys.modules, "numpy" in sys.modules)
    """)
    assert out.endswith("exit 0\nTrue False"), out


def test_the_renderers_fingerprint_is_read_without_importing_python_docx_or_weasyprint():
    out = run_python("""
        import sys
        from supervision_bulletin.render import Renderers
        from supervision_bulletin.resources import TEMPLATES
        print(len(Renderers.from_server(TEMPLATES).fingerprint()), "docx" in sys.modules, "weasyprint" in sys.modules)
    """)
    assert out == "64 False False"
