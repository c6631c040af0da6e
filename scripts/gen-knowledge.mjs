// Generates server/src/knowledge/generated/*.ts from the real fail2ban config trees:
//   1.1.1: .cache/fail2ban-1.1.1/etc/fail2ban (Debian unstable package, adjusted back to upstream, see below)
//   1.1.0: .cache/fail2ban-1.1.0/etc/fail2ban (Debian 13 package, adjusted back to upstream, see below)
//   1.0.2: /etc/fail2ban (Debian 12 package = DMS v14; same config as upstream 1.0.2)
// Facts are read with fail2ban's own Python reader classes (run with /usr/bin/python3), so
// includes, [Init?family=…] folding and <tag> substitution are exactly fail2ban's.
// Usage: node scripts/gen-knowledge.mjs            (write the files)
//        node scripts/gen-knowledge.mjs --check    (exit 1 if the committed files are stale)
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, symlinkSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ensureSystemDeps, FAIL2BAN_110_DIR, FAIL2BAN_111_DIR } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'server', 'src', 'knowledge', 'generated');

export const SOURCES = [
  {
    version: '1.0.2',
    configDir: '/etc/fail2ban',
    pythonPath: '/usr/lib/python3/dist-packages',
    label: "Debian 12 package fail2ban 1.0.2 (/etc/fail2ban)",
  },
  {
    version: '1.1.0',
    configDir: join(FAIL2BAN_110_DIR, 'etc', 'fail2ban'),
    pythonPath: join(FAIL2BAN_110_DIR, 'usr', 'lib', 'python3', 'dist-packages'),
    label: 'Debian 13 package fail2ban 1.1.0 (.cache/fail2ban-1.1.0/etc/fail2ban), Debian patches removed',
  },
  {
    version: '1.1.1',
    configDir: join(FAIL2BAN_111_DIR, 'etc', 'fail2ban'),
    pythonPath: join(FAIL2BAN_111_DIR, 'usr', 'lib', 'python3', 'dist-packages'),
    label: 'Debian unstable package fail2ban 1.1.1 (.cache/fail2ban-1.1.1/etc/fail2ban), Debian patches removed',
  },
];

// Debian packaging changes that the upstream .deb DMS installs does not have (scripts/debian-patches.json,
// shared with the test trees). Each is undone before reading; one that is not found exactly once stops the
// generator, so a new package cannot slip through unnoticed.
const DEBIAN_PATCHES = JSON.parse(readFileSync(join(root, 'scripts', 'debian-patches.json'), 'utf8')).patches;
// Files of the stock jail/server chain that DMS reads (jail.d/defaults-debian.conf is Debian
// packaging: DMS v11–v14 deleted it and the upstream .deb of v15 does not ship it).
const STOCK_FILES = ['jail.conf', 'paths-common.conf', 'paths-debian.conf', 'fail2ban.conf'];

export function applyDebianPatches(version, file, text) {
  let out = text;
  for (const patch of DEBIAN_PATCHES.filter((p) => p.version === version && p.file === file)) {
    const count = out.split(patch.find).length - 1;
    if (count !== 1) throw new Error(`Debian change to ${file} (${version}) found ${count} times, expected once: ${patch.why}`);
    out = out.replace(patch.find, () => patch.replace);
  }
  return out;
}

/** Drops full-line comments and blank lines; configparser ignores both (values keep their meaning). */
export function stripConfigText(text) {
  return text
    .split(/\r?\n/)
    .filter((line) => {
      const s = line.trim();
      return s !== '' && !s.startsWith('#') && !s.startsWith(';');
    })
    .join('\n') + '\n';
}

/** A config tree equal to what DMS's fail2ban reads: adjusted stock files, stock filter.d/action.d, no jail.d. */
export function buildUpstreamTree(source) {
  const dir = mkdtempSync(join(tmpdir(), `f2b-knowledge-${source.version}-`));
  const texts = {};
  for (const file of STOCK_FILES) {
    const text = applyDebianPatches(source.version, file, readFileSync(join(source.configDir, file), 'utf8'));
    writeFileSync(join(dir, file), text);
    texts[file] = text;
  }
  for (const sub of ['filter.d', 'action.d']) symlinkSync(join(source.configDir, sub), join(dir, sub));
  mkdirSync(join(dir, 'jail.d'));
  mkdirSync(join(dir, 'fail2ban.d'));
  return { dir, texts };
}

