# Reads each document with fail2ban 1.1.0's own parser, exactly as fail2ban reads one config file
# (SafeConfigParserWithIncludes().read(path, get_includes=False) → configparser.read(…, encoding='utf-8')),
# and prints what it stored plus the error it raised, as JSON.
#
# stdin:  JSON list of {"base64": "<file bytes>"}
# stdout: JSON list of {"defaults": [[name, value]], "sections": [[name, [[name, value]]]],
#                       "error": null | {"kind", "lines": [int], "message"}}
import base64
import configparser
import json
import os
import sys
import tempfile

from fail2ban.client.configparserinc import SafeConfigParserWithIncludes


def describe_error(error):
    if isinstance(error, configparser.MissingSectionHeaderError):
        return {"kind": "missing-section-header", "lines": [error.lineno], "message": str(error)}
    if isinstance(error, configparser.DuplicateSectionError):
        return {"kind": "duplicate-section", "lines": [error.lineno], "message": str(error)}
    if isinstance(error, configparser.DuplicateOptionError):
        return {"kind": "duplicate-option", "lines": [error.lineno], "message": str(error)}
    if isinstance(error, configparser.ParsingError):
        return {"kind": "parsing", "lines": [lineno for lineno, _ in error.errors], "message": str(error)}
    if isinstance(error, UnicodeDecodeError):
        return {"kind": "decode", "lines": [], "message": str(error)}
    return {"kind": "other:" + type(error).__name__, "lines": [], "message": str(error)}


def as_pairs(options):
    return [[name, value] for name, value in options.items() if name != "__name__"]


def read_one(path, data):
    with open(path, "wb") as handle:
        handle.write(data)
    parser = SafeConfigParserWithIncludes()
    error = None
    try:
        parser.read(path, get_includes=False)
    except Exception as caught:  # noqa: BLE001 - every failure is data for the comparison
        error = describe_error(caught)
    sections = [[name, as_pairs(options)] for name, options in parser.get_sections().items()]
    return {"defaults": as_pairs(parser.get_defaults()), "sections": sections, "error": error}


def main():
    documents = json.load(sys.stdin)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "user-jail.local")
        for document in documents:
            results.append(read_one(path, base64.b64decode(document["base64"])))
    json.dump(results, sys.stdout)


main()
