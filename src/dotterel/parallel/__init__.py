"""Coding at scale: a local process pool and a Dask engine, partitioned inputs, Parquet output.

- :class:`~dotterel.parallel.local.ParallelCoder`: a ``Coder`` that codes through
  N local processes, streaming, in input order (``dotterel code --workers N``).
- :func:`~dotterel.parallel.dask_engine.run_dask`: the same job on a
  dask.distributed cluster, partition by partition, each partition's output
  written atomically and recorded in a manifest (``--engine dask``).
- :class:`~dotterel.parallel.dataset.DatasetWriter`: a Parquet dataset
  partitioned by publication month (``--output-dir``).

See docs/scale.md.
"""

from __future__ import annotations

from .local import ParallelCoder, default_workers
from .progress import Tracker

__all__ = ["ParallelCoder", "Tracker", "default_workers"]
