# Oracle for the context tests: lays files out in a temp fail2ban config dir and reads them with the
# REAL fail2ban 1.1.0 readers (ConfigReader.read = configparserinc includes + merge), then answers
# `get(section, option)` queries exactly as JailReader/Fail2banReader do (fail2ban_version and
# fail2ban_confpath merged into [DEFAULT] first for jail files).
# stdin: JSON list of {files: {relpath: text}, base: "jail"|"fail2ban", inject: bool, version?: str,
#        queries: [[sec, opt]]}  (version: the fail2ban_version to inject, default the package's own)
# stdout: JSON list of {sections: [...], results: [{value} | {missing: true} | {error, message}]}
import json
import os
import sys
import tempfile

from fail2ban.client.configreader import ConfigReader
from fail2ban.version import version
from configparser import NoOptionError, NoSectionError


def run_case(case):
    with tempfile.TemporaryDirectory() as basedir:
        for relpath, text in case["files"].items():
            path = os.path.join(basedir, relpath)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        reader = ConfigReader(basedir=basedir)
        try:
            reader.read(case["base"])
        except Exception as error:  # a file that does not parse: report it, no queries
            return {"readError": "%s: %s" % (type(error).__name__, error)}
        if case.get("inject"):
            reader.merge_defaults({"fail2ban_version": case.get("version", version), "fail2ban_confpath": "/etc/fail2ban"})
        results = []
        for section, option in case["queries"]:
            try:
                results.append({"value": reader.get(section, option)})
            except (NoSectionError, NoOptionError):
                results.append({"missing": True})
            except Exception as error:
                results.append({"error": type(error).__name__, "message": str(error)})
        return {"sections": list(reader.sections()), "results": results}


def main():
    cases = json.load(sys.stdin)
    json.dump([run_case(case) for case in cases], sys.stdout)


main()