const EXTRACT_PY = String.raw`
import sys, os, json, re, glob, ast, logging
logging.disable(logging.CRITICAL)
from fail2ban.client.configreader import ConfigReader
from fail2ban.client.filterreader import FilterReader

base, version = sys.argv[1], sys.argv[2]
FAILURE_ID = re.compile(r'<(?:HOST|ADDR|IP4|IP6|DNS|SUBNET|F-ID|F-MLFID)>')

def read(name):
    r = ConfigReader(basedir=base)
    r.read(name)
    return r

def own(r, sec):
    if not r.has_section(sec): return {}
    return {k: v for k, v in r._cfg.get_sections()[sec].items() if k != '__name__'}

def description(path):
    lines = []
    for line in open(path, encoding='utf-8'):
        s = line.strip()
        if s.startswith('['): break
        if not s.startswith('#'):
            if lines: break
            continue
        lines.append(line.rstrip('\n'))
    paras, cur, skip_cont = [], [], False
    for raw in lines:
        text = raw.lstrip('#')
        s = text.strip()
        if not s or re.fullmatch(r'[-=#*_ ]*', s):
            if cur: paras.append(' '.join(cur)); cur = []
            skip_cont = False
            continue
        indented = (len(text) - len(text.lstrip())) > 2 or text.startswith('\t')
        if re.match(r'(?i)(authors?|modified|edited|contributed|copyright|created|\$revision|version|date|reference|ref|source|important|https?:)\b', s) or (skip_cont and indented):
            skip_cont = True
            if cur: paras.append(' '.join(cur)); cur = []
            continue
        skip_cont = False
        if re.fullmatch(r'(?i)fail2ban (configuration|action configuration|filter configuration) file\.?', s):
            continue
        cur.append(s)
    if cur: paras.append(' '.join(cur))
    return paras[0] if paras else ''

def includes(r):
    inc = own(r, 'INCLUDES')
    return {k: [x.strip() for x in v.split('\n') if x.strip()] for k, v in inc.items() if k in ('before', 'after')}

def mode_info(defn, init):
    allopts = dict(defn); allopts.update(init)
    values = '\n'.join(allopts.values())
    # a mode is valid when every '<prefix-<mode>>' tag of the filter has a 'prefix-<mode>' key
    prefixes = set(re.findall(r'<([\w.-]+?)-<mode>>', values))
    modes = None
    for prefix in sorted(prefixes):
        pat = re.compile('^' + re.escape(prefix) + r'-(\w+)$')
        found = {m.group(1) for k in allopts for m in [pat.match(k)] if m}
        modes = found if modes is None else (modes & found)
    return (sorted(modes) if modes is not None else None), ('<mode>' in values)

def filters():
    out = []
    for path in sorted(glob.glob(os.path.join(base, 'filter.d', '*.conf'))):
        name = os.path.basename(path)[:-5]
        r = read('filter.d/' + name)
        defn, init = own(r, 'Definition'), own(r, 'Init')
        modes, uses_mode = mode_info(defn, init)
        try:
            fr = FilterReader(name, 'probe', {}, basedir=base)
            fr.read(); fr.getOptions({})
            comb = fr.getCombined()
        except Exception:
            # include-only helpers (e.g. selinux-common) do not resolve on their own
            comb = {'failregex': defn.get('failregex', ''), 'prefregex': defn.get('prefregex', '')}
        out.append(dict(
            name=name, description=description(path), includes=includes(r),
            initKeys=sorted(init), definitionKeys=sorted(defn),
            modes=modes, defaultMode=init.get('mode', defn.get('mode')), modeHasEffect=uses_mode,
            prefregexHasFailureId=bool(FAILURE_ID.search(comb.get('prefregex') or '')),
            hasFailregex=bool((comb.get('failregex') or '').strip()),
            journalmatch=comb.get('journalmatch') or None, maxlines=comb.get('maxlines'),
        ))
    return out

def py_action_params(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == '__init__':
            args = node.args.args[1:]
            pad = [None] * (len(args) - len(node.args.defaults)) + list(node.args.defaults)
            return {a.arg: (str(d.value) if isinstance(d, ast.Constant) and d.value is not None else '')
                    for a, d in zip(args, pad) if a.arg not in ('jail', 'name')}
    return {}

def actions():
    out = []
    for path in sorted(glob.glob(os.path.join(base, 'action.d', '*.conf'))):
        name = os.path.basename(path)[:-5]
        r = read('action.d/' + name)
        out.append(dict(name=name, python=False, description=description(path), includes=includes(r),
            init=own(r, 'Init'), definitionKeys=sorted(own(r, 'Definition'))))
    for path in sorted(glob.glob(os.path.join(base, 'action.d', '*.py'))):
        tree = ast.parse(open(path, encoding='utf-8').read())
        docs = [ast.get_docstring(n) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        doc = next((d for d in docs if d), '')
        out.append(dict(name=os.path.basename(path), python=True, description=' '.join(doc.split('\n\n')[0].split()),
            includes={}, init=py_action_params(tree), definitionKeys=[]))
    return out

def jails():
    r = read('jail')
    r.merge_defaults({'fail2ban_version': version, 'fail2ban_confpath': '/etc/fail2ban'})
    out = []
    for sec in r.sections():
        if sec == 'INCLUDES' or sec.startswith('KNOWN/'): continue
        get = lambda o: r.get(sec, o)
        out.append(dict(name=sec, filter=get('filter'), port=get('port'),
            logpath=[l.strip() for l in get('logpath').split('\n') if l.strip()] if r.has_option(sec, 'logpath') else [],
            backend=get('backend'), options=own(r, sec)))
    defaults = {k: v for k, v in r._cfg.get_defaults().items() if k not in ('fail2ban_version', 'fail2ban_confpath')}
    return out, defaults

j, d = jails()
json.dump(dict(jails=j, jailDefaults=d, filters=filters(), actions=actions()), sys.stdout)
`;

