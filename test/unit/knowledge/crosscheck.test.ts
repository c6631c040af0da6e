// Cross-checks the committed knowledge tables against the real fail2ban installations
// (1.0.2: Debian 12 package in /etc/fail2ban; 1.1.0: Debian 13 package in .cache/fail2ban-1.1.0).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DMS_CUSTOM_FILTER_TEXT,
  DMS_NFTABLES_COMMON_LOCAL_TEXT,
  DMS_RELEASES,
  JAIL_OPTIONS,
  SERVER_OPTIONS,
  actionNames,
  actionsFor,
  backendsFor,
  dmsEnabledJails,
  dmsJailLocal,
  dmsRelease,
  filtersFor,
  isValidFilterMode,
  stockFail2banConf,
  stockJail,
  stockJailConf,
  stockJailDefaults,
  stockJailFiles,
  stockJailNames,
  stockPathsConfs,
} from '../../../server/src/knowledge';
import { inVersion } from '../../../server/src/knowledge/versions';
import { upstreamStockText } from '../../support/fail2banInstalls';
import { INSTALLATIONS, ROOT, ensureRealFail2ban, fail2banClient, parseSections, probe, type Installation } from './support';

type OptTable = Record<string, [string, string | null]>;
interface ReaderOptions {
  configOpts1st: OptTable;
  configOpts: OptTable;
  filterOpts: OptTable;
  early: [string, string, string | null][];
  main: [string, string, string | null][];
  thread: [string, string, string | null][];
  backends: string[];
}

before(async () => {
  await ensureRealFail2ban();
});

test('committed generated tables match a fresh run of scripts/gen-knowledge.mjs', () => {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-knowledge.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
});

