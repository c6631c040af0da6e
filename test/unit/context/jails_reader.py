# Oracle for whole-jail reads: the REAL fail2ban 1.1.0 JailsReader.getOptions() (every jail's
# enabled/backend/filter, then the filter file, then all options of enabled jails) on a temp config dir
# holding the given files plus the stock filter.d/ and action.d/ of the 1.1.0 package.
# argv[1]: the stock config dir (filter.d/ and action.d/ are copied from it)
# stdin: JSON list of {files: {relpath: text}, version: str, options: [names]}
# stdout: JSON list of {error: str} | {jails: {name: {option: str} | {"config-error": str}}}
import json
import os
import shutil
import sys
import tempfile

from fail2ban.client.jailsreader import JailsReader

STOCK = sys.argv[1]


def run_case(case):
    with tempfile.TemporaryDirectory() as basedir:
        for sub in ("filter.d", "action.d"):
            shutil.copytree(os.path.join(STOCK, sub), os.path.join(basedir, sub))
        for relpath, text in case["files"].items():
            path = os.path.join(basedir, relpath)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        reader = JailsReader(basedir=basedir, share_config={})
        reader.read()
        try:
            reader.getOptions()
        except Exception as error:
            return {"error": str(error)}
        jails = {}
        for jail in reader.jails:
            options = jail.options
            if options.get("config-error"):
                jails[jail.getName()] = {"config-error": options["config-error"]}
                continue
            jails[jail.getName()] = {
                name: str(options[name]).replace(basedir, "/etc/fail2ban")
                for name in case["options"] if name in options and options[name] is not None
            }
        return {"jails": jails}


json.dump([run_case(case) for case in json.load(sys.stdin)], sys.stdout)
