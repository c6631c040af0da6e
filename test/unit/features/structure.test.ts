import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDefinition } from '../../../server/src/features/definition';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import { computeEffectiveConfig } from '../../../server/src/features/effectiveConfig';
import { computeFoldingRanges } from '../../../server/src/features/folding';
import { computeInlayHints } from '../../../server/src/features/inlayHints';
import { computeDocumentSymbols } from '../../../server/src/features/symbols';
import { parseDocument } from '../../../server/src/parser/parse';
import { atCursor } from './fixture';

const JAIL_TEXT = [
  '# DMS overrides',
  '# second comment line',
  '[DEFAULT]',
  'myports = 25,587',
  '',
  '[postfix]',
  'enabled = true',
  'port = %(myports)s',
  'failregex = %(known/failregex)s',
  '            ^extra <HOST>$',
  'bantime = 604800',
  '',
  '[custom]',
  'bantime = 1d',
  '',
].join('\n');

describe('document symbols', () => {
  it('lists sections with their options', () => {
    const symbols = computeDocumentSymbols(parseDocument(JAIL_TEXT));
    assert.deepEqual(symbols.map((s) => s.name), ['DEFAULT', 'postfix', 'custom']);
    assert.deepEqual(symbols[1].children?.map((c) => c.name), ['enabled', 'port', 'failregex', 'bantime']);
    assert.equal(symbols[1].children?.[2].range.end.line, 9, 'a multi-line option spans its continuation line');
    assert.equal(symbols[1].children?.[2].detail, '%(known/failregex)s');
  });
});

describe('folding ranges', () => {
  it('folds sections (without trailing blank lines), multi-line values and comment blocks', () => {
    const ranges = computeFoldingRanges(parseDocument(JAIL_TEXT)).map((r) => [r.startLine, r.endLine, r.kind ?? '']);
    assert.deepEqual(ranges.sort(), [[0, 1, 'comment'], [12, 13, ''], [2, 3, ''], [5, 10, ''], [8, 9, '']].sort());
  });
});

describe('go to definition', () => {
  it('jumps from %(var)s to its option in this file ([DEFAULT] fallback, sect/opt)', () => {
    const { doc, position } = atCursor('[DEFAULT]\nmyports = 25\n[postfix]\nport = %(mypo|rts)s\n');
    assert.deepEqual(computeDefinition(doc, position, 'file:///x/fail2ban-jail.cf'), [
      { uri: 'file:///x/fail2ban-jail.cf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } } },
    ]);
    const sect = atCursor('[a]\nv = 1\n[b]\nw = %(a/|v)s\n');
    assert.equal(computeDefinition(sect.doc, sect.position, 'u')[0]?.range.start.line, 1);
    const own = atCursor('[DEFAULT]\nv = 1\n[b]\nv = 2\nw = %(|v)s\n');
    assert.equal(computeDefinition(own.doc, own.position, 'u')[0]?.range.start.line, 3, 'the section wins over [DEFAULT]');
    const known = atCursor('[b]\nport = %(known/po|rt)s\n');
    assert.deepEqual(computeDefinition(known.doc, known.position, 'u'), [], 'known/ values live in stock files');
  });
});

describe('inlay hints', () => {
  it('reads plain-second durations aloud, only for time options', () => {
    const doc = parseDocument('[postfix]\nbantime = 604800\nfindtime = 1w\nmaxretry = 604800\nbantime.maxtime = -1\n');
    const hints = computeInlayHints(doc, { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } }, { kind: 'dms-jail' });
    assert.deepEqual(hints.map((h) => [h.position.line, h.position.character, h.label]), [
      [1, 16, '1 week'],
      [4, 20, 'permanent'],
    ]);
    const server = parseDocument('[Definition]\ndbpurgeage = 86400\n');
    assert.deepEqual(computeInlayHints(server, { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } }, { kind: 'dms-server' }).map((h) => h.label), ['1 day']);
  });
});

describe('diagnostics conversion', () => {
  it('carries source, code, docs link and fixes', () => {
    const [diagnostic] = computeDiagnostics(parseDocument('[postfix]\nbantime = 1hr\n'), { kind: 'dms-jail' });
    assert.equal(diagnostic.source, 'dms-fail2ban');
    assert.equal(diagnostic.code, 'invalid-duration');
    assert.equal(diagnostic.severity, 1);
    assert.match(diagnostic.codeDescription?.href ?? '', /^file:\/\/.*\/docs\/rules\/invalid-duration\.md$/);
    assert.equal((diagnostic.data as { fixes: unknown[] }).fixes.length, 1);
  });

  it('applies severity settings', () => {
    const diagnostics = computeDiagnostics(parseDocument('[postfix]\nbantime = 1hr\n'), { kind: 'dms-jail', rules: { 'invalid-duration': 'off' } });
    assert.ok(!diagnostics.some((d) => d.code === 'invalid-duration'));
  });
});

describe('effective configuration', () => {
  it('shows every enabled jail with merged, interpolated values and their layers', () => {
    const { text } = computeEffectiveConfig(parseDocument('[postfix]\nmode = aggressive\n'), { kind: 'dms-jail' });
    assert.match(text, /\[postfix\]/);
    assert.match(text, /filter = postfix\[mode=aggressive\]/);
    assert.match(text, /bantime = 1w\s+; ← DMS jail\.local \(v16\) \[DEFAULT\]/);
    assert.match(text, /\[custom\]/);
    assert.doesNotMatch(text, /\[sshd\]/);
  });
});
