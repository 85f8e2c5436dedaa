"""conflictbench: a gold corpus of conflict news and a scorer for casualty, actor and date extraction.

Importing the package is cheap: nothing heavy (datasets, spaCy, scipy) is imported here.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
