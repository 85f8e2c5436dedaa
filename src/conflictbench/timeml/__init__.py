"""TimeML (TimeBank, AQUAINT, TempEval-3) as a dates-only conflictbench corpus, and TempEval-3
timex scoring on ``.tml`` folders.

``conflictbench corpus import-timeml PATH... --out DIR`` (:func:`import_timeml`),
``conflictbench timeml score GOLD SYSTEM`` (:func:`score_folders`, the definitions in
:mod:`conflictbench.scoring.te3`), ``conflictbench timeml export`` (:func:`export_predictions`).
"""

from __future__ import annotations

from .importer import TimeMLReport, import_timeml, read_timeml
from .reader import TimeMLError, read_tml

__all__ = ["TimeMLError", "TimeMLReport", "import_timeml", "read_timeml", "read_tml"]
