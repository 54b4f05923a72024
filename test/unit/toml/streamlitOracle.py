"""Oracle for the differential test: what Streamlit's TOML parser (`toml` 0.10.2) makes of each file.

Reads file paths (one per line) on stdin and prints one JSON line per file:
{"ok": true, "value": <tagged>} or {"ok": false}. Files are read exactly as Streamlit reads
secrets.toml: `open(path, encoding="utf-8")` (universal newlines), then `toml.loads`.
Run with Debian's /usr/bin/python3 (package python3-toml).
"""
import datetime
import json
import math
import sys

import toml


def tag(v):
    if isinstance(v, bool):
        return {"type": "boolean", "value": v}
    if isinstance(v, int):
        return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"type": "float", "value": "nan"}
        if math.isinf(v):
            return {"type": "float", "value": "inf" if v > 0 else "-inf"}
        return {"type": "float", "value": repr(v)}
    if isinstance(v, str):
        return {"type": "string", "value": v}
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            # The offset as toml's TomlTz holds it: utcoffset() raises for offsets of a day or
            # more, which toml 0.10.2 (and so Streamlit) loads without complaint.
            tz = v.tzinfo
            if hasattr(tz, "_sign"):
                off = tz._sign * (tz._hours * 3600 + tz._minutes * 60)
            else:
                off = int(v.utcoffset().total_seconds())
            return {"type": "offset-datetime", "value": v.replace(tzinfo=None).isoformat(), "offset": off}
        return {"type": "local-datetime", "value": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"type": "local-date", "value": v.isoformat()}
    if isinstance(v, datetime.time):
        return {"type": "local-time", "value": v.isoformat()}
    if isinstance(v, list):
        return {"type": "array", "value": [tag(x) for x in v]}
    if isinstance(v, dict):
        return {"type": "table", "value": {k: tag(x) for k, x in v.items()}}
    return {"type": "unknown:" + type(v).__name__}


for line in sys.stdin:
    path = line.rstrip("\n")
    if not path:
        continue
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        out = {"ok": True, "value": tag(toml.loads(text))}
    except Exception as e:  # Streamlit treats any exception from the load as a failed load
        out = {"ok": False, "error": type(e).__name__}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
