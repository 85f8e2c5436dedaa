"""The corpus in partitions: row ranges of its parquet files, planned from the files' metadata
on the client and read by whoever runs the partition (a worker reads only the row groups its
range covers; no document is shipped from the client)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..errors import DataError, ParameterError


@dataclass(frozen=True)
class Partition:
    """Rows ``[start, stop)`` of one parquet file of split ``split``; ``index``: its place in the
    selection (partitions are merged in this order)."""

    index: int
    split: str
    file: str
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


def plan_partitions(corpus_dir: str | Path, splits: Sequence[str], size: int) -> list[Partition]:
    """Partitions of at most ``size`` rows, in corpus order: split by split (in the order given),
    file by file, row by row. Only the files' metadata is read."""
    import pyarrow.parquet as pq

    from ..corpus import split_files

    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ParameterError(f"The 'partition_size' parameter must be a positive integer. Got {size!r} instead.")
    files = split_files(Path(corpus_dir).resolve())
    out: list[Partition] = []
    for split in splits:
        if split not in files:
            raise DataError(f"{corpus_dir}: no parquet file of split {split!r}")
        for f in files[split]:
            n = pq.ParquetFile(f).metadata.num_rows
            for a in range(0, n, size):
                out.append(Partition(len(out), split, str(f), a, min(n, a + size)))
    return out


def read_partition(part: Partition) -> list[dict[str, Any]]:
    """The partition's rows as documents (as :func:`conflictbench.corpus.load_corpus` reads them),
    reading only the row groups that hold them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(part.file)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{part.file}: cannot read the corpus file here ({exc})") from None
    meta = pf.metadata
    groups, first, row = [], None, 0
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        if row + n > part.start and row < part.stop:
            groups.append(g)
            first = row if first is None else first
        row += n
    if row < part.stop or not groups:
        raise DataError(f"{part.file}: has {row} rows; the partition wants rows {part.start}-{part.stop} "
                        "(the corpus changed since it was loaded?)")
    table = pf.read_row_groups(groups).slice(part.start - first, len(part))
    return table.to_pylist()
