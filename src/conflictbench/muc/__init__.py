"""Importer of the public MUC-3/4 distribution (DARPA/NRaD 1991-92) as a conflictbench corpus.

``conflictbench corpus import-muc4 PATH/TO/muc34.tar.gz --out DIR``; library entry points
:func:`read_muc4` and :func:`import_muc4` (imported lazily: ``datasets`` is needed only to
write).
"""

from __future__ import annotations

from .importer import ImportReport, import_muc4, read_muc4

__all__ = ["ImportReport", "import_muc4", "read_muc4"]
