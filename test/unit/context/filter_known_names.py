# Prints, as JSON, the `known/<x>` names fail2ban adds to an enabled jail for each filter.d/*.conf of the
# config tree argv[1]: what jailreader merges (FilterReader.getOptions(opts, all=True) + getCombined()).
# Run with the fail2ban package of the version under test on PYTHONPATH.
import glob, json, logging, os, sys
logging.disable(logging.CRITICAL)
from fail2ban.client.filterreader import FilterReader

base = sys.argv[1]
out = {}
for path in sorted(glob.glob(os.path.join(base, 'filter.d', '*.conf'))):
    name = os.path.basename(path)[:-5]
    reader = FilterReader(name, 'probe', {}, basedir=base)
    if not reader.read():
        continue
    reader.applyAutoOptions('auto')
    try:
        reader.getOptions({}, all=True)
    except Exception as e:  # include helpers such as selinux-common do not resolve on their own
        out[name] = None
        continue
    out[name] = sorted(set(reader._opts) | set(reader._initOpts or {}))
print(json.dumps(out))
