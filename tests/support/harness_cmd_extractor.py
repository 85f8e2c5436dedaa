"""An extractor *program* for the --extractor-cmd tests: document JSONL in, prediction JSONL out.

Behaviour by trigger word in the text: SLEEP → hangs; CRASH → exits 3; GARBAGE → prints a
line that is not JSON; OTHERID → a prediction for another id; otherwise the actors
"Russia"/"Moscow" with offsets.
"""

import json
import re
import sys
import time

for line in sys.stdin:
    doc = json.loads(line)
    text = doc["text"]
    if "casualties" in doc:
        print("gold leaked to the extractor", file=sys.stderr)
        sys.exit(9)
    if "SLEEP" in text:
        time.sleep(60)
    if "CRASH" in text:
        print("crashing on purpose", file=sys.stderr)
        sys.exit(3)
    if "GARBAGE" in text:
        print("this is not json", flush=True)
        continue
    doc_id = "someone-else" if "OTHERID" in text else doc["id"]
    actors = [{"text": m.group(0), "start": m.start(), "end": m.end()} for m in re.finditer(r"Russia|Moscow", text)]
    print(json.dumps({"id": doc_id, "actors": actors}), flush=True)
