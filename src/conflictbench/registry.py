"""The registries for pluggable parts, by versioned name (spaCy/catalogue style): only the
catalogue objects live here, so every layer can import this module without a circle.

* ``extractors``: name (``"rules.v1"``) → factory returning an extractor
  (:class:`~conflictbench.extractors.base.Extractor`). Third-party packages register theirs
  through the entry-point group ``conflictbench_extractors`` (``name = "package.module:factory"``).
* ``matchers``: name → :class:`~conflictbench.scoring.matchers.Matcher` (entry-point group
  ``conflictbench_matchers``).

The built-in extractors are registered by
:func:`conflictbench.registrations.populate_registry`, which also holds the look-ups
(``get_extractor``, ``extractor_names``); the built-in matchers register themselves when
:mod:`conflictbench.scoring.matchers` is imported.
"""

from __future__ import annotations

import catalogue

extractors = catalogue.create("conflictbench", "extractors", entry_points=True)
matchers = catalogue.create("conflictbench", "matchers", entry_points=True)
