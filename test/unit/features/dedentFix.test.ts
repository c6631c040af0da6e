// Issue 14.5: "Dedent this line" on `indented-line` makes the folded line an option (or section) of its own —
// and is not offered where the result would be a file fail2ban refuses (a duplicate option or section).
// The results are read by fail2ban 1.1.0's own configparser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-types';
import { computeCodeActions } from '../../../server/src/features/codeActions';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import { parseDocument } from '../../../server/src/parser/parse';
import { applyEdits } from '../../support/textEdits';
import { readWithFail2ban } from '../parser/pythonParser';

const URI = 'file:///dms/config/fail2ban-jail.cf';

function dedentOf(text: string): CodeAction | undefined {
  const doc = parseDocument(text);
  const diagnostics = computeDiagnostics(doc, { kind: 'dms-jail' });
  assert.ok(diagnostics.some((d) => d.code === 'indented-line'), `indented-line reported in ${JSON.stringify(text)}`);
  const whole = { start: { line: 0, character: 0 }, end: { line: doc.lines.length, character: 0 } };
  return computeCodeActions(doc, whole, diagnostics, URI).find((a) => a.title === 'Dedent this line');
}

const applied = (text: string, action: CodeAction | undefined): string => {
  assert.ok(action, `Dedent this line offered for ${JSON.stringify(text)}`);
  return applyEdits(text, action.edit?.changes?.[URI] ?? []);
};

describe('Dedent this line', () => {
  const offered: [string, string][] = [
    ['[postfix]\nenabled = true\n    maxretry = 3\n', '[postfix]\nenabled = true\nmaxretry = 3\n'],
    ['[postfix]\nenabled = true\n\tbantime = 1h\r\nfindtime = 1d\r\n', '[postfix]\nenabled = true\nbantime = 1h\r\nfindtime = 1d\r\n'],
    ['[postfix]\nenabled = true\n  [dovecot]\nenabled = true\n', '[postfix]\nenabled = true\n[dovecot]\nenabled = true\n'],
  ];

  it('turns the folded line into its own option or section', () => {
    for (const [before, after] of offered) {
      const text = applied(before, dedentOf(before));
      assert.equal(text, after);
      assert.ok(!computeDiagnostics(parseDocument(text), { kind: 'dms-jail' }).some((d) => d.code === 'indented-line'));
    }
  });

  it('is not offered where fail2ban would refuse the result', () => {
    assert.equal(dedentOf('[postfix]\nmaxretry = 5\nenabled = true\n    maxretry = 3\n'), undefined, 'a duplicate option');
    assert.equal(dedentOf('[postfix]\nenabled = true\n  [postfix]\n'), undefined, 'a duplicate section');
  });

  it('gives files fail2ban 1.1.0 reads, with the dedented option in its section', () => {
    const results = readWithFail2ban(offered.map(([before]) => applied(before, dedentOf(before))));
    for (const result of results) assert.equal(result.error, null);
    const postfix = Object.fromEntries(results[0].sections.find(([name]) => name === 'postfix')?.[1] ?? []);
    assert.equal(postfix.maxretry, '3');
    assert.deepEqual(results[2].sections.map(([name]) => name).filter((name) => name === 'dovecot'), ['dovecot']);
  });
});
