"""Extractors defined for the harness tests (the real baselines live on the rules branch).

Each behaves in a known way, so the expected scores follow by hand from the gold.
"""

from __future__ import annotations

import re


class GoldCopy:
    """Returns the gold annotations of the corpus it was built with (an oracle)."""

    name = "test-oracle.v1"

    def __init__(self, corpus):
        self.by_id = corpus.by_id()

    def extract(self, document):
        assert "casualties" not in document  # the runner passes views, never the gold
        gold = self.by_id[document["id"]]
        return {"id": document["id"], **{f: gold[f] for f in ("casualties", "actors", "dates")}}


def oracle(corpus):
    """Test oracle: the gold annotations."""
    return GoldCopy(corpus)


class Empty:
    name = "test-empty.v1"

    def extract(self, document):
        return {"id": document["id"], "casualties": [], "actors": [], "dates": []}


def empty():
    """Test extractor predicting nothing."""
    return Empty()


class Flaky:
    """Fails in a different way on documents whose text contains a trigger word."""

    name = "test-flaky.v1"

    def extract(self, document):
        text = document["text"]
        if "BOOM" in text:
            raise RuntimeError("exploded on purpose")
        if "GARBAGE" in text:
            return {"id": document["id"], "casualties": [{"kind": "eaten", "qualifier": "exact", "count": 1}]}
        if "OTHERID" in text:
            return {"id": "someone-else"}
        return {"id": document["id"], "actors": [{"text": m.group(0), "start": m.start(), "end": m.end()}
                                                 for m in re.finditer(r"Russia|Moscow", text)]}


def flaky():
    return Flaky()


class Batched(Flaky):
    name = "test-batched.v1"
    batches = 0

    def extract_batch(self, documents):
        Batched.batches += 1
        for d in documents:
            yield self.extract(d)


def batched():
    return Batched()


class BrokenBatch(Empty):
    name = "test-broken-batch.v1"

    def extract_batch(self, documents):
        raise RuntimeError("batching is broken")


def broken_batch():
    return BrokenBatch()
