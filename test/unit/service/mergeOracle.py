"""Oracle for the merge differential test: Streamlit's own merge of several secrets files.

Reads a JSON list of cases on stdin, each a list of TOML texts (first to last file), and prints a
JSON list of results: for each case the merged mapping after `dict.update` per file, as Streamlit's
`Secrets._parse` does, with each scalar tagged by its Python type, or {"error": ...} when a file
fails to load. Run with Debian's /usr/bin/python3 (package python3-toml = toml 0.10.2).
"""
import json
import sys

import toml


def tag(value):
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": value}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, list):
        return {"list": [tag(item) for item in value]}
    if isinstance(value, dict):
        return {"dict": [[key, tag(item)] for key, item in value.items()]}
    return {"other": type(value).__name__}


results = []
for texts in json.load(sys.stdin):
    merged = {}
    try:
        for text in texts:
            merged.update(toml.loads(text))
        results.append(tag(merged))
    except Exception as error:  # Streamlit fails the whole load on any parse error
        results.append({"error": type(error).__name__})
json.dump(results, sys.stdout)
