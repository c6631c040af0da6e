// Engine: rule isolation, suppression comments, severity overrides, ordering, de-duplication, bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBytes, checkDocument, checkWithRules, suppressions } from '../../../server/src/engine';
import { parseDocument } from '../../../server/src/parser/parse';
import { allRuleMeta, allRules, ruleMeta } from '../../../server/src/rules';
import type { Rule } from '../../../server/src/rules/rule';
import { SHARED_CODES } from '../../../server/src/rules/sharedCodes';
import type { CheckOptions, EngineDiagnostic, Range } from '../../../server/src/types';

const DMS_JAIL = { kind: 'dms-jail' } as const;

function lineRange(line: number, start = 0, end = start + 1): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A rule with the codes `declared` reporting `code` on each listed line, for engine mechanics. */
function fakeRule(code: string, lines: number[], declared: readonly string[] = [code], name = `fake-${code}`): Rule {
  return {
    name,
    codes: Object.fromEntries(declared.map((c) => [c, { defaultSeverity: 'warning', description: c, docs: c, outcome: 'style' }])),
    check(ctx) {
      for (const line of lines) ctx.report({ code, range: lineRange(line), message: `${code} on ${line}` });
    },
  };
}

function codesAndLines(diagnostics: EngineDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`);
}

/** Options that collect the engine's log lines. */
function logged(): { options: CheckOptions; lines: string[] } {
  const lines: string[] = [];
  return { options: { ...DMS_JAIL, documentUri: 'file:///work/fail2ban-jail.cf', log: (line) => void lines.push(line) }, lines };
}

describe('rule isolation', () => {
  const crashing: Rule = {
    name: 'crashing',
    codes: { crashes: { defaultSeverity: 'error', description: '', docs: '', outcome: 'fatal' } },
    check(ctx) {
      ctx.report({ code: 'crashes', range: lineRange(0), message: 'half-done' });
      throw new Error('boom');
    },
  };

  it('a crashing rule reports nothing, is logged with its name, codes and document, and the others still report', () => {
    const doc = parseDocument('[DEFAULT]\nbantime = 1h\n');
    const { options, lines } = logged();
    const result = checkWithRules(doc, options, [crashing, fakeRule('fine', [1])]);
    assert.deepEqual(codesAndLines(result), ['1:fine:warning']);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /rule 'crashing' \(codes crashes\) on file:\/\/\/work\/fail2ban-jail\.cf failed/);
    assert.match(lines[0], /boom/);
  });

  it('real rules still report beside a crashing rule', () => {
    const doc = parseDocument('[DEFAULT]\nbantime = 50%\n');
    const { options, lines } = logged();
    const codes = checkWithRules(doc, options, [crashing, ...allRules]).map((d) => d.code);
    assert.ok(codes.includes('invalid-interpolation'), codes.join());
    assert.equal(lines.length, 1);
  });

  it('drops and logs a report of a code the rule did not declare', () => {
    const doc = parseDocument('[DEFAULT]\nx = 1\n');
    const { options, lines } = logged();
    const result = checkWithRules(doc, options, [fakeRule('stray', [1], ['declared']), fakeRule('fine', [1])]);
    assert.deepEqual(codesAndLines(result), ['1:fine:warning']);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /rule 'fake-stray' \(codes declared\).*undeclared code 'stray'/);
  });

  it('the real rules report only codes they declare', () => {
    const text = [
      '[DEFAULT]', 'bantime = 50%', 'ignoreip = 1.2.3.4/99 file:/x', 'backend = gamin', '[postfix]', 'enabled = ture',
      'filter = postfix[mode=nope', 'action = nosuch', '   nosuch', 'maxretry = three', 'findtime = -5', '[Postfx]', 'enabled = true',
    ].join('\n');
    const { options, lines } = logged();
    assert.ok(checkDocument(text, options).length > 5);
    assert.deepEqual(lines, []);
  });
});

describe('switched-off rules', () => {
  it('does not run a rule whose codes are all off, and runs it while one code is on', () => {
    let runs = 0;
    const counted: Rule = { ...fakeRule('a', [1], ['a', 'b']), check: () => void runs++ };
    const doc = parseDocument('[DEFAULT]\nx = 1\n');
    checkWithRules(doc, { ...DMS_JAIL, rules: { a: 'off', b: 'off' } }, [counted]);
    assert.equal(runs, 0);
    checkWithRules(doc, { ...DMS_JAIL, rules: { a: 'off' } }, [counted]);
    assert.equal(runs, 1);
  });

  it('filters the reports of a code that is off while the rule runs for its other codes', () => {
    const doc = parseDocument('[DEFAULT]\nx = 1\n');
    const both: Rule = {
      ...fakeRule('a', [], ['a', 'b']),
      check(ctx) {
        ctx.report({ code: 'a', range: lineRange(1), message: 'a' });
        ctx.report({ code: 'b', range: lineRange(1), message: 'b' });
      },
    };
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { a: 'off' } }, [both])), ['1:b:warning']);
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

  it('changes or turns off each code of a multi-code rule', () => {
    const rules = [fakeRule('a', [1]), fakeRule('a-second', [1], ['a-first', 'a-second'])];
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { a: 'error' } }, rules)), [
      '1:a:error',
      '1:a-second:warning',
    ]);
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { 'a-second': 'off' } }, rules)), ['1:a:warning']);
    assert.deepEqual(codesAndLines(checkWithRules(doc, { ...DMS_JAIL, rules: { 'a-first': 'off', a: 'hint' } }, rules)), [
      '1:a:hint',
      '1:a-second:warning',
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

  it('has unique rule names, sorted metadata', () => {
    const names = allRules.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length, 'duplicate rule names');
    const listed = allRuleMeta().map((meta) => meta.code);
    assert.deepEqual(listed, [...listed].sort((a, b) => a.localeCompare(b)));
  });

  it('declares a code in two rules only as the same shared entry (rules/sharedCodes.ts)', () => {
    const shared = new Set<unknown>(Object.values(SHARED_CODES));
    const owner = new Map<string, Rule>();
    for (const rule of allRules) {
      for (const [code, meta] of Object.entries(rule.codes)) {
        const first = owner.get(code);
        if (first) assert.ok(first.codes[code] === meta && shared.has(meta), `${code}: declared by '${first.name}' and '${rule.name}'`);
        else owner.set(code, rule);
      }
    }
    for (const code of Object.keys(SHARED_CODES)) {
      const users = allRules.filter((rule) => Object.hasOwn(rule.codes, code)).map((rule) => rule.name);
      assert.ok(users.length >= 2, `${code} is shared but declared only by ${users.join()}`);
    }
  });

  it('has no placeholder rules: every rule has a check body and at least one code', () => {
    for (const rule of allRules) {
      assert.ok(Object.keys(rule.codes).length > 0, rule.name);
      assert.doesNotMatch(rule.check.toString(), /^\(?\)?\s*=>\s*\{\s*\}$|^check\(\)\s*\{\s*\}$/, rule.name);
    }
  });
});
