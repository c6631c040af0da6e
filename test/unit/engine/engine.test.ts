// Engine: rule isolation, suppression comments, severity overrides, ordering, de-duplication, bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBytes, checkDocument, checkWithRules, suppressions } from '../../../server/src/engine';
import { parseDocument } from '../../../server/src/parser/parse';
import { allRuleMeta, allRules, ruleMeta } from '../../../server/src/rules';
import type { Rule } from '../../../server/src/rules/rule';
import type { EngineDiagnostic, Range } from '../../../server/src/types';

const DMS_JAIL = { kind: 'dms-jail' } as const;

function lineRange(line: number, start = 0, end = start + 1): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A rule reporting `code` on each listed line (optionally a sibling code), for engine mechanics. */
function fakeRule(code: string, lines: number[], extra: Partial<Rule['meta']> = {}, sibling?: string): Rule {
  return {
    meta: { code, defaultSeverity: 'warning', description: code, docs: code, outcome: 'style', ...extra },
    check(ctx) {
      for (const line of lines) ctx.report({ range: lineRange(line), message: `${code} on ${line}`, ...(sibling ? { code: sibling } : {}) });
    },
  };
}

function codesAndLines(diagnostics: EngineDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`);
}

describe('rule isolation', () => {
  it('a crashing rule reports nothing and the others still run', () => {
    const crashing: Rule = {
      meta: { code: 'crashes', defaultSeverity: 'error', description: '', docs: '', outcome: 'fatal' },
      check(ctx) {
        ctx.report({ range: lineRange(0), message: 'half-done' });
        throw new Error('boom');
      },
    };
    const doc = parseDocument('[DEFAULT]\nbantime = 1h\n');
    const result = checkWithRules(doc, DMS_JAIL, [crashing, fakeRule('fine', [1])]);
    assert.deepEqual(codesAndLines(result), ['1:fine:warning']);
  });
});

describe('suppression comments', () => {
  const text = [
    '[DEFAULT]', // 0
    '# dms-fail2ban-disable-next-line a', // 1
    'x = 1', // 2  a suppressed, b kept
    '; dms-fail2ban-disable-next-line a, b -- both are fine here', // 3
    'y = 2', // 4  both suppressed
    '# dms-fail2ban-disable-next-line', // 5
    'z = 3', // 6  all suppressed
    'w = 4', // 7  nothing suppressed
  ].join('\n');
  const doc = parseDocument(text);
  const rules = [fakeRule('a', [2, 4, 6, 7]), fakeRule('b', [2, 4, 6, 7])];

  it('parses codes, comma lists, reasons and bare comments', () => {
    const byLine = suppressions(doc);
    assert.deepEqual([...(byLine.get(2) ?? [])], ['a']);
    assert.deepEqual([...(byLine.get(4) ?? [])].sort(), ['a', 'b']);
    assert.equal(byLine.get(6)?.size, 0);
    assert.equal(byLine.has(7), false);
  });

  it('drops exactly the suppressed diagnostics', () => {
    assert.deepEqual(codesAndLines(checkWithRules(doc, DMS_JAIL, rules)), ['2:b:warning', '7:a:warning', '7:b:warning']);
  });

  it('works with real rules through checkDocument', () => {
    const plain = '[DEFAULT]\nbantime = 50%\n';
    assert.ok(checkDocument(plain, DMS_JAIL).some((d) => d.code === 'invalid-interpolation'));
    const suppressed = '[DEFAULT]\n# dms-fail2ban-disable-next-line invalid-interpolation\nbantime = 50%\n';
    assert.ok(!checkDocument(suppressed, DMS_JAIL).some((d) => d.code === 'invalid-interpolation'));
  });
});

describe('severity overrides', () => {
  const doc = parseDocument('[DEFAULT]\nx = 1\n');

  it('changes or turns off a code, including sibling codes a rule reports', () => {
    const rules = [fakeRule('a', [1]), fakeRule('parent', [1], {}, 'a-sibling'), fakeRule('a-sibling', [])];
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { a: 'error' } }, rules)), [
      '1:a:error',
      '1:a-sibling:warning',
    ]);
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { 'a-sibling': 'off' } }, rules)), ['1:a:warning']);
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { parent: 'off', a: 'hint' } }, rules)), [
      '1:a:hint',
      '1:a-sibling:warning',
    ]);
  });

  it('overrides a report-level severity too', () => {
    const text = '[sshd]\naction = %(nosuch)s\n'; // unread → warning by default
    assert.equal(checkDocument(text, DMS_JAIL).find((d) => d.code === 'undefined-variable')?.severity, 'warning');
    const overridden = checkDocument(text, { ...DMS_JAIL, rules: { 'undefined-variable': 'information' } });
    assert.equal(overridden.find((d) => d.code === 'undefined-variable')?.severity, 'information');
  });
});

describe('ordering and de-duplication', () => {
  it('sorts by position and removes exact duplicates', () => {
    const doc = parseDocument('[DEFAULT]\nx = 1\ny = 2\n');
    const result = checkWithRules(doc, DMS_JAIL, [fakeRule('z', [2, 1]), fakeRule('z', [1]), fakeRule('a', [2])]);
    assert.deepEqual(codesAndLines(result), ['1:z:warning', '2:a:warning', '2:z:warning']);
  });
});

describe('bytes and parser problems', () => {
  it('reports invalid UTF-8 and still checks the rest', () => {
    const bytes = Buffer.concat([Buffer.from('[DEFAULT]\nx = caf'), Buffer.from([0xe9]), Buffer.from('\nbantime = 5%\n')]);
    const codes = checkBytes(bytes, DMS_JAIL).map((d) => `${d.range.start.line}:${d.code}`);
    assert.ok(codes.includes('1:invalid-encoding'), codes.join());
    assert.ok(codes.includes('2:invalid-interpolation'), codes.join());
  });

  it('maps every parser problem to its structure rule', () => {
    const text = '\ufeff[DEFAULT]\nbantime 1h\n[postfix]\nmaxretry = 1\nMaxRetry = 2\n[postfix]\n';
    const codes = new Set(checkDocument(text, DMS_JAIL).map((d) => d.code));
    for (const code of ['utf8-bom', 'invalid-line', 'duplicate-option', 'duplicate-section']) assert.ok(codes.has(code), code);
    assert.ok(checkDocument('bantime = 1h\n', DMS_JAIL).some((d) => d.code === 'missing-section-header' && d.severity === 'error'));
  });
});

describe('registry', () => {
  it('registers the engine-owned codes with metadata', () => {
    for (const code of [
      'missing-section-header', 'utf8-bom', 'invalid-line', 'duplicate-section', 'duplicate-option', 'indented-line',
      'invalid-encoding', 'invalid-interpolation', 'undefined-variable', 'unknown-section-reference', 'interpolation-recursion',
    ]) {
      const meta = ruleMeta(code);
      assert.ok(meta, code);
      assert.ok(meta.description.length > 0 && meta.docs.length > 0, code);
    }
  });

  it('has unique codes, sorted metadata', () => {
    const codes = allRules.map((rule) => rule.meta.code);
    assert.equal(new Set(codes).size, codes.length, 'duplicate rule codes');
    const listed = allRuleMeta().map((meta) => meta.code);
    assert.deepEqual(listed, [...listed].sort((a, b) => a.localeCompare(b)));
  });
});
