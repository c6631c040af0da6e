# Reads facts straight from a real fail2ban installation for the knowledge cross-check test.
# Usage: python3 probe.py <command> <json args>; prints JSON. Run with the PYTHONPATH of the fail2ban version.
import sys, json, re, os, ast, configparser, logging
logging.disable(logging.CRITICAL)


def _literal_assigns(path, cls, func=None):
    """Literal values assigned in class `cls` (or in its method `func`), in source order: [(name, value)]."""
    tree = ast.parse(open(path, encoding='utf-8').read())
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls)
    if func:
        node = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == func)
    out = []
    for n in ast.walk(node):
        if isinstance(n, ast.Assign) and len(n.targets) == 1:
            t = n.targets[0]
            name = t.id if isinstance(t, ast.Name) else t.attr if isinstance(t, ast.Attribute) else None
            try:
                out.append((name, ast.literal_eval(n.value)))
            except ValueError:
                pass
    return out


def _as_text(v):
    return None if v is None else ('true' if v is True else 'false' if v is False else str(v))


def reader_options(pkg):
    client = os.path.join(pkg, 'fail2ban', 'client')
    jail = dict(_literal_assigns(os.path.join(client, 'jailreader.py'), 'JailReader'))
    flt = dict(_literal_assigns(os.path.join(client, 'filterreader.py'), 'FilterReader'))
    opts = lambda d: {k: [t, _as_text(v)] for k, (t, v) in d.items()}
    early = [v for k, v in _literal_assigns(os.path.join(client, 'fail2banreader.py'), 'Fail2banReader', 'getEarlyOptions') if k == 'opts'][0]
    main = [v for k, v in _literal_assigns(os.path.join(client, 'fail2banreader.py'), 'Fail2banReader', 'getOptions') if k == 'opts']
    lst = lambda l: [[o[0], o[1], _as_text(o[2]) if len(o) > 2 else None] for o in l]
    backends = dict(_literal_assigns(os.path.join(pkg, 'fail2ban', 'server', 'jail.py'), 'Jail'))['_BACKENDS']
    return dict(configOpts1st=opts(jail['_configOpts1st']), configOpts=opts(jail['_configOpts']),
        filterOpts=opts(flt['_configOpts']), early=lst(early), main=lst(main[0]), thread=lst(main[1]),
        backends=list(backends))


def parser():
    # fail2ban's parser settings (configparserinc.py): ';' inline comments after whitespace, strict
    return configparser.RawConfigParser(inline_comment_prefixes=(';',), strict=True)


def parse_text(text):
    p = parser()
    p.read_string(text)
    return p


def sections_of(path):
    p = parser()
    p.read(path, encoding='utf-8')
    return p.sections()


def values_equal(a, b):
    """Same sections/options; values equal ignoring empty lines (every list consumer drops them)."""
    pa, pb = parse_text(a), parse_text(b)
    norm = lambda v: [l for l in v.split('\n') if l.strip()]
    if pa.sections() != pb.sections():
        return 'sections differ: %r vs %r' % (pa.sections(), pb.sections())
    if dict(pa.defaults()) .keys() != dict(pb.defaults()).keys():
        return 'DEFAULT keys differ'
    for k, v in pa.defaults().items():
        if norm(v) != norm(pb.defaults()[k]):
            return 'DEFAULT %s differs' % k
    for s in pa.sections():
        own_a = pa._sections[s]
        own_b = pb._sections[s]
        if own_a.keys() != own_b.keys():
            return '[%s] keys differ' % s
        for k in own_a:
            if norm(own_a[k]) != norm(own_b[k]):
                return '[%s] %s differs: %r vs %r' % (s, k, own_a[k], own_b[k])
    return None


def mode_probe(base, filters):
    """For each filter and candidate mode: does fail2ban resolve every <…-mode> tag of failregex/prefregex?"""
    from fail2ban.client.filterreader import FilterReader
    out = {}
    for name, modes in filters.items():
        res = {}
        for mode in modes:
            fr = FilterReader(name, 'probe', {'mode': mode}, basedir=base)
            fr.read(); fr.getOptions({})
            comb = fr.getCombined()
            text = (comb.get('failregex') or '') + '\n' + (comb.get('prefregex') or '')
            res[mode] = not re.search(r'<[\w.-]+-' + re.escape(mode) + r'>', text)
        out[name] = res
    return out


def action_init_keys(base, names):
    from fail2ban.client.configreader import ConfigReader
    out = {}
    for name in names:
        r = ConfigReader(basedir=base)
        r.read('action.d/' + name)
        out[name] = sorted(k for k in r._cfg.get_sections().get('Init', {}) if k != '__name__')
    return out


cmd, args = sys.argv[1], json.loads(sys.argv[2])
if cmd == 'reader-options':
    print(json.dumps(reader_options(args['pkg'])))
elif cmd == 'jail-sections':
    print(json.dumps(sections_of(args['path'])))
elif cmd == 'values-equal':
    print(json.dumps(values_equal(args['a'], args['b'])))
elif cmd == 'parse-sections':
    p = parse_text(args['text'])
    print(json.dumps(dict(sections=p.sections(), defaults=dict(p.defaults()),
        own={s: dict(p._sections[s]) for s in p.sections()})))
elif cmd == 'modes':
    print(json.dumps(mode_probe(args['base'], args['filters'])))
elif cmd == 'action-init-keys':
    print(json.dumps(action_init_keys(args['base'], args['names'])))
else:
    raise SystemExit('unknown command ' + cmd)
