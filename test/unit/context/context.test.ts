// ConfigContext behaviour: layers and read order, where values come from, enabled jails, interpolation
// errors and their source, what fail2ban reads, effective values and the report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContextFromText, contextInternals } from '../../../server/src/context/build';
import { effectiveConfigReport, effectiveJail, effectiveServer } from '../../../server/src/context/effective';
import { cloneConfig, emptyConfig, knownSection, mergeFile, mergeLayer, singleFileConfig, type MergedConfig, OptionTable } from '../../../server/src/context/merge';
import { pyAsBool } from '../../../server/src/context/readerOptions';
import { readAnalysis } from '../../../server/src/context/reads';
import { parseDocument } from '../../../server/src/parser/parse';
import type { Layer } from '../../../server/src/context/types';
import type { ConfigContext } from '../../../server/src/context/types';
import type { CheckOptions } from '../../../server/src/types';

function context(text: string, options: CheckOptions = { kind: 'dms-jail' }): ConfigContext {
  return buildContextFromText(text, options);
}

/** 0-based line of the first line containing `marker` (fixtures mark lines with a unique word). */
function lineOf(text: string, marker: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(marker));
  assert.ok(line >= 0, `marker ${marker} not in fixture`);
  return line;
}

describe('layers and read order', () => {
  it('DMS jail: paths-common → paths-debian → jail.conf → DMS jail.local → user file', () => {
    const ctx = context('[DEFAULT]\nbantime = 1d\n');
    assert.deepEqual(
      ctx.layers.map((l) => [l.path, l.origin]),
      [
        ['/etc/fail2ban/paths-common.conf', 'stock'],
        ['/etc/fail2ban/paths-debian.conf', 'stock'],
        ['/etc/fail2ban/jail.conf', 'stock'],
        ['/etc/fail2ban/jail.local', 'dms'],
        ['/etc/fail2ban/jail.d/user-jail.local', 'user'],
      ],
    );
    assert.equal(ctx.userLayer, ctx.layers[4]);
    assert.equal(ctx.userLayer.label, 'fail2ban-jail.cf');
  });

  it('DMS server: fail2ban.conf → user fail2ban.local → DMS fixes.local (read last)', () => {
    const ctx = context('[Definition]\nallowipv6 = yes\n', { kind: 'dms-server' });
    assert.deepEqual(
      ctx.layers.map((l) => l.path),
      ['/etc/fail2ban/fail2ban.conf', '/etc/fail2ban/fail2ban.local', '/etc/fail2ban/fail2ban.d/fixes.local'],
    );
    const allowipv6 = ctx.lookup('Definition', 'allowipv6');
    assert.equal(allowipv6?.layer.origin, 'dms');
    assert.equal(ctx.interpolate('Definition', 'allowipv6').value, 'auto;');
    assert.deepEqual(ctx.jailNames(), []);
  });

  it('plain kinds have no DMS layer', () => {
    assert.ok(context('', { kind: 'jail' }).layers.every((l) => l.origin !== 'dms'));
    assert.deepEqual(context('', { kind: 'server' }).layers.map((l) => l.origin), ['stock', 'user']);
  });

  it('follows the fail2ban version of the DMS release unless one is given', () => {
    assert.equal(context('', { kind: 'dms-jail', dmsVersion: 'v14' }).fail2banVersion, '1.0.2');
    assert.equal(context('', { kind: 'dms-jail' }).fail2banVersion, '1.1.1', 'default DMS v16 ships 1.1.1');
    assert.equal(context('', { kind: 'dms-jail', dmsVersion: 'v15.1.0' }).fail2banVersion, '1.1.0');
    assert.equal(context('', { kind: 'dms-jail', dmsVersion: 'v14', fail2banVersion: '1.1.1' }).fail2banVersion, '1.1.1');
    assert.equal(context('', { kind: 'jail' }).interpolate('sshd', 'fail2ban_version').value, '1.1.1');
  });

  it('a user [INCLUDES] file is read before the user file', () => {
    const ctx = context('[INCLUDES]\nbefore = ../paths-common.conf\n[DEFAULT]\nx = 1\n');
    assert.deepEqual(
      ctx.layers.slice(-2).map((l) => l.path),
      ['/etc/fail2ban/paths-common.conf', '/etc/fail2ban/jail.d/user-jail.local'],
    );
  });
});

