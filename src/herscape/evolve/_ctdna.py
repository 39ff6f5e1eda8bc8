"""ctDNA of one clone: genome equivalents in plasma and what a blood draw samples of them.

>>> round(plasma_genomes(1e10, b=0.14, d=0.136))
5721

Shedding by dying (``q_d``) and dividing (``q_b``) cells, first-order clearance ``eps = ln 2 /
half-life``; the plasma level follows the clone at quasi-steady state,
``N (d q_d + b q_b) / (r + eps)`` (Avanzini et al. 2020). A draw of ``draw_ml`` of the
``plasma_ml`` holds a Poisson number of those genomes. The simulator uses the same kernel.
"""

from __future__ import annotations

import numpy as np

from herscape._config import DEFAULT_SEED
from herscape.evolve import _kernel
from herscape.evolve._params import CtdnaParams, default_ctdna

__all__ = ["plasma_genomes", "sample_draws"]


def plasma_genomes(cells: float, *, b: float, d: float, params: CtdnaParams | None = None) -> float:
    """Mean tumour haploid genome equivalents in the whole plasma for a clone of ``cells``."""
    p = params or default_ctdna()
    n = np.array([[float(cells)]])
    return float(_kernel._genomes(n, np.array([b]), np.array([d]), p.as_array())[0])


def sample_draws(cells: float, *, b: float, d: float, draws: int, params: CtdnaParams | None = None,
                 seed: int = DEFAULT_SEED) -> np.ndarray:
    """Tumour genome equivalents found in each of ``draws`` blood draws (Poisson sampling)."""
    p = params or default_ctdna()
    mean = plasma_genomes(cells, b=b, d=d, params=p) * p.draw_ml / p.plasma_ml
    return np.random.default_rng(seed).poisson(mean, size=draws)
