"""An extractor *program* that does what each document's text tells it (for protocol tests).

A document's text is a JSON list of steps, run in order when the document is read:
``["answer"]`` (the right answer: one actor whose text is the document's id), ``["answer", ID]``
(an answer carrying id ID), ``["noid"]`` (an answer without an id), ``["print", TEXT]`` (a raw
line), ``["bytes", HEX]`` (raw bytes and a newline), ``["sleep", S]``, ``["crash", CODE]``,
``["log"]`` (append "pid id" to the file named by $HARNESS_LOG), ``["env", PREFIX]`` (answer
with the names of the environment variables starting with PREFIX as actor texts). A text that
is not such a list is answered normally. ``--sleep-first S`` sleeps before reading anything
(a model loading); ``--no-flush`` uses plain print() (buffered unless PYTHONUNBUFFERED is set);
``--spawn`` starts a grandchild ``sleep`` first and logs its pid.
"""

import json
import os
import subprocess
import sys
import time

args = sys.argv[1:]
out = sys.stdout.buffer


def emit(obj) -> None:
    if "--no-flush" in args:
        print(json.dumps(obj))
    else:
        out.write((json.dumps(obj) + "\n").encode())
        out.flush()


def log(text: str) -> None:
    with open(os.environ["HARNESS_LOG"], "a") as fh:
        fh.write(text + "\n")


if "--spawn" in args:
    child = subprocess.Popen(["sleep", "1000"])
    log(f"pid {os.getpid()}")
    log(f"grandchild {child.pid}")
if "--sleep-first" in args:
    time.sleep(float(args[args.index("--sleep-first") + 1]))

for line in sys.stdin:
    doc = json.loads(line)
    try:
        steps = json.loads(doc["text"])
        if not isinstance(steps, list):
            raise ValueError
    except ValueError:
        steps = [["answer"]]
    for step in steps:
        op = step[0]
        if op == "answer":
            emit({"id": step[1] if len(step) > 1 else doc["id"], "actors": [{"text": doc["id"]}]})
        elif op == "noid":
            emit({"actors": [{"text": doc["id"]}]})
        elif op == "print":
            out.write(step[1].encode("utf-8", "surrogatepass") + b"\n")
            out.flush()
        elif op == "bytes":
            out.write(bytes.fromhex(step[1]) + b"\n")
            out.flush()
        elif op == "sleep":
            time.sleep(step[1])
        elif op == "crash":
            sys.stdout.flush()
            os._exit(step[1])
        elif op == "log":
            log(f"{os.getpid()} {doc['id']}")
        elif op == "env":
            emit({"id": doc["id"], "actors": [{"text": k} for k in sorted(os.environ) if k.startswith(step[1])]})
