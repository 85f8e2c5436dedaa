"""The static leaderboard site (``conflictbench site``), a renderer over result folders.

* :mod:`.inputs` — reading and checking a result folder (``SITE.md``);
* :mod:`.stats` — ranks, Holm–Bonferroni, significance groups against the best;
* :mod:`.svg` — the precision–recall chart and the interval bars;
* :mod:`.layout` — the page shell, styles and the small script;
* :mod:`.leaderboard`, :mod:`.cards`, :mod:`.browse` — the pages; :mod:`.build` — all of it.
"""

from .build import SiteSummary, build_site

__all__ = ["SiteSummary", "build_site"]
