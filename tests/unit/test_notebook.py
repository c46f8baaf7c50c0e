"""The shipped notebook runs top to bottom against a demo database."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lib import demo, startup
from tests.conftest import ROOT


def test_dropout_notebook_runs_against_the_demo(tmp_path, monkeypatch):
    path = tmp_path / "notebook_demo.duckdb"
    con = startup.open_database(path)
    demo.load_demo(con)
    con.close()
    monkeypatch.setenv("MENTORING_DB", str(path))
    notebook = nbformat.read(ROOT / "notebooks" / "dropout_analysis.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(Path(ROOT) / "notebooks")}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("time commitment" in str(o.get("data", {}).get("text/plain", "")) for o in outputs)