describe('lookup, isEnabled, jailNames', () => {
  const text = '[DEFAULT]\nbantime = 2w\n[postfix]\nenabled = ture\n[Postfix]\nenabled = true\n[dovecot]\nmaxretry = 3\n';
  const ctx = context(text);

  it('reports the layer and section a value came from', () => {
    const bantime = ctx.lookup('dovecot', 'bantime');
    assert.equal(bantime?.raw, '2w');
    assert.equal(bantime?.section, 'DEFAULT');
    assert.equal(bantime?.layer.origin, 'user');
    assert.equal(bantime?.option.keyRange.start.line, lineOf(text, 'bantime'));
    const custom = ctx.lookup('custom', 'bantime');
    assert.equal(custom?.raw, '180d');
    assert.equal(custom?.section, 'custom');
    assert.equal(custom?.layer.origin, 'dms');
    assert.equal(ctx.lookup('dovecot', 'MaxRetry')?.raw, '3');
    assert.equal(ctx.lookup('nosuchjail', 'bantime'), undefined);
    assert.equal(ctx.lookup('DEFAULT', 'bantime')?.raw, '2w');
  });

  it('reads enabled with _as_bool after layering; section names are case-sensitive', () => {
    assert.equal(ctx.isEnabled('postfix'), false, 'ture silently disables');
    assert.equal(ctx.isEnabled('Postfix'), true);
    assert.equal(ctx.isEnabled('dovecot'), true, 'enabled by DMS');
    assert.equal(ctx.isEnabled('sshd'), false);
    assert.equal(ctx.isEnabled('DEFAULT'), false);
    assert.equal(ctx.isEnabled('INCLUDES'), false);
  });

  it('lists jails in first-seen order without DEFAULT, INCLUDES and KNOWN/*', () => {
    const names = ctx.jailNames();
    assert.equal(names[0], 'sshd');
    assert.ok(names.includes('Postfix'));
    assert.equal(names[names.length - 1], 'Postfix');
    assert.ok(!names.some((n) => n === 'DEFAULT' || n === 'INCLUDES' || n.startsWith('KNOWN/')));
    assert.equal(ctx.userSections('postfix').length, 1);
    assert.equal(ctx.userSections('nosuch').length, 0);
  });
});

