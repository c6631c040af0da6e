// Incremental re-checking (server/src/incremental.ts): over seeded random edits of a realistic jail file, the
// incremental result equals a full check after every edit, and an edit inside one jail re-checks that jail
// only (counted, not timed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userFilePath } from '../../../server/src/context';
import { checkParsed } from '../../../server/src/engine';
import { IncrementalChecker } from '../../../server/src/incremental';
import { reparse } from '../../../server/src/incrementalParse';
import { dmsJailLocal } from '../../../server/src/knowledge/dms';
import { parseDocument, type ParsedDocument } from '../../../server/src/parser/parse';
import type { CheckOptions } from '../../../server/src/types';
import { pick, seededRandom } from '../../support/random';

const OPTIONS: CheckOptions = { kind: 'dms-jail', fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0' };

function jail(index: number): string {
  return [
    `# custom jail ${index}`,
    `[guard-${index}]`,
    `enabled = ${index % 4 === 0 ? 'false' : 'true'}`,
    `filter = ${['postfix[mode=aggressive]', 'dovecot', 'postfx', 'sieve'][index % 4]}`,
    `port = smtp,465,submission`,
    `bantime = ${['1h', '1hr', '%(mytime)s', '10m'][index % 4]}`,
    `maxretry = ${index % 5 === 0 ? 'x' : String(index % 9 + 1)}`,
    `logpath = /var/log/mail/mail.log`,
    index % 3 === 0 ? `action = %(action_)s\n         nftables-multiport[name=g${index}, port="%(port)s"]` : `ignoreip = 127.0.0.1/8 10.0.0.${index}/33`,
    '',
  ].join('\n');
}

const BASE = `${dmsJailLocal('v15.1.0')}\n[DEFAULT]\nmytime = 2h\n\n${Array.from({ length: 24 }, (_, i) => jail(i + 1)).join('\n')}`;

const LINES = [
  'enabled = false',
  'enabled = true',
  'bantime = 1hr',
  'bantime = %(mytime)s',
  'filter = postfx',
  'filter = dovecot',
  '[sshd]',
  '[guard-3]',
  '[DEFAULT]',
  'port = %(myport)s',
  'logpath = %(postfix_log)s',
  'maxretry = six',
  'maxretyr = 3',
  '# dms-fail2ban-disable-next-line',
  '  continued value',
  'ignoreip = 1.2.3',
  'backend = systemd',
  'foo = %(guard-2/port)s',
  '',
  '; comment',
  'findtime = 10m ; window',
];

function check(checker: IncrementalChecker, text: string) {
  const doc = parseDocument(text, { fail2banPath: userFilePath(OPTIONS.kind) });
  return { incremental: checker.check(doc, OPTIONS), full: checkParsed(parseDocument(text, { fail2banPath: userFilePath(OPTIONS.kind) }), OPTIONS) };
}

describe('incremental re-checking', () => {
  it('equals a full check after every one of 150 seeded random edits', () => {
    const next = seededRandom(2026);
    const checker = new IncrementalChecker();
    let lines = BASE.split('\n');
    for (let step = 0; step < 150; step++) {
      const at = Math.floor(next() * lines.length);
      const what = next();
      if (what < 0.5) lines[at] = pick(next, LINES);
      else if (what < 0.8) lines.splice(at, 0, pick(next, LINES));
      else lines.splice(at, 1);
      const text = lines.join('\n');
      const { incremental, full } = check(checker, text);
      assert.deepEqual(incremental, full, `step ${step}: line ${at}`);
      if (step % 50 === 49) lines = BASE.split('\n'); // back to the start now and then: large jumps too
    }
  });

  for (const seed of [12, 2027, 31337]) {
    it(`as the language server runs it (re-parsed documents, reuse by the edit's lines) equals a full check over 200 seeded random edit sequences (seed ${seed})`, () => {
      const next = seededRandom(seed);
      const checker = new IncrementalChecker();
      const parseOptions = { fail2banPath: userFilePath(OPTIONS.kind) };
      let lines = BASE.split('\n');
      let doc: ParsedDocument = parseDocument(BASE, parseOptions);
      assert.deepEqual(checker.check(doc, OPTIONS), checkParsed(doc, OPTIONS));
      let byEdit = 0;
      let partial = 0;
      for (let step = 0; step < 200; step++) {
        // one to three line edits between checks (typing several lines before the editor asks again)
        const edits = 1 + Math.floor(next() * 3);
        const at = Math.floor(next() * lines.length);
        for (let i = 0; i < edits; i++) {
          const line = Math.min(lines.length, Math.max(0, at + Math.floor(next() * 5) - 2));
          const what = next();
          if (what < 0.4) lines[line] = pick(next, LINES);
          else if (what < 0.55) lines[line] = (lines[line] ?? '') + pick(next, ['1', 'x', ' ', 'h']);
          else if (what < 0.8) lines.splice(line, 0, pick(next, LINES));
          else lines.splice(line, 1);
        }
        const text = lines.join('\n');
        doc = reparse(doc, text, parseOptions).doc;
        const incremental = checker.check(doc, OPTIONS);
        assert.deepEqual(incremental, checkParsed(parseDocument(text, parseOptions), OPTIONS), `seed ${seed}, step ${step}`);
        if (checker.lastUsedEdit) byEdit++;
        if (checker.lastRechecked < doc.sections.length) partial++;
        if (step % 50 === 49) lines = BASE.split('\n');
      }
      assert.equal(byEdit, 200, 'every check after a re-parse finds the reusable sections from the edit');
      // many of the edited lines change the document key (headers, references, [DEFAULT]): those re-check everything
      assert.ok(partial >= 20, `only ${partial} of 200 checks re-checked part of the document`);
    });
  }

  it('an edit inside one jail re-checks that jail only; a [DEFAULT] edit re-checks every section', () => {
    const checker = new IncrementalChecker();
    const first = check(checker, BASE);
    const sections = parseDocument(BASE).sections;
    // [DEFAULT] and [INCLUDES] are re-checked every time (their findings speak of all jails)
    const always = sections.filter((section) => section.name === 'DEFAULT' || section.name === 'INCLUDES').length;
    assert.equal(always, 2);
    assert.equal(checker.lastRechecked, sections.length);
    assert.deepEqual(first.incremental, first.full);

    const edited = BASE.replace('[guard-7]\nenabled = true', '[guard-7]\nenabled = false');
    assert.notEqual(edited, BASE);
    const afterJailEdit = check(checker, edited);
    assert.equal(checker.lastRechecked, always + 1);
    assert.deepEqual(afterJailEdit.incremental, afterJailEdit.full);

    const inserted = edited.replace('# custom jail 3\n', '# custom jail 3\n# one more line above: later jails move down\n');
    const afterInsert = check(checker, inserted);
    assert.equal(checker.lastRechecked, always + 1, 'only the jail whose text changed (the line belongs to [guard-3]: lines between sections go with the next one)');
    assert.deepEqual(afterInsert.incremental, afterInsert.full);

    const afterDefaultEdit = check(checker, inserted.replace('mytime = 2h', 'mytime = 3h'));
    assert.equal(checker.lastRechecked, sections.length);
    assert.deepEqual(afterDefaultEdit.incremental, afterDefaultEdit.full);

    check(checker, inserted);
    const unchanged = check(checker, inserted);
    assert.equal(checker.lastRechecked, always);
    assert.deepEqual(unchanged.incremental, unchanged.full);
  });

  it('after a re-parse, an edit inside one jail re-checks that jail only, found from the edit lines (no text compared)', () => {
    const checker = new IncrementalChecker();
    const parseOptions = { fail2banPath: userFilePath(OPTIONS.kind) };
    const sections = parseDocument(BASE).sections.length;
    const always = 2;
    let doc = parseDocument(BASE, parseOptions);
    checker.check(doc, OPTIONS);
    assert.equal(checker.lastRechecked, sections);
    let text = BASE;
    for (const [from, to] of [
      ['[guard-7]\nenabled = true', '[guard-7]\nenabled = false'], // same lines
      ['[guard-7]\nenabled = false', '[guard-7]\nenabled = false\nfindtime = 1h'], // one more: later jails move
      ['# custom jail 9\n', ''], // one less, in the lines before a jail (they belong to it)
    ]) {
      const edited = text.replace(from, to);
      assert.notEqual(edited, text);
      text = edited;
      doc = reparse(doc, edited, parseOptions).doc;
      const incremental = checker.check(doc, OPTIONS);
      assert.equal(checker.lastUsedEdit, true);
      assert.equal(checker.lastRechecked, always + 1);
      assert.deepEqual(incremental, checkParsed(parseDocument(edited, parseOptions), OPTIONS));
    }
    // a document the checker did not see before it: sections found by their texts
    const unrelated = parseDocument(text.replace('[guard-9]\nenabled = true', '[guard-9]\nenabled = false'), parseOptions);
    checker.check(unrelated, OPTIONS);
    assert.equal(checker.lastUsedEdit, false);
    assert.equal(checker.lastRechecked, always + 1);
  });
});
