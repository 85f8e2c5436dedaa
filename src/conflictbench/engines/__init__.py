"""Engines: where a system runs over the documents and is scored.

* ``local`` (the default) — in this process, the whole selection as one batch
  (:func:`conflictbench.evaluation.systems.score_system`);
* ``dask`` — :class:`.dask.DaskEngine`: one task per partition of the corpus files on a
  ``distributed`` cluster (a local one of N worker processes, or an existing one).

Both compute :class:`.batch.ScoredBatch` objects with the same code (:func:`.batch.score_batch`);
batches merge exactly, so both engines give the same scores.
"""

ENGINES = ("local", "dask")

__all__ = ["ENGINES"]
