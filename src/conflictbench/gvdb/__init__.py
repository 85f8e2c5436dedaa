"""Importer of the Gun Violence Database (Pavlick et al., EMNLP 2016) split files as a
conflictbench corpus: ``conflictbench corpus import-gvdb FILE.tsv... --out DIR``."""

from __future__ import annotations

from .importer import GVDBReport, import_gvdb, read_gvdb

__all__ = ["GVDBReport", "import_gvdb", "read_gvdb"]
