"""A warning the package raises reads as a note in a notebook, not as Python output; other
libraries' warnings keep Python's display; outside a kernel nothing changes."""

from __future__ import annotations

import warnings

import nbformat
import pytest
from nbclient import NotebookClient

from bpo_analysis.core import notes


def test_outside_a_kernel_python_keeps_its_display():
    before = warnings.showwarning
    assert notes.install() is False
    assert warnings.showwarning is before


@pytest.mark.slow
def test_in_a_kernel_the_package_warning_is_a_note_and_no_stderr():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import warnings\n"
        "import bpo_analysis as bpo\n"
        "warnings.warn(bpo.DataWarning('/data/x.csv: 3 contacts <outside> the hours'))\n"
        "warnings.warn('a library of its own', RuntimeWarning)")]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    note = shown[0].data["text/html"]
    assert "Note: /data/x.csv: 3 contacts &lt;outside&gt; the hours" in note
    assert "DataWarning" not in note and "ipykernel" not in note
    stderr = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "RuntimeWarning: a library of its own" in stderr and "DataWarning" not in stderr