for (const inst of INSTALLATIONS) {
  describe(`fail2ban ${inst.version} (${inst.configDir})`, () => {
    let reader: ReaderOptions;
    before(() => {
      reader = probe<ReaderOptions>(inst, 'reader-options', { pkg: inst.pythonPath });
    });

    test('jail options = JailReader._configOpts + FilterReader._configOpts (names, client types, defaults)', () => {
      const fromSource = { ...reader.configOpts, ...reader.filterOpts };
      const table = JAIL_OPTIONS.filter((o) => inVersion(o, inst.version));
      assert.deepEqual(table.map((o) => o.name).sort(), Object.keys(fromSource).sort());
      for (const o of table) {
        const [type, def] = fromSource[o.name];
        assert.equal(o.clientType, type, `client type of ${o.name}`);
        assert.equal(o.readerDefault, def, `reader default of ${o.name}`);
      }
      assert.deepEqual(
        table.filter((o) => o.readWhen === 'always').map((o) => o.name).sort(),
        Object.keys(reader.configOpts1st).sort(),
      );
      assert.deepEqual(
        table.filter((o) => o.kind === 'filter').map((o) => o.name).sort(),
        Object.keys(reader.filterOpts).sort(),
      );
      // options of other versions are not read by this one
      assert.ok(JAIL_OPTIONS.filter((o) => !inVersion(o, inst.version)).every((o) => !(o.name in fromSource)));
    });

    test('server options = Fail2banReader early/main options and [Thread]', () => {
      const definition = SERVER_OPTIONS.filter((o) => o.section === 'Definition');
      const names = new Set([...reader.early, ...reader.main].map(([, name]) => name));
      assert.deepEqual(definition.map((o) => o.name).sort(), [...names].sort());
      assert.deepEqual(
        definition.filter((o) => o.early).map((o) => o.name).sort(),
        reader.early.map(([, name]) => name).sort(),
      );
      for (const [type, name, def] of reader.main) {
        const o = definition.find((x) => x.name === name);
        assert.ok(o, name);
        assert.equal(o.clientType, type, `type of ${name}`);
        assert.equal(o.readerDefault, def, `default of ${name}`);
      }
      for (const [, name, def] of reader.early) {
        const o = definition.find((x) => x.name === name)!;
        assert.equal(o.earlyDefault ?? o.readerDefault, def, `early default of ${name}`);
      }
      assert.deepEqual(
        SERVER_OPTIONS.filter((o) => o.section === 'Thread').map((o) => [o.clientType, o.name]),
        reader.thread.map(([type, name]) => [type, name]),
      );
    });

    test('backends = server Jail._BACKENDS plus auto', () => {
      assert.deepEqual(
        backendsFor(inst.version).map((b) => b.name).filter((n) => n !== 'auto').sort(),
        [...reader.backends].sort(),
      );
    });

    test('stock jail names and order = sections of jail.conf', () => {
      const sections = probe<string[]>(inst, 'jail-sections', { path: join(inst.configDir, 'jail.conf') });
      assert.deepEqual(stockJailNames(inst.version), sections.filter((s) => s !== 'INCLUDES'));
    });

    test('filters = filter.d/*.conf; actions = action.d/*.conf + *.py', () => {
      const filterFiles = readdirSync(join(inst.configDir, 'filter.d')).filter((f) => f.endsWith('.conf')).map((f) => f.slice(0, -5));
      assert.deepEqual(filtersFor(inst.version).map((f) => f.name).sort(), filterFiles.sort());
      const actionFiles = readdirSync(join(inst.configDir, 'action.d'))
        .filter((f) => f.endsWith('.conf') || f.endsWith('.py'))
        .map((f) => (f.endsWith('.conf') ? f.slice(0, -5) : f));
      assert.deepEqual(actionNames(inst.version).slice().sort(), actionFiles.sort());
    });

    test('filter modes: exactly the modes fail2ban resolves (every <prefix-<mode>> tag substituted)', () => {
      const withModes = filtersFor(inst.version).filter((f) => f.modeHasEffect);
      const candidates = [...new Set([...withModes.flatMap((f) => f.modes ?? []), 'bogus', 'Normal'])];
      const resolved = probe<Record<string, Record<string, boolean>>>(inst, 'modes', {
        base: inst.configDir,
        filters: Object.fromEntries(withModes.map((f) => [f.name, candidates])),
      });
      for (const f of withModes) {
        const valid = Object.entries(resolved[f.name]).filter(([, ok]) => ok).map(([m]) => m).sort();
        // tags resolve case-insensitively (option names are lower-cased), so `Normal` works like `normal`
        assert.deepEqual(candidates.filter((m) => isValidFilterMode(f.name, m, inst.version)).sort(), valid, `modes of ${f.name}`);
        assert.deepEqual(f.modes, valid.filter((m) => m === m.toLowerCase()), `modes of ${f.name}`);
        assert.ok(f.defaultMode && valid.includes(f.defaultMode), `default mode of ${f.name}`);
      }
    });

    test('action [Init] parameters = what fail2ban reads (includes merged)', () => {
      const confActions = actionsFor(inst.version).filter((a) => !a.python);
      const keys = probe<Record<string, string[]>>(inst, 'action-init-keys', {
        base: inst.configDir,
        names: confActions.map((a) => a.name),
      });
      for (const a of confActions) assert.deepEqual(Object.keys(a.init).sort(), keys[a.name], a.name);
      const smtp = actionsFor(inst.version).find((a) => a.name === 'smtp.py');
      assert.ok(smtp?.python);
      const source = readFileSync(join(inst.configDir, 'action.d', 'smtp.py'), 'utf8');
      const signature = /def __init__\(([^)]*)\)/.exec(source)?.[1] ?? '';
      const kwargs = signature.split(',').map((p) => p.split('=')[0].trim()).filter((p) => p && !['self', 'jail', 'name'].includes(p));
      assert.deepEqual(Object.keys(smtp.init).sort(), kwargs.sort());
    });

    test('stripped stock texts hold the same values as the installed files', () => {
      const pairs: [string, string][] = [
        ['jail.conf', stockJailConf(inst.version)],
        ['paths-common.conf', stockPathsConfs(inst.version)[0].text],
        ['fail2ban.conf', stockFail2banConf(inst.version)],
        ['paths-debian.conf', stockPathsConfs(inst.version)[1].text],
      ];
      for (const [file, text] of pairs) {
        // the installed Debian package with Debian's own changes undone = the upstream .deb DMS installs
        const original = upstreamStockText(inst.version, file, readFileSync(join(inst.configDir, file), 'utf8'));
        assert.equal(probe<string | null>(inst, 'values-equal', { a: original, b: text }), null, file);
        assert.ok(!/^\s*#/m.test(text) && !/\n\s*\n/.test(text), `${file} has comments or blank lines`);
      }
    });

    if (inst.version === '1.1.0') {
      test('paths-debian.conf differs from the Debian package only by the Debian systemd-backend patch', () => {
        const original = parseSections(inst, readFileSync(join(inst.configDir, 'paths-debian.conf'), 'utf8'));
        const ours = parseSections(inst, stockPathsConfs('1.1.0')[1].text);
        const removed = Object.keys(original.defaults).filter((k) => !(k in ours.defaults));
        assert.ok(removed.length > 0);
        for (const k of removed) {
          assert.match(k, /_backend$/);
          assert.equal(original.defaults[k], 'systemd');
        }
        for (const [k, v] of Object.entries(ours.defaults)) assert.equal(original.defaults[k], v, k);
        assert.equal(stockJailDefaults('1.1.0').postfix_backend, '%(default_backend)s');
      });
    }
  });
}

