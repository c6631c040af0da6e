# Differential-test oracle: answers batched questions with the REAL fail2ban 1.1.0 code and the
# real Python 3.11 `re`/`codecs`. Reads one JSON request per line on stdin, writes one JSON answer
# per line on stdout (same order). Run with PYTHONPATH pointing at fail2ban 1.1.0's dist-packages.
import codecs
import json
import re
import sys
import warnings

warnings.simplefilter('ignore')

from fail2ban import helpers
from fail2ban.server.mytime import MyTime
from fail2ban.server.ipdns import IPAddr
from fail2ban.server import failregex as fr
from fail2ban.server.strptime import validateTimeZone


def exc(e):
    return {'ok': False, 'type': type(e).__name__, 'message': str(e)}


def number_kind(v):
    if isinstance(v, bool):
        return 'bool'
    if isinstance(v, int):
        return 'int'
    if isinstance(v, float):
        return 'float'
    return 'other'


def q_re(r):
    try:
        p = re.compile(r['pattern'])
        return {'ok': True, 'groups': p.groups, 'names': sorted(p.groupindex)}
    except Exception as e:  # re.error, OverflowError, ValueError, RecursionError
        return exc(e)


def q_str2sec(r):
    try:
        v = MyTime.str2seconds(r['value'])
    except BaseException as e:
        return exc(e)
    kind = number_kind(v)
    out = {'ok': True, 'kind': kind, 'pytype': type(v).__name__}
    if kind in ('int', 'bool'):
        out['value'] = str(int(v))
    elif kind == 'float':
        out['value'] = repr(v)
    return out


def q_ipaddr(r):
    try:
        ip = IPAddr(r['value'])
    except BaseException as e:
        return exc(e)
    fam = {2: 'inet4', 10: 'inet6'}.get(ip.family, 'raw')
    return {'ok': True, 'family': fam, 'plen': ip.plen, 'str': str(ip), 'isSingle': ip.isSingle}


def q_splitwords(r):
    return {'ok': True, 'words': helpers.splitwords(r['value'])}


def q_extract(r):
    try:
        name, opts = helpers.extractOptions(r['value'])
        return {'ok': True, 'name': name, 'opts': [[k, v] for k, v in opts.items()]}
    except BaseException as e:
        return exc(e)


def q_split(r):
    return {'ok': True, 'parts': helpers.splitWithOptions(r['value'])}


def q_failregex(r):
    usedns = r.get('usedns', 'warn')
    expanded = fr.Regex._resolveHostTag(r['regex'], useDns=usedns)
    try:
        pref = fr.Regex(r['prefregex'], useDns=usedns) if r.get('prefregex') else None
        if r.get('kind') == 'ignore':
            fr.Regex(r['regex'], useDns=usedns)
        else:
            fr.FailRegex(r['regex'], prefRegex=pref, multiline=r.get('multiline', False), useDns=usedns)
        return {'ok': True, 'expanded': expanded}
    except BaseException as e:
        out = exc(e)
        out['expanded'] = expanded
        return out


def q_int(r):
    try:
        return {'ok': True, 'value': str(int(r['value']))}
    except BaseException as e:
        return exc(e)


def q_tz(r):
    try:
        return {'ok': True, 'value': validateTimeZone(r['value'])}
    except BaseException as e:
        return exc(e)


def q_codec(r):
    try:
        return {'ok': True, 'name': codecs.lookup(r['value']).name}
    except BaseException as e:
        return exc(e)


def q_loglevel(r):
    try:
        v = helpers.str2LogLevel(r['value'])
        return {'ok': True, 'isint': isinstance(v, int), 'value': v if isinstance(v, int) else repr(v)}
    except BaseException as e:
        return exc(e)


def q_compile(r):
    try:
        compile(r['value'], '~inline-conf-expr~', 'eval')
        return {'ok': True}
    except BaseException as e:
        return exc(e)


def q_asbool(r):
    return {'ok': True, 'value': helpers._as_bool(r['value'])}


HANDLERS = {
    're': q_re, 'str2sec': q_str2sec, 'ipaddr': q_ipaddr, 'splitwords': q_splitwords,
    'extract': q_extract, 'split': q_split, 'failregex': q_failregex, 'int': q_int, 'tz': q_tz,
    'codec': q_codec, 'loglevel': q_loglevel, 'compile': q_compile, 'asbool': q_asbool,
}

for line in sys.stdin:
    req = json.loads(line)
    try:
        ans = HANDLERS[req['q']](req)
    except BaseException as e:  # the oracle itself must never die mid-batch
        ans = {'ok': False, 'type': 'OracleError:' + type(e).__name__, 'message': str(e)}
    sys.stdout.write(json.dumps(ans) + '\n')