export function extract(source) {
  const { dir, texts } = buildUpstreamTree(source);
  try {
    const script = join(dir, 'extract.py');
    writeFileSync(script, EXTRACT_PY);
    const r = spawnSync('/usr/bin/python3', [script, dir, source.version], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: source.pythonPath },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`extracting fail2ban ${source.version} failed:\n${r.stderr}`);
    return { ...JSON.parse(r.stdout), texts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** First sentence (or 200 characters) of a header comment. */
function shortDescription(text) {
  const s = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!])\s/.exec(s + ' ');
  const first = m ? m[1] : s;
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

/** Merges per-version entries: identical entries share one object with a `versions` list. */
function mergeByVersion(perVersion) {
  const merged = [];
  const byKey = new Map();
  for (const [version, entries] of perVersion) {
    for (const entry of entries) {
      const key = JSON.stringify(entry);
      const found = byKey.get(key);
      if (found) found.versions.push(version);
      else {
        const item = { ...entry, versions: [version] };
        byKey.set(key, item);
        merged.push(item);
      }
    }
  }
  return merged;
}

function tsFile(header, imports, body) {
  return `// GENERATED by scripts/gen-knowledge.mjs — do not edit by hand.\n// ${header}\n${imports}\n${body}`;
}

const json = (v) => JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ');
function tsArray(name, type, items) {
  return `export const ${name}: readonly ${type}[] = [\n${items.map((i) => `  ${json(i)},`).join('\n')}\n];\n`;
}

export function render(extracted) {
  const sourceLine = `source: ${SOURCES.map((s) => s.label).join('; ')}`;
  const typesImport = (names) => `import type { ${names} } from '../types';\n`;
  const files = {};

  const jails = mergeByVersion(extracted.map(({ version, data }) => [version, data.jails]));
  files['stockJails.ts'] = tsFile(
    `${sourceLine}. Stock jails of config/jail.conf with values interpolated against the stock [DEFAULT] and paths-debian.conf.`,
    typesImport('GeneratedStockJail, GeneratedVersion'),
    tsArray('GENERATED_STOCK_JAILS', 'GeneratedStockJail', jails) +
      `\n/** Jail names in jail.conf order per version. */\nexport const GENERATED_STOCK_JAIL_ORDER: Readonly<Record<GeneratedVersion, readonly string[]>> = ${json(
        Object.fromEntries(extracted.map(({ version, data }) => [version, data.jails.map((j) => j.name)])),
      )};\n`,
  );

  const filters = mergeByVersion(
    extracted.map(({ version, data }) => [
      version,
      data.filters.map((f) => ({ ...f, description: shortDescription(f.description) })),
    ]),
  );
  files['filters.ts'] = tsFile(
    `${sourceLine}. Filters of config/filter.d (read with fail2ban's FilterReader).`,
    typesImport('GeneratedFilter'),
    tsArray('GENERATED_FILTERS', 'GeneratedFilter', filters),
  );

  const actions = mergeByVersion(
    extracted.map(({ version, data }) => [
      version,
      data.actions.map((a) => ({ ...a, description: shortDescription(a.description) })),
    ]),
  );
  files['actions.ts'] = tsFile(
    `${sourceLine}. Actions of config/action.d (.conf read with fail2ban's ConfigReader, .py constructor via ast).`,
    typesImport('GeneratedAction'),
    tsArray('GENERATED_ACTIONS', 'GeneratedAction', actions),
  );

  // identical [DEFAULT] tables (1.0.2 and 1.1.0 have the same one) are stored once, like the texts below
  const uniqueDefaults = [];
  const defaultsRef = (table) => {
    const json = JSON.stringify(table, null, 2);
    let i = uniqueDefaults.indexOf(json);
    if (i < 0) i = uniqueDefaults.push(json) - 1;
    return `DEFAULTS_${i}`;
  };
  const defaultsRefs = extracted.map(({ version, data }) => `  '${version}': ${defaultsRef(data.jailDefaults)},`);
  // identical texts (e.g. fail2ban.conf of 1.0.2 and 1.1.0) are stored once
  const unique = [];
  const ref = (text) => {
    let i = unique.indexOf(text);
    if (i < 0) i = unique.push(text) - 1;
    return `TEXT_${i}`;
  };
  const textRefs = extracted.map(({ version, data }) => {
    const fields = {
      jailConf: ref(stripConfigText(data.texts['jail.conf'])),
      pathsCommon: ref(stripConfigText(data.texts['paths-common.conf'])),
      pathsDebian: ref(stripConfigText(data.texts['paths-debian.conf'])),
      fail2banConf: ref(stripConfigText(data.texts['fail2ban.conf'])),
    };
    return `  '${version}': { ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join(', ')} },`;
  });
  files['stockConfigs.ts'] = tsFile(
    `${sourceLine}. Texts of jail.conf, paths-common.conf, paths-debian.conf, fail2ban.conf with comment and blank lines removed; jail [DEFAULT] merged over the include chain (raw).`,
    typesImport('GeneratedVersion, StockConfigTexts'),
    unique.map((t, i) => `const TEXT_${i} = ${JSON.stringify(t)};\n`).join('') +
      `\nexport const GENERATED_STOCK_TEXTS: Readonly<Record<GeneratedVersion, StockConfigTexts>> = {\n${textRefs.join('\n')}\n};\n\n` +
      uniqueDefaults.map((json, i) => `const DEFAULTS_${i}: Readonly<Record<string, string>> = ${json};\n`).join('') +
      `\nexport const GENERATED_JAIL_DEFAULTS: Readonly<Record<GeneratedVersion, Readonly<Record<string, string>>>> = {\n${defaultsRefs.join('\n')}\n};\n`,
  );
  return files;
}

function main() {
  ensureSystemDeps({ quiet: true });
  const check = process.argv.includes('--check');
  const extracted = SOURCES.map((source) => ({ version: source.version, data: extract(source) }));
  const files = render(extracted);
  mkdirSync(outDir, { recursive: true });
  let stale = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(outDir, name);
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(name);
    } else writeFileSync(path, content);
  }
  if (check && stale.length) {
    console.error(`Generated knowledge is stale: ${stale.join(', ')}. Run node scripts/gen-knowledge.mjs`);
    process.exit(1);
  }
  if (!check) console.log(`Wrote ${Object.keys(files).join(', ')} to ${outDir}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
