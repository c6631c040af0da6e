// Issue 14.3: values come with explanations — each filter mode says what it catches, DMS's own choice is marked
// as DMS's default (not fail2ban's), and section completion puts the jails that work in DMS first.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-types';
import { computeCompletion } from '../../../server/src/features/completion';
import { computeHover } from '../../../server/src/features/hover';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { DMS_RELEASES, FAIL2BAN_VERSIONS, FILTER_MODE_TEXTS, filterModes, filtersFor, dmsJailMode, type DmsJailLocal } from '../../../server/src/knowledge';
import { atCursor } from './fixture';

const ROOT = join(__dirname, '..', '..', '..');

function complete(fixture: string, options: FeatureOptions = { kind: 'dms-jail', dmsVersion: 'v15.1.0' }): CompletionItem[] {
  const { doc, position } = atCursor(fixture);
  return computeCompletion(doc, position, options);
}

const docText = (item: CompletionItem | undefined): string => (typeof item?.documentation === 'object' ? item.documentation.value : String(item?.documentation ?? ''));
const ordered = (items: CompletionItem[]): string[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

describe('filter modes explained', () => {
  it('explains every mode of every stock filter with modes, in every modelled fail2ban version', () => {
    const missing: string[] = [];
    for (const version of FAIL2BAN_VERSIONS) {
      for (const filter of filtersFor(version)) {
        for (const mode of filterModes(filter.name, version) ?? []) if (!FILTER_MODE_TEXTS[filter.name]?.[mode]) missing.push(`${version} ${filter.name}[mode=${mode}]`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('explains only modes the real filter files define (fail2ban 1.1.1 filter.d: mdre-<mode> or the mode comment)', () => {
    for (const [filter, modes] of Object.entries(FILTER_MODE_TEXTS)) {
      const text = readFileSync(join(ROOT, '.cache', 'fail2ban-1.1.1', 'etc', 'fail2ban', 'filter.d', `${filter}.conf`), 'utf8');
      for (const mode of Object.keys(modes)) {
        assert.match(text, new RegExp(`(?:-|\\b)${mode}\\b`), `${filter}.conf has no ${mode}`);
        assert.ok(filterModes(filter, '1.1.1')?.includes(mode), `${filter}[mode=${mode}] is a mode in 1.1.1`);
      }
    }
  });

  it('marks extra as DMS default and more as fail2ban default for [postfix], DMS default first', () => {
    const items = complete('[postfix]\nmode = |');
    const extra = items.find((i) => i.label === 'extra');
    const more = items.find((i) => i.label === 'more');
    assert.match(extra?.detail ?? '', /^DMS default — /);
    assert.doesNotMatch(extra?.detail ?? '', /fail2ban default/);
    assert.match(more?.detail ?? '', /^fail2ban default — /);
    assert.deepEqual(ordered(items).slice(0, 2), ['extra', 'more']);
    assert.match(docText(extra), /auth \+ normal/);
    assert.match(docText(extra), /DMS's jail\.local sets `mode = extra`/);
    assert.match(docText(items.find((i) => i.label === 'ddos')), /Connection abuse/);
    assert.match(docText(more), /source: fail2ban 1\.1\.0 filter\.d\/postfix\.conf/, 'v15.1.0 ships fail2ban 1.1.0');
  });

  it("takes DMS's mode from the release registry, and none outside DMS files or other jails", () => {
    const setMode = (jailLocal: DmsJailLocal): string | undefined => jailLocal.postfixMode;
    for (const release of DMS_RELEASES) assert.equal(dmsJailMode('postfix', release.name), setMode(release.jailLocal));
    assert.ok(DMS_RELEASES.some((r) => setMode(r.jailLocal) === 'extra'));
    assert.ok(DMS_RELEASES.some((r) => setMode(r.jailLocal) === undefined), 'old releases leave the stock mode');
    assert.doesNotMatch(complete('[postfix]\nmode = |', { kind: 'jail' }).find((i) => i.label === 'extra')?.detail ?? '', /DMS/);
    assert.doesNotMatch(complete('[dovecot]\nmode = |').map((i) => i.detail).join(' '), /DMS default/);
    assert.match(complete('[dovecot]\nmode = |').find((i) => i.label === 'normal')?.detail ?? '', /^fail2ban default/);
  });

  it('the hover on a mode says what it catches and both defaults', () => {
    const { doc, position } = atCursor('[postfix]\nmode = ex|tra\n');
    const hover = computeHover(doc, position, { kind: 'dms-jail', dmsVersion: 'v15.1.0' });
    const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(text, /Catches: auth \+ normal/);
    assert.match(text, /fail2ban default `more`, DMS default `extra`/);
  });
});

describe('section completion in a DMS file', () => {
  it("ranks DMS's jails, then jails that work in DMS, then the rest; marks jails whose log DMS lacks", () => {
    const items = complete('[|');
    const order = ordered(items);
    const rank = (name: string): number => order.indexOf(name);
    for (const jail of ['dovecot', 'postfix', 'custom']) assert.ok(rank(jail) < rank('recidive'), `${jail} (enabled by DMS) before recidive`);
    for (const jail of ['recidive', 'postfix-sasl', 'postfix-rbl']) {
      assert.ok(rank(jail) < rank('courier-smtp'), `${jail} before courier-smtp`);
      assert.match(items.find((i) => i.label === jail)?.detail ?? '', /^works in DMS/, jail);
    }
    assert.ok(rank('courier-smtp') < rank('sshd'));
    assert.match(items.find((i) => i.label === 'sshd')?.detail ?? '', /^DMS has no \/var\/log\/auth\.log/);
    assert.match(items.find((i) => i.label === 'sieve')?.detail ?? '', /DMS runs no sieve service/);
    assert.match(items.find((i) => i.label === 'dovecot')?.detail ?? '', /enabled by DMS v15\.1\.0/);
  });

  it('says a stock postfix jail needs backend = auto where fail2ban 1.1.1 puts it on the journal (DMS v16)', () => {
    const v16 = complete('[|', { kind: 'dms-jail', dmsVersion: 'v16' });
    assert.match(v16.find((i) => i.label === 'postfix-sasl')?.detail ?? '', /^works in DMS with backend = auto/);
    assert.match(v16.find((i) => i.label === 'recidive')?.detail ?? '', /^works in DMS — /);
    assert.match(complete('[|').find((i) => i.label === 'postfix-sasl')?.detail ?? '', /^works in DMS — /, 'fail2ban 1.1.0 (DMS v15.1.0) reads the file');
  });

  it('says nothing about DMS in a plain fail2ban jail file', () => {
    const items = complete('[|', { kind: 'jail' });
    assert.doesNotMatch(items.map((i) => i.detail ?? '').join('\n'), /DMS has no|works in DMS/);
  });
});