describe('DMS layers read by the real fail2ban-client -d', () => {
  for (const release of DMS_RELEASES) {
    test(`${release.name} (fail2ban ${release.fail2ban}): enabled jails, DEFAULT values, banaction, postfix mode`, () => {
      const inst = INSTALLATIONS.find((i) => i.version === release.fail2ban) as Installation;
      const dir = mkdtempSync(join(tmpdir(), 'knowledge-dms-'));
      try {
        for (const f of stockJailFiles(release.fail2ban)) writeFileSync(join(dir, f.path.split('/').pop()!), f.text);
        writeFileSync(join(dir, 'fail2ban.conf'), stockFail2banConf(release.fail2ban));
        cpSync(join(inst.configDir, 'filter.d'), join(dir, 'filter.d'), { recursive: true });
        cpSync(join(inst.configDir, 'action.d'), join(dir, 'action.d'), { recursive: true });
        writeFileSync(join(dir, 'filter.d', 'custom.conf'), DMS_CUSTOM_FILTER_TEXT);
        writeFileSync(join(dir, 'action.d', 'nftables-common.local'), DMS_NFTABLES_COMMON_LOCAL_TEXT);
        writeFileSync(join(dir, 'jail.local'), dmsJailLocal(release.name));
        const run = fail2banClient(inst, ['-c', dir, '-d']);
        assert.equal(run.status, 0, run.stderr);
        const lines = run.stdout.split('\n');
        const adds = lines.map((l) => /^\['add', '([^']+)', '([^']+)'\]$/.exec(l)).filter((m) => m !== null);
        const added = adds.map((m) => m[1]);
        assert.deepEqual([...added].sort(), [...dmsEnabledJails(release.name)].sort());
        // the backend each DMS jail gets: stock jail's (1.1.1's paths-debian.conf puts [postfix] on systemd), else auto
        for (const [, jail, backend] of adds) assert.equal(backend, stockJail(jail, release.fail2ban)?.backend ?? 'auto', `${jail} backend`);
        const r = dmsRelease(release.name).jailLocal;
        for (const jail of added) {
          assert.ok(lines.includes(`['set', '${jail}', 'maxretry', ${r.maxretry}]`), `${jail} maxretry`);
          assert.ok(lines.includes(`['set', '${jail}', 'findtime', '${r.findtime}']`), `${jail} findtime`);
          assert.ok(lines.includes(`['set', '${jail}', 'addaction', 'nftables-allports']`), `${jail} action`);
        }
        assert.ok(lines.includes(`['set', 'custom', 'bantime', '180d']`));
        // mode extra (and aggressive) put `warning:` (SASL) into postfix's prefregex; stock `more` does not
        const postfixPref = lines.find((l) => l.startsWith("['set', 'postfix', 'prefregex'"));
        assert.ok(postfixPref);
        assert.equal(postfixPref.includes('warning:'), r.postfixMode === 'extra', 'postfix mode');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
