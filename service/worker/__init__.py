"""Extraction workers: one article at a time per process; parallelism is more processes.

So numpy's BLAS gets one thread per worker process. Its own threads make one process ~5 %
faster but spin on the cores the other workers need: on 2 cores, two workers with default
OpenBLAS threading processed fewer articles per second than one. Set before numpy loads
(``newsmeta worker`` imports this package first); a value already in the environment wins.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
