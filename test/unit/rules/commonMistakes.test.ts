// The ten most common mistakes in a DMS fail2ban-jail.cf: each message leads with what is wrong and the fix within
// its first 100 characters (what the Problems panel shows without truncation), then what fail2ban will do; Python
// internals (SyntaxError, int() with base 10, nested quotes of fail2ban's own texts) are only in the details.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCodeActions } from '../../../server/src/features/codeActions';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import { checkDocument } from '../../../server/src/engine';
import { parseDocument } from '../../../server/src/parser/parse';
import type { EngineDiagnostic } from '../../../server/src/types';
import { applyEdits } from '../../support/textEdits';

const DMS_JAIL = { kind: 'dms-jail', fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0' } as const;

/** Python's words that must not be in a message (they go to details). */
const PYTHON_INTERNALS = /SyntaxError|NameError|ValueError|TypeError|int\(\)|base 10|decimal literal|Traceback|'[^']*'[^']*'[^']*''/;

interface Mistake {
  name: string;
  text: string;
  code: string;
  /** The fix, as the message must state it within its first 100 characters. */
  fix: string;
  /** What the details must hold when the mistake has a Python/fail2ban internal text. */
  details?: RegExp;
}

export const COMMON_MISTAKES: readonly Mistake[] = [
  { name: 'enabled typo', text: '[postfix]\nenabled = ture\n', code: 'invalid-boolean', fix: "write 'true'" },
  { name: 'unit typo', text: '[postfix]\nbantime = 1hr\n', code: 'invalid-duration', fix: 'write h instead of hr', details: /SyntaxError: invalid decimal literal/ },
  { name: 'number in words', text: '[postfix]\nmaxretry = three\n', code: 'invalid-integer', fix: 'write 3', details: /int\(\).*base 10/ },
  { name: 'misspelt option', text: '[postfix]\nmaxretyr = 3\n', code: 'unknown-option', fix: "did you mean 'maxretry'?" },
  { name: 'mode typo', text: '[postfix]\nmode = extar\n', code: 'invalid-mode', fix: "did you mean 'extra'?", details: /No failure-id group in '<mdre-extar>'/ },
  { name: "'#' comment after a value", text: '[postfix]\nignoreip = 127.0.0.1/8 # office\n', code: 'inline-hash-comment', fix: "put the comment on its own line, or use ' ; '" },
  { name: 'bad address in ignoreip', text: '[DEFAULT]\nignoreip = 127.0.0.1/8 1.2.3.999\n', code: 'invalid-ip', fix: 'correct or remove it' },
  {
    name: 'log file that DMS does not have',
    text: '[dovecot]\nenabled = true\nlogpath = /var/log/dovecot.log\n',
    code: 'missing-log',
    fix: 'point logpath at a DMS log (/var/log/mail/mail.log)',
    details: /Have not found any log file for dovecot jail/,
  },
  { name: 'option set twice', text: '[postfix]\nmaxretry = 3\nmaxretry = 5\n', code: 'duplicate-option', fix: 'keep only one' },
  { name: 'half-written line', text: '[postfix]\nba\n', code: 'invalid-line', fix: "write it as 'name = value'", details: /Source contains parsing errors/ },
  { name: 'lone percent sign', text: '[postfix]\nbantime = 50%\n', code: 'invalid-interpolation', fix: "Write '%%' for a literal '%'", details: /'%' must be followed by '%' or '\('/ },
  { name: 'filter typo', text: '[postfix]\nfilter = postfx\n', code: 'unknown-filter', fix: "did you mean 'postfix'?", details: /Unable to read the filter 'postfx'/ },
];

function finding(mistake: Mistake): EngineDiagnostic {
  const found = checkDocument(mistake.text, DMS_JAIL).find((d) => d.code === mistake.code);
  assert.ok(found, `${mistake.name}: no ${mistake.code} in ${JSON.stringify(checkDocument(mistake.text, DMS_JAIL))}`);
  return found;
}

describe('messages of the most common mistakes', () => {
  for (const mistake of COMMON_MISTAKES) {
    it(`${mistake.name}: what is wrong and the fix first, Python internals only in details`, () => {
      const { message, details } = finding(mistake);
      assert.ok(message.slice(0, 100).includes(mistake.fix), `fix '${mistake.fix}' is not in the first 100 characters of: ${message}`);
      assert.match(message, /fail2ban/, `says what fail2ban does: ${message}`);
      assert.doesNotMatch(message, PYTHON_INTERNALS, message);
      if (mistake.details) assert.match(details ?? '', mistake.details);
    });
  }

  it('details reach the editor as related information on the same range', () => {
    const mistake = COMMON_MISTAKES.find((m) => m.code === 'invalid-duration') as Mistake;
    const uri = 'file:///srv/mail/docker-data/dms/config/fail2ban-jail.cf';
    const [diagnostic] = computeDiagnostics(parseDocument(mistake.text), { ...DMS_JAIL, documentUri: uri }).filter((d) => d.code === mistake.code);
    assert.deepEqual(diagnostic.relatedInformation, [{ location: { uri, range: diagnostic.range }, message: 'Python SyntaxError: invalid decimal literal' }]);
  });
});

describe('maxretry = three', () => {
  it('gets the quick fix 3, and the fixed file has no problem left', () => {
    const text = '[postfix]\nmaxretry = three\n';
    const uri = 'file:///srv/fail2ban-jail.cf';
    const doc = parseDocument(text);
    const diagnostics = computeDiagnostics(doc, { ...DMS_JAIL, documentUri: uri }).filter((d) => d.code === 'invalid-integer');
    assert.equal(diagnostics.length, 1);
    // through the code-action path, which only offers fixes that keep the file readable by fail2ban
    const actions = computeCodeActions(doc, diagnostics[0].range, diagnostics, uri);
    const fix = actions.find((a) => a.title === 'Change to 3');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyEdits(text, fix.edit?.changes?.[uri] ?? []);
    assert.equal(fixed, '[postfix]\nmaxretry = 3\n');
    assert.deepEqual(checkDocument(fixed, DMS_JAIL).filter((d) => d.severity === 'error'), []);
  });
});
