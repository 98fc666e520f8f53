"""Every notebook runs headless in fast mode (RMC_FAST=1) and writes its figures; committed
notebooks carry no outputs and re-implement no formula."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"

#: notebook -> the figures it must write
FIGURES = {
    "01_recursion_trajectories.ipynb": ["fig2a_gaussian_trajectories.png",
                                        "fig2b_bernoulli_trajectories.png"],
    "02_bernoulli.ipynb": ["fig3_theorem1.png", "fig9_seddik.png"],
    "03_poisson.ipynb": ["fig4_theorem2.png"],
    "04_gaussian.ipynb": ["fig5_theorem3.png"],
    "05_unigram.ipynb": ["fig6_unigram.png", "fig7_zipf.png"],
    "06_gmm.ipynb": ["fig11_approximation.png", "fig12_ml_vs_approx.png",
                     "fig13_theorem4.png"],
}

#: notebooks that need a module written elsewhere; skipped (not failed) while it is missing
NEEDS = {"06_gmm.ipynb": "rmc_symbolic.mixture_ml",
         "04_gaussian.ipynb": "rmc_symbolic.cli.gaussian"}


def _present() -> list[str]:
    return sorted(p.name for p in NB_DIR.glob("*.ipynb"))


def test_every_notebook_is_listed():
    assert set(_present()) <= set(FIGURES), "add the new notebook and its figures to FIGURES"
    assert len(_present()) >= 4


@pytest.mark.parametrize("name", _present())
def test_notebook_is_stripped_and_formula_free(name):
    nb = json.loads((NB_DIR / name).read_text(encoding="utf-8"))
    code = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [], f"{name}: strip the outputs"
            assert cell.get("execution_count") is None, f"{name}: strip execution counts"
            code.append("".join(cell["source"]))
    text = "\n".join(code)
    # one formula, one place: a notebook draws what rmc computes; no math functions
    assert not re.search(r"\b(exp|expm1|log|log1p|gamma|lgamma|sqrt|binomial|comb)\(", text), \
        f"{name} computes a formula itself"
    assert "rmc_symbolic" in text


@pytest.mark.parametrize("name", _present())
def test_notebook_runs_in_fast_mode(name, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    monkeypatch.setenv("RMC_FAST", "1")
    monkeypatch.setenv("RMC_FIG_DIR", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("RMC_CORPUS", raising=False)
    nb = nbformat.read(NB_DIR / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     shutdown_kernel="immediate",
                                     resources={"metadata": {"path": str(NB_DIR)}})
    client.execute()
    for fig in FIGURES[name]:
        path = tmp_path / fig
        assert path.exists(), f"{name} did not write {fig}"
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 5000
    # nothing was written beside the notebooks
    assert not (NB_DIR / "figures").exists() or not any(
        (NB_DIR / "figures" / f).exists() and (NB_DIR / "figures" / f).stat().st_mtime >
        path.stat().st_mtime - 600 for f in FIGURES[name])