describe('interpolation', () => {
  it('resolves known/ to the value before the current file overrode it', () => {
    const ctx = context('[postfix]\nmode = %(known/mode)s\nignoreip = %(known/ignoreip)s 10.0.0.0/8\n');
    assert.equal(ctx.interpolate('postfix', 'mode').value, 'extra');
    assert.equal(ctx.interpolate('postfix', 'ignoreip').value, '127.0.0.1/8 10.0.0.0/8');
    assert.equal(ctx.interpolate('postfix', 'filter').value, 'postfix[mode=extra]');
  });

  it('a shared result follows each section\'s own values with a %, by their text', () => {
    const text = '[DEFAULT]\nx = <%(p)s>\nmyports = smtp\nother = imap\n[a]\np = %(myports)s\n[b]\np = %(myports)s\n[c]\np = %(other)s\n[d]\np = plain\n[e]\nmyports = own\np = %(myports)s\n[f]\np = %(myports)s\n';
    const ctx = context(text);
    const read = (section: string) => {
      const result = ctx.interpolateDetailed(section, 'x');
      return [result.value, result.visited.map((raw) => `${raw.section}/${raw.option.name}`).join(' ')];
    };
    assert.deepEqual(read('a'), ['<smtp>', 'DEFAULT/x a/p DEFAULT/myports']);
    assert.deepEqual(read('b'), ['<smtp>', 'DEFAULT/x b/p DEFAULT/myports']);
    assert.deepEqual(read('c'), ['<imap>', 'DEFAULT/x c/p DEFAULT/other']);
    assert.deepEqual(read('d'), ['<plain>', 'DEFAULT/x d/p']);
    assert.deepEqual(read('e'), ['<own>', 'DEFAULT/x e/p e/myports']);
    assert.deepEqual(read('f'), ['<smtp>', 'DEFAULT/x f/p DEFAULT/myports']);
    assert.equal(ctx.interpolateDetailed('f', 'x').visited[1], ctx.lookup('f', 'p'));
  });

  it('maps %(section/option)s for section names with non-ASCII letters as Python\'s \\w does', () => {
    const ctx = context('[séc]\nx = 1\n[Δ2]\ny = 2\n[j]\na = %(séc/x)s-%(known/a)s\nb = %(δ2/y)s\nc = %(s/é)s %(séc/x)s\n');
    assert.equal(ctx.interpolate('j', 'a').value, undefined); // known/a: none, no [DEFAULT] a
    assert.equal(ctx.interpolate('j', 'a').error?.code, 'undefined-variable');
    assert.equal(ctx.interpolate('j', 'b').error?.code, 'unknown-section-reference'); // [Δ2] is not lower case
    assert.equal(ctx.interpolate('j', 'c').error?.code, 'unknown-section-reference'); // no [s]
    const ok = context('[séc]\nx = 1\n[j]\na = <%(séc/x)s>\n');
    assert.equal(ok.interpolate('j', 'a').value, '<1>');
  });

  it('reports the raw value holding the bad reference, not only the option read', () => {
    const text = '[DEFAULT]\nprotocol = %(nosuch)s\n';
    const ctx = context(text);
    const action = ctx.interpolate('dovecot', 'action');
    assert.equal(action.value, undefined);
    assert.equal(action.error?.code, 'undefined-variable');
    assert.equal(action.raw?.layer.origin, 'stock');
    assert.equal(action.error?.source?.layer.origin, 'user');
    assert.equal(action.error?.source?.option.keyRange.start.line, lineOf(text, 'protocol'));
    assert.match(action.error?.message ?? '', /^Bad value substitution: option 'action' in section 'dovecot' contains an interpolation key 'nosuch'/);
  });

  it('gives filter-provided known/ keys an empty value in enabled jails with a filter', () => {
    const ctx = context('[dovecot]\nfailregex = %(known/failregex)s\n  ^extra <HOST>$\n[sshd]\nfailregex = %(known/failregex)s\n');
    assert.equal(ctx.interpolate('dovecot', 'failregex').value, '\n^extra <HOST>$');
    assert.equal(ctx.interpolate('sshd', 'failregex').error?.code, 'undefined-variable', 'disabled: filter never read');
  });

  it('returns nothing (no error) for options set nowhere', () => {
    const ctx = context('');
    assert.deepEqual(ctx.interpolate('dovecot', 'nosuch'), {});
  });

  it('a [DEFAULT] value shared between jails follows each jail’s own values (results are shared only where they agree)', () => {
    // interpolated in this order: a shared result must not leak into a jail whose own values differ, nor an error
    const text =
      '[DEFAULT]\nmyport = %(portx)s/%(proto)s\nproto = tcp\n' +
      '[a]\nportx = 1\n[b]\nportx = 1\n[c]\nportx = 2\n[d]\nportx = 1\nproto = udp\n[e]\nportx = %(__name__)s\n[f]\n[g]\nportx = 1\n';
    const ctx = context(text);
    const values = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((jail) => ctx.interpolateDetailed(jail, 'myport'));
    assert.deepEqual(
      values.map((result) => result.value ?? result.error?.code),
      ['1/tcp', '1/tcp', '2/tcp', '1/udp', 'e/tcp', 'undefined-variable', '1/tcp'],
    );
    assert.match(values[5].error?.message ?? '', /in section 'f'/);
    // each result lists the raw values of its own jail
    assert.deepEqual(values[1].visited.map((raw) => raw.section), ['DEFAULT', 'b', 'DEFAULT']);
    assert.deepEqual(values[3].visited.map((raw) => raw.section), ['DEFAULT', 'd', 'd']);
    assert.deepEqual(values[6].visited.map((raw) => raw.section), ['DEFAULT', 'g', 'DEFAULT']);
  });

  it('a shared [DEFAULT] value that takes %(__name__)s gets each jail’s own name, also where a name has a % of its own', () => {
    // [x%(mode)sy]: fail2ban expands the name itself (and [bad%] fails), so such names must not take the shared text
    const text =
      '[DEFAULT]\nmyfilter = %(__name__)s[mode=%(mode)s] %(__name__)s\nmode = normal\n' +
      '[a]\n[b]\n[x%(mode)sy]\n[bad%]\n[c]\nmode = aggressive\n[d]\n';
    const ctx = context(text);
    const values = ['a', 'b', 'x%(mode)sy', 'bad%', 'c', 'd'].map((jail) => ctx.interpolateDetailed(jail, 'myfilter'));
    assert.deepEqual(
      values.map((result) => result.value ?? result.error?.code),
      ['a[mode=normal] a', 'b[mode=normal] b', 'xnormaly[mode=normal] xnormaly', 'invalid-interpolation', 'c[mode=aggressive] c', 'd[mode=normal] d'],
    );
    assert.deepEqual(values[1].visited.map((raw) => raw.section), ['DEFAULT', 'DEFAULT']);
    assert.deepEqual(values[4].visited.map((raw) => raw.section), ['DEFAULT', 'c']);
    assert.deepEqual(values[5].visited.map((raw) => raw.section), ['DEFAULT', 'DEFAULT']);
  });
  it('a jail value nesting a shared [DEFAULT] chain keeps the depth limit counted from the jail value', () => {
    // c1 → c2 → … → c9: expanding c1 enters 8 levels; from a jail value it fits one level deeper, not two
    const chain = Array.from({ length: 8 }, (_, i) => `c${i + 1} = %(c${i + 2})s`).join('\n');
    const text = `[DEFAULT]\n${chain}\nc9 = end\n[other]\nx = 1\n[j]\nv = %(c1)s\nx1 = %(c1)s\nw = %(x1)s\nx2 = %(x1)s\ny = %(x2)s\n`;
    for (const primed of [false, true]) {
      const ctx = context(text);
      if (primed) assert.equal(ctx.interpolateDetailed('other', 'c1').value, 'end'); // the shared result exists first
      const v = ctx.interpolateDetailed('j', 'v');
      assert.equal(v.value, 'end');
      assert.deepEqual(v.visited.map((raw) => raw.option.name), ['v', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
      assert.equal(ctx.interpolateDetailed('j', 'w').value, 'end');
      const y = ctx.interpolateDetailed('j', 'y');
      assert.equal(y.value, undefined);
      assert.equal(y.error?.code, 'interpolation-recursion');
      assert.match(y.error?.message ?? '', /option 'y' in section 'j'/);
      assert.deepEqual(y.errorStack?.map((raw) => raw.option.name), ['y', 'x2', 'x1', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);
    }
  });
});

describe('merging a file', () => {
  /** The merged state as plain data: sections and options in order, each value with its section and node. */
  function snapshot(config: MergedConfig): unknown {
    const options = (map: OptionTable) =>
      [...map].map(([key, value]) => [key, value.raw, value.section, value.option]);
    return { defaults: options(config.defaults), sections: [...config.sections].map(([name, map]) => [name, options(map)]) };
  }
  const layerOf = (text: string): Layer => ({ label: 'user', origin: 'user', path: '/u.local', doc: parseDocument(text) });

  it("a section's option table keeps configparser's dict order: a key set again keeps its place, small or large", () => {
    const layer = layerOf('[s]\nx = 1\n');
    const value = (raw: string) => ({ raw, section: 's', layer, option: layer.doc.sections[0].options[0] });
    for (const count of [3, 30]) {
      const table = new OptionTable(2);
      for (let i = 0; i < count; i++) table.set(`k${i}`, value(`v${i}`));
      table.set('k1', value('again'));
      assert.equal(table.size, count);
      assert.equal(table.get('k1')?.raw, 'again');
      assert.equal(table.get(`k${count - 1}`)?.raw, `v${count - 1}`);
      assert.equal(table.has('nosuch'), false);
      const keys = [...table.keys()];
      assert.deepEqual(keys, Array.from({ length: count }, (_, i) => `k${i}`));
      const copy = table.copy();
      copy.set('k0', value('copied'));
      copy.set('new', value('new'));
      assert.equal(table.get('k0')?.raw, 'v0');
      assert.equal(table.has('new'), false);
      assert.deepEqual([...copy].map(([key]) => key), [...keys, 'new']);
    }
  });

  it("an option table keyed by its values' option names takes a key that is not one (conditional `key?cond`) at any point", () => {
    const layer = layerOf(`[s]\n${Array.from({ length: 12 }, (_, i) => `o${i} = v${i}\n`).join('')}`);
    const nodes = layer.doc.sections[0].options;
    const value = (at: number) => ({ raw: nodes[at].value, section: 's', layer, option: nodes[at] });
    for (const count of [3, 12]) {
      const table = new OptionTable(count);
      for (let i = 0; i < count; i++) table.set(nodes[i].name, value(i));
      const renamedAt = count - 1;
      table.set('o1', value(renamedAt)); // a value of another option's name set under an existing key
      table.set(`o0?x`, value(0)); // a new key that is not its value's option name
      const keys = [...table.keys()];
      assert.deepEqual(keys, [...Array.from({ length: count }, (_, i) => `o${i}`), 'o0?x']);
      assert.equal(table.get('o1')?.raw, `v${renamedAt}`);
      assert.equal(table.get(`o${renamedAt}`)?.raw, `v${renamedAt}`);
      assert.equal(table.get('o0?x')?.raw, 'v0');
      assert.equal(table.get('o0')?.raw, 'v0');
      assert.deepEqual([...table.copy()].map(([key]) => key), keys);
      assert.equal(table.keyAt(1), 'o1');
    }
  });

  it('finds KNOWN/<section> through its index after merges, copies and clones', () => {
    const before = emptyConfig();
    mergeFile(before, singleFileConfig(layerOf('[x]\na = 1\n')));
    mergeFile(before, singleFileConfig(layerOf('[x]\na = 2\n')));
    assert.equal(knownSection(before, 'x'), before.sections.get('KNOWN/x'));
    assert.equal(knownSection(before, 'x')?.get('a')?.raw, '1');
    const clone = cloneConfig(before);
    mergeLayer(clone, layerOf('[x]\na = 3\n'));
    assert.notEqual(clone.sections.get('KNOWN/x'), before.sections.get('KNOWN/x')); // copied before written
    assert.equal(knownSection(clone, 'x'), clone.sections.get('KNOWN/x'));
    assert.equal(knownSection(clone, 'x')?.get('a')?.raw, '2');
    assert.equal(knownSection(before, 'x')?.get('a')?.raw, '1');
    // a file's own [KNOWN/x] section, and a config made without an index (found by a walk over its sections)
    const written = emptyConfig();
    mergeFile(written, singleFileConfig(layerOf('[KNOWN/y]\nb = 0\n')));
    assert.equal(knownSection(written, 'y')?.get('b')?.raw, '0');
    assert.equal(knownSection({ defaults: written.defaults, sections: written.sections }, 'y')?.get('b')?.raw, '0');
    assert.equal(knownSection(written, 'x'), undefined);
  });

  it("reads booleans as fail2ban's _as_bool does", () => {
    for (const word of ['1', 'on', 'ON', 'true', 'True', 'yes', 'YES']) assert.equal(pyAsBool(word), true, word);
    for (const word of ['0', 'off', 'false', 'no', 'true ', ' yes', 'truee', 'yess', '', 'enabled']) assert.equal(pyAsBool(word), false, word);
  });

  it('mergeLayer gives what mergeFile of the file on its own gives (duplicates, stock sections, [DEFAULT] twice)', () => {
    const before = emptyConfig();
    mergeFile(before, singleFileConfig(layerOf('[DEFAULT]\na = 1\nb = 2\n[stock]\nx = 1\ny = 2\n[other]\nz = 1\n')));
    const texts = [
      '[new]\nk = 1\n[stock]\ny = 3\nw = 4\n[DEFAULT]\nb = 5\nc = 6\n[new]\nk = 2\nl = 3\n[stock]\nx = 7\n[DEFAULT]\nc = 8\na = 9\n',
      '[a?cond]\nk = 1\n[a]\nk = 2\n',
      '[KNOWN/stock]\nx = 0\n[stock]\nx = 9\n',
    ];
    const untouched = snapshot(before);
    for (const text of texts) {
      const layer = layerOf(text);
      const expected = cloneConfig(before);
      mergeFile(expected, singleFileConfig(layer), true);
      const actual = cloneConfig(before);
      mergeLayer(actual, layer);
      assert.deepEqual(snapshot(actual), snapshot(expected), text);
      assert.deepEqual(snapshot(before), untouched); // the clone's source
    }
  });

  it('mergeLayer after mergeLayer: a section the first file added is an earlier one for the second (KNOWN/ kept)', () => {
    const first = layerOf('[new]\nk = 1\n');
    const second = layerOf('[new]\nk = 2\n[new]\nl = 3\n');
    const expected = emptyConfig();
    mergeFile(expected, singleFileConfig(first), true);
    mergeFile(expected, singleFileConfig(second), true);
    const actual = emptyConfig();
    mergeLayer(actual, first);
    mergeLayer(actual, second);
    assert.deepEqual(snapshot(actual), snapshot(expected));
    assert.equal(knownSection(actual, 'new')?.get('k')?.raw, '1');
  });
});

describe('kept interpolation results', () => {
  it('a value with % is interpolated once per jail, also once many jails have kept results', () => {
    const jails = Array.from({ length: 100 }, (_, i) => `[j${i}]\nenabled = true\nfilter = sshd\nignoreip = %(known/ignoreip)s 10.0.0.${i}\n`);
    const ctx = context(jails.join(''));
    const first = Array.from({ length: 100 }, (_, i) => ctx.interpolateDetailed(`j${i}`, 'ignoreip'));
    first.forEach((result, i) => assert.match(result.value ?? '', new RegExp(` 10\\.0\\.0\\.${i}$`)));
    // asked again (the first ones kept before there were many): the kept objects themselves
    first.forEach((result, i) => assert.equal(ctx.interpolateDetailed(`j${i}`, 'ignoreip'), result, `j${i}`));
  });
});

describe('contexts sharing the stock sections', () => {
  it('answer about a stock section after later contexts kept their own index in its options', () => {
    const text = '[mine]\nenabled = true\n';
    const first = context(text);
    const stockJails = ['sshd', 'dovecot', 'postfix', 'recidive', 'sieve'];
    context('[other]\nenabled = false\n'); // built later: the shared stock sections now hold its indices
    const fresh = context(text + '\n'); // another document with the same sections, built last
    // as a context whose sections sit elsewhere would leave them (today's contexts put them in the same places)
    const sections = contextInternals(first)?.config.sections;
    stockJails.forEach((jail, index) => {
      const own = sections?.get(jail);
      assert.ok(own && own === contextInternals(fresh)?.config.sections.get(jail), `${jail} is shared`);
      own.slot = index;
    });
    for (const jail of [...stockJails].reverse()) {
      assert.ok(first.lookup(jail, 'port'), jail);
      assert.equal(first.lookup(jail, 'port'), fresh.lookup(jail, 'port'), jail);
      assert.equal(first.isEnabled(jail), fresh.isEnabled(jail), jail);
      assert.equal(first.interpolate(jail, 'logpath').value, fresh.interpolate(jail, 'logpath').value, jail);
    }
    assert.equal(first.lookup('nosuch', 'port'), undefined);
    assert.equal(first.isEnabled('mine'), true);
  });
});

describe('what fail2ban reads', () => {
  it('reads enabled/backend/filter of every jail and the rest only for enabled jails', () => {
    const text = '[sshd]\naction = %(nosuch)s\nfilter = %(alsonosuch)s\n[dovecot]\nbantime = 1h\nunknownkey = %(x)s\n';
    const ctx = context(text);
    const analysis = readAnalysis(ctx);
    const userRaw = (section: string, option: string) => ctx.lookup(section, option);
    assert.equal(analysis.isRead(userRaw('sshd', 'action')!), false);
    assert.equal(analysis.isRead(userRaw('sshd', 'filter')!), true);
    assert.equal(analysis.isRead(userRaw('dovecot', 'bantime')!), true);
    assert.equal(analysis.isRead(userRaw('dovecot', 'unknownkey')!), false);
    assert.deepEqual(
      analysis.errors.map((e) => [e.section, e.option, e.result.error?.code]),
      [['sshd', 'filter', 'undefined-variable']],
    );
  });

  it('isOptionRead: values read directly or through references, not those of disabled jails', () => {
    const text =
      '[custom2]\nenabled = true\nfilter = sshd\naction = %(action_)s\nport = 999\nignoreip = %(known/ignoreip)s 1.2.3.4\nunused = 5\n' +
      '[off]\nenabled = false\nfilter = sshd\nignoreip = %(known/ignoreip)s 5.6.7.8\n';
    const ctx = context(text);
    const analysis = readAnalysis(ctx);
    const node = (section: string, option: string) => ctx.lookup(section, option)!.option;
    assert.equal(analysis.isOptionRead(node('custom2', 'action')), true);
    assert.equal(analysis.isOptionRead(node('custom2', 'port')), true); // only through action_'s %(port)s
    assert.equal(analysis.isOptionRead(node('custom2', 'ignoreip')), true);
    assert.equal(analysis.isOptionRead(node('custom2', 'unused')), false);
    assert.equal(analysis.isOptionRead(node('off', 'ignoreip')), false);
    assert.equal(analysis.isOptionRead(node('off', 'filter')), true);
  });

  it('isOptionRead: a jail\'s own value with a % read only through a shared [DEFAULT] value, in every jail', () => {
    const jails = [1, 2, 3].map((i) => `[j${i}]\nenabled = true\nfilter = sshd\nport = %(myports)s\n`).join('');
    const ctx = context(`[DEFAULT]\nmyports = smtp\n${jails}`);
    const analysis = readAnalysis(ctx);
    for (const jail of ['j1', 'j2', 'j3']) assert.equal(analysis.isOptionRead(ctx.lookup(jail, 'port')!.option), true, jail);
  });

  it('jails alike (the same own options, no %) each fail the reads of a stock [DEFAULT] value that fails in them', () => {
    // stock jail.conf's `action = %(action_)s` reads `%(banaction)s`, which fails here: in every enabled jail, also in a
    // run of jails with the same option names (read after the first as it was), and in one with others between them
    const jail = (name: string, extra = '') => `[${name}]\nenabled = true\nfilter = sshd\n${extra}`;
    const text = `[DEFAULT]\nbanaction = %(nosuch)s\n${jail('j1')}${jail('j2')}${jail('j3', 'port = 25\n')}${jail('j4')}${jail('j5')}`;
    const errors = readAnalysis(context(text)).errors.filter((e) => e.section.startsWith('j') && e.option === 'action');
    assert.deepEqual(errors.map((e) => e.section), ['j1', 'j2', 'j3', 'j4', 'j5']);
  });

  it('a [DEFAULT] value is read in every enabled jail that inherits it', () => {
    const ctx = context('[DEFAULT]\nbantime = 1h\n');
    const raw = ctx.lookup('DEFAULT', 'bantime')!;
    assert.deepEqual(readAnalysis(ctx).readIn(raw).sort(), ['dovecot', 'postfix']);
  });

  it('server files: [Definition] options, [Thread] only when present', () => {
    const ctx = context('[Definition]\nloglevel = %(lvl)s\nother = %(x)s\n', { kind: 'dms-server' });
    const errors = readAnalysis(ctx).errors.map((e) => [e.section, e.option]);
    assert.deepEqual(errors, [['Definition', 'loglevel']]);
  });
});

describe('effective values', () => {
  it('effectiveJail lists the options fail2ban reads with their origin', () => {
    const ctx = context('[postfix]\nbantime = 3h\n');
    const jail = effectiveJail(ctx, 'postfix');
    assert.equal(jail.enabled, true);
    const bantime = jail.options.find((o) => o.name === 'bantime');
    assert.equal(bantime?.value, '3h');
    assert.equal(bantime?.raw?.layer.origin, 'user');
    const maxretry = jail.options.find((o) => o.name === 'maxretry');
    assert.equal(maxretry?.value, '6');
    assert.equal(maxretry?.raw?.layer.origin, 'dms');
    assert.ok(!jail.options.some((o) => o.name === 'prefregex'), 'unset options without reader default are left out');
  });

  it('effectiveServer gives reader defaults for unset options', () => {
    const [definition] = effectiveServer(context('', { kind: 'server' }));
    const dbmaxmatches = definition.options.find((o) => o.name === 'dbmaxmatches');
    assert.equal(dbmaxmatches?.value, '10');
    const socket = definition.options.find((o) => o.name === 'socket');
    assert.equal(socket?.raw?.layer.origin, 'stock');
  });

  it('the report lists layers and every enabled jail, each value with its layer', () => {
    const report = effectiveConfigReport(context('[DEFAULT]\nbantime = 50%\n[sshd]\nenabled = false\n'));
    assert.match(report, /5\. \/etc\/fail2ban\/jail\.d\/user-jail\.local — fail2ban-jail\.cf/);
    assert.match(report, /3 enabled jail\(s\): postfix, dovecot, custom/);
    assert.match(report, /^\[dovecot\]$/m);
    assert.doesNotMatch(report, /^\[sshd\]$/m);
    assert.match(report, /^maxretry = 6 {4}; ← DMS jail\.local \(v16\) \[DEFAULT\]$/m);
    assert.match(report, /ERROR: '%' must be followed by '%' or '\(', found: '%'/);
  });

  it('exposes its internals only to this package', () => {
    const ctx = context('');
    assert.ok(contextInternals(ctx)?.config.sections.has('sshd'));
  });
});
