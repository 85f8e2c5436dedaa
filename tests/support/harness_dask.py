"""Extractors for the Dask engine tests: one that cannot be built, one that kills its own worker."""

from __future__ import annotations

import os
import signal

ARMED = "KILL-ARMED"  # in the corpus folder: the next process to reach KILL_AT removes it and dies
KILLED = "KILLED-PID"
KILL_AT = "c-garbage"


def broken():
    """Fails to build (wherever it is built)."""
    raise RuntimeError("no model here")


class KillOnce:
    """rules.v1, except that the first process to reach document KILL_AT while the corpus
    folder holds ARMED kills itself with SIGKILL (a worker dying mid-run)."""

    name = "kill-once.v1"

    def __init__(self, corpus):
        from conflictbench.extractors.rules.extractor import make_rules_extractor

        self.rules = make_rules_extractor(corpus=corpus)
        self.folder = corpus.path

    def extract(self, document):
        if document["id"] == KILL_AT:
            try:
                os.rename(self.folder / ARMED, self.folder / KILLED)  # only one process wins
            except FileNotFoundError:
                pass
            else:
                (self.folder / KILLED).write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
        return self.rules.extract(document)


def kill_once(*, corpus):
    return KillOnce(corpus)
