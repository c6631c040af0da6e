// Re-parsing after an edit (server/src/incrementalParse.ts): over seeded random edit sequences the result equals
// a full parse exactly, and an edit inside one jail parses that jail's lines only (counted, not timed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reparse } from '../../../server/src/incrementalParse';
import { dmsJailLocal } from '../../../server/src/knowledge/dms';
import { parseDocument, type ParsedDocument } from '../../../server/src/parser/parse';
import { pick, seededRandom } from '../../support/random';

const OPTIONS = { fail2banPath: '/etc/fail2ban/jail.d/user-jail.local' };

function jail(index: number): string {
  return [
    `# custom jail ${index}`,
    `[guard-${index}]`,
    `enabled = ${index % 4 === 0 ? 'false' : 'true'}`,
    `filter = ${['postfix[mode=aggressive]', 'dovecot', 'postfx', 'sieve'][index % 4]}`,
    `port = smtp,465,submission`,
    `bantime = ${['1h', '1hr', '%(mytime)s', '10m'][index % 4]}`,
    index % 7 === 0 ? 'no delimiter here' : `maxretry = ${index % 9 + 1}`,
    index % 5 === 0 ? 'maxretry = 2' : `logpath = /var/log/mail/mail.log`,
    index % 3 === 0 ? `action = %(action_)s\n         nftables-multiport[name=g${index}, port="%(port)s"]` : `ignoreip = 127.0.0.1/8 ; local`,
    '',
  ].join('\n');
}

const BASE = `${dmsJailLocal('v15.1.0')}\n[DEFAULT]\nmytime = 2h\n\n${Array.from({ length: 24 }, (_, i) => jail(i + 1)).join('\n')}`;

/** Lines an edit puts in: headers (new, repeated, indented), options, continuations, blanks, comments, junk. */
const LINES = [
  'enabled = false',
  'bantime = 1hr',
  'filter = postfx',
  '[sshd]',
  '[guard-3]',
  '[DEFAULT]',
  '  [indented]',
  '[new-jail] trailing',
  'maxretry = six',
  'maxretry = 3',
  '  continued value',
  '    port = 25',
  'no delimiter',
  ' = empty key',
  '',
  '   ',
  '; comment',
  '# dms-fail2ban-disable-next-line',
  'findtime = 10m ; window',
  'action = a[x=1,',
  '  y=2]',
];

function edit(next: () => number, lines: string[]): void {
  const at = Math.floor(next() * lines.length);
  const what = next();
  if (what < 0.3) lines[at] = pick(next, LINES);
  else if (what < 0.45) lines[at] = lines[at].slice(0, Math.floor(next() * (lines[at].length + 1))) + pick(next, ['x', ' ', '=', ']', '[']);
  else if (what < 0.7) lines.splice(at, 0, pick(next, LINES));
  else if (what < 0.85) lines.splice(at, 1);
  else lines.splice(at, 0, pick(next, LINES), pick(next, LINES), pick(next, LINES));
}

describe('re-parsing after an edit', () => {
  it('equals a full parse after character edits that make, join and split \\r, \\n and \\r\\n line breaks anywhere', () => {
    const next = seededRandom(1312);
    const pieces = ['\r', '\n', '\r\n', 'x', ' = 1', '[j]', 'port = 25', '\n[k]\nenabled = true\n', '  more'];
    // long enough that whole 4096-character chunks of the start and end are compared as well
    let text = `[DEFAULT]\r\nbantime = 1h\n${Array.from({ length: 400 }, (_, i) => `[jail-${i}]\r\nenabled = true\rport = ${i}\n`).join('')}`;
    let previous: ParsedDocument = parseDocument(text, OPTIONS);
    let compared = 0;
    for (let step = 0; step < 400; step++) {
      // now and then just after a \r: a \n there makes one line break of two
      const afterReturn = text.indexOf('\r', Math.floor(next() * text.length)) + 1;
      const at = afterReturn > 0 && next() < 0.3 ? afterReturn : Math.floor(next() * (text.length + 1));
      const removed = Math.floor(next() * 3);
      text = text.slice(0, at) + (next() < 0.7 ? pick(next, pieces) : '') + text.slice(at + removed);
      const outcome = reparse(previous, text, OPTIONS);
      assert.deepEqual(outcome.doc, parseDocument(text, OPTIONS), `step ${step}`);
      previous = outcome.doc;
      compared++;
    }
    assert.equal(compared, 400);
  });

  for (const seed of [2026, 7, 99]) {
    it(`equals a full parse after every one of 300 seeded random edits (seed ${seed})`, () => {
      const next = seededRandom(seed);
      let lines = BASE.split('\n');
      let previous: ParsedDocument = parseDocument(BASE, OPTIONS);
      let partial = 0;
      for (let step = 0; step < 300; step++) {
        edit(next, lines);
        const text = lines.join(next() < 0.1 ? '\r\n' : '\n');
        const outcome = reparse(previous, text, OPTIONS);
        assert.deepEqual(outcome.doc, parseDocument(text, OPTIONS), `seed ${seed}, step ${step}`);
        if (!outcome.full) partial++;
        previous = outcome.doc;
        if (step % 100 === 99) lines = BASE.split('\n');
      }
      // a quarter of the edited lines are headers (renames fall back to a full parse): the partial path must still be exercised
      assert.ok(partial >= 100, `only ${partial} of 300 edits re-parsed partially`);
    });
  }

  it('an edit inside one jail parses that jail only; moved jails after it are copies, earlier ones the same objects', () => {
    const before = parseDocument(BASE, OPTIONS);
    const guard7 = before.sections.find((section) => section.name === 'guard-7')!;
    const jailLines = guard7.range.end.line - guard7.range.start.line + 1;
    const sameLines = reparse(before, BASE.replace('[guard-7]\nenabled = true', '[guard-7]\nenabled = false'), OPTIONS);
    assert.equal(sameLines.full, false);
    assert.ok(sameLines.linesParsed <= jailLines + 2, `${sameLines.linesParsed} lines parsed`);
    const index = before.sections.indexOf(guard7);
    assert.equal(sameLines.doc.sections[index - 1], before.sections[index - 1]);
    assert.equal(sameLines.doc.sections[index + 1], before.sections[index + 1], 'nothing moved: later sections reused');

    const inserted = reparse(before, BASE.replace('[guard-7]\nenabled = true', '[guard-7]\nenabled = true\nfindtime = 1h'), OPTIONS);
    assert.equal(inserted.full, false);
    assert.equal(inserted.doc.sections[index - 1], before.sections[index - 1]);
    assert.notEqual(inserted.doc.sections[index + 1], before.sections[index + 1], 'moved down: a copy');
    assert.deepEqual(inserted.doc, parseDocument(inserted.doc.text, OPTIONS));

    const defaultEdit = reparse(before, BASE.replace('mytime = 2h', 'mytime = 3h'), OPTIONS);
    assert.equal(defaultEdit.full, true, '[DEFAULT] blocks share their option names: parsed whole');
  });
});
