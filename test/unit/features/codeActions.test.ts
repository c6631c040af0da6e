import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { computeCodeActions } from '../../../server/src/features/codeActions';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { parseDocument } from '../../../server/src/parser/parse';
import { pick, seededRandom } from '../../support/random';
import { applyEdits } from '../../support/textEdits';
import { offsetAt } from './fixture';

const URI = 'file:///dms/config/fail2ban-jail.cf';
const JAIL: FeatureOptions = { kind: 'dms-jail' };

function actionsFor(text: string, options: FeatureOptions = JAIL): { diagnostics: Diagnostic[]; actions: CodeAction[] } {
  const doc = parseDocument(text);
  const diagnostics = computeDiagnostics(doc, options);
  const whole = { start: { line: 0, character: 0 }, end: { line: doc.lines.length, character: 0 } };
  return { diagnostics, actions: computeCodeActions(doc, whole, diagnostics, URI) };
}

function apply(text: string, action: CodeAction | undefined): string {
  assert.ok(action, 'code action exists');
  return applyEdits(text, action.edit?.changes?.[URI] ?? []);
}

const codes = (text: string, options: FeatureOptions = JAIL): string[] => computeDiagnostics(parseDocument(text), options).map((d) => String(d.code));

describe('code actions', () => {
  it('offers every fix the engine carries, with the preferred flag', () => {
    const text = '[postfix]\nbantime = 1hr\n';
    const { actions } = actionsFor(text);
    const fix = actions.find((a) => a.title === "Change to 'h'");
    assert.equal(fix?.isPreferred, true);
    assert.equal(apply(text, fix), '[postfix]\nbantime = 1h\n');
    assert.ok(!codes(apply(text, fix)).includes('invalid-duration'));
  });

  it("escapes a lone '%' as '%%'", () => {
    const text = '[DEFAULT]\nbantime = 50%\n';
    const { actions } = actionsFor(text);
    const fixed = apply(text, actions.find((a) => /%%/.test(a.title)));
    assert.equal(fixed, '[DEFAULT]\nbantime = 50%%\n');
  });

  it("turns a '#' pseudo-comment into ';' or moves it to its own line", () => {
    const text = '[postfix]\nenabled = true\nignoreip = 127.0.0.1/8 # office\n';
    const { actions } = actionsFor(text);
    assert.equal(apply(text, actions.find((a) => a.title === "Use ';' for the inline comment")), '[postfix]\nenabled = true\nignoreip = 127.0.0.1/8 ; office\n');
    const moved = apply(text, actions.find((a) => a.title === 'Move the comment to its own line'));
    assert.equal(moved, '[postfix]\nenabled = true\n# office\nignoreip = 127.0.0.1/8\n');
    assert.ok(!codes(moved).includes('inline-hash-comment'));
  });

  it('removes a duplicate option (with its continuation lines) and a duplicate section', () => {
    const text = '[postfix]\nmaxretry = 3\nmaxretry = 5\n  \nbantime = 1h\n';
    const { actions } = actionsFor(text);
    const fixed = apply(text, actions.find((a) => a.title === "Remove the duplicate 'maxretry'"));
    assert.equal(fixed, '[postfix]\nmaxretry = 3\n  \nbantime = 1h\n');
    assert.ok(!codes(fixed).includes('duplicate-option'));
    const sections = '[postfix]\nenabled = true\n[postfix]\nmode = extra\n';
    const removed = apply(sections, actionsFor(sections).actions.find((a) => /duplicate section/.test(a.title)));
    assert.equal(removed, '[postfix]\nenabled = true\n');
  });

  it("never renames a key onto one the section already sets: 'Remove this line' (with continuation lines) instead", () => {
    const text = '[postfix]\nbantime = 1h\nbantme = 2h\n  3h\nmaxretry = 3\n';
    const titles = actionsFor(text).actions.map((a) => a.title);
    assert.ok(!titles.includes("Change to 'bantime'"), titles.join(', '));
    const removed = apply(text, actionsFor(text).actions.find((a) => a.title.startsWith('Remove this line')));
    assert.equal(removed, '[postfix]\nbantime = 1h\nmaxretry = 3\n');
    assert.deepEqual(parseDocument(removed).problems, []);
    // without the existing key the rename is offered as before
    assert.ok(actionsFor('[postfix]\nbantme = 2h\n').actions.some((a) => a.title === "Change to 'bantime'"));
  });

  it('never renames a section onto an existing one', () => {
    const server = '[Definition]\nloglevel = INFO\n[Defintion]\ndbpurgeage = 1d\n';
    const titles = actionsFor(server, { kind: 'dms-server' }).actions.map((a) => a.title);
    assert.ok(!titles.includes("Change to 'Definition'"), titles.join(', '));
    assert.ok(actionsFor('[Defintion]\ndbpurgeage = 1d\n', { kind: 'dms-server' }).actions.some((a) => a.title === "Change to 'Definition'"));
  });

  it('inserts a suppression comment that silences exactly that diagnostic', () => {
    const text = '[postfix]\nbantime = 1hr\n';
    const { actions } = actionsFor(text);
    const fixed = apply(text, actions.find((a) => a.title === 'Disable invalid-duration for this line'));
    assert.equal(fixed, '[postfix]\n# dms-fail2ban-disable-next-line invalid-duration\nbantime = 1hr\n');
    assert.ok(!codes(fixed).includes('invalid-duration'));
  });

  it('ignores diagnostics of other sources and outside the range', () => {
    const doc = parseDocument('[postfix]\nbantime = 1hr\n');
    const foreign: Diagnostic = { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 13 } }, message: 'x', source: 'other', code: 'invalid-duration' };
    assert.deepEqual(computeCodeActions(doc, foreign.range, [foreign], URI), []);
  });
});

// Property: applying any offered quick fix changes only the text inside its edit spans, and a preferred
// fix makes its own diagnostic disappear.
const MISTAKES = [
  'bantime = 1hr',
  'findtime = 10 mins',
  'enabled = ture',
  'ignoreip = 127.0.0.1/8 # home',
  'maxretry = "3"',
  'bantime = 50%',
  'MaxRetry = 4',
  'usedns = maybe',
  'action = nftables [port=25]',
  'banaction = nftables-allport',
  'filter = postfx',
  'mode = agressive',
  'bantime.multipliers = 1  2 4',
  'backend = Polling',
  'logpath = /var/log/mail/mail.log  tail',
];
const BENIGN = ['# a comment', '', 'port = smtp,465', 'bantime = 1w', 'findtime = 1d', 'maxretry = 6'];
const SECTIONS = ['DEFAULT', 'postfix', 'dovecot', 'custom', 'recidive', 'sshd'];

function randomJail(next: () => number): string {
  const lines: string[] = [];
  const used = new Set<string>();
  for (let s = 0; s < 1 + Math.floor(next() * 3); s++) {
    let name = pick(next, SECTIONS);
    while (used.has(name)) name = pick(next, SECTIONS);
    used.add(name);
    lines.push(`[${name}]`);
    if (name !== 'DEFAULT' && next() < 0.5) lines.push('enabled = true');
    for (let i = 0; i < 1 + Math.floor(next() * 4); i++) lines.push(next() < 0.6 ? pick(next, MISTAKES) : pick(next, BENIGN));
  }
  return lines.join('\n') + '\n';
}

describe('code actions: property', () => {
  it('fixes change only their own spans, and preferred fixes remove their diagnostic', () => {
    const next = seededRandom(2024);
    let checked = 0;
    for (let round = 0; round < 60; round++) {
      const text = randomJail(next);
      const { actions } = actionsFor(text);
      for (const action of actions) {
        const edits = action.edit?.changes?.[URI] ?? [];
        if (edits.length === 0) continue;
        const fixed = applyEdits(text, edits);
        const first = Math.min(...edits.map((e) => offsetAt(text, e.range.start)));
        const last = Math.max(...edits.map((e) => offsetAt(text, e.range.end)));
        const tail = text.length - last;
        assert.equal(fixed.slice(0, first), text.slice(0, first), `${action.title}: text before the fix kept`);
        assert.equal(fixed.slice(fixed.length - tail), text.slice(last), `${action.title}: text after the fix kept`);
        if (action.isPreferred) {
          const target = action.diagnostics?.[0];
          assert.ok(target);
          const again = computeDiagnostics(parseDocument(fixed), JAIL);
          const still = again.filter((d) => d.code === target.code && d.range.start.line === target.range.start.line && d.range.start.character === target.range.start.character);
          assert.equal(still.length, 0, `${action.title} in:\n${text}\nstill reports ${String(target.code)}: ${still.map((d) => d.message).join('; ')}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} fixes checked`);
  });
});

// Inserted line breaks follow the document: a '\n' inserted into a CRLF file leaves a mixed file, and into a
// CR-only file it joins two lines differently than the editor shows them.
describe('code actions: line endings', () => {
  const documentWith = (lineBreak: string) => ['[postfix]', 'enabled = true', 'failregex = ^my <HOST>$', ''].join(lineBreak);

  for (const [name, lineBreak] of [['CRLF', '\r\n'], ['CR-only', '\r']] as const) {
    it(`the failregex-replaces fix inserts ${name} line breaks into a ${name} document`, () => {
      const text = documentWith(lineBreak);
      const { actions } = actionsFor(text);
      const fix = actions.find((a) => a.title.startsWith("Keep the filter's regexes"));
      const fixed = apply(text, fix);
      assert.equal(fixed, ['[postfix]', 'enabled = true', 'failregex = %(known/failregex)s', '            ^my <HOST>$', ''].join(lineBreak));
      const option = parseDocument(fixed).sections[0].options.find((o) => o.name === 'failregex');
      assert.equal(option?.value, '%(known/failregex)s\n^my <HOST>$');
    });

    it(`every action inserts only ${name} line breaks into a ${name} document`, () => {
      const next = seededRandom(77);
      let inserted = 0;
      for (let round = 0; round < 40; round++) {
        const text = randomJail(next).replace(/\n/g, lineBreak) + `[dovecot]${lineBreak}failregex = ^x <HOST>$${lineBreak}`;
        for (const action of actionsFor(text).actions) {
          for (const edit of action.edit?.changes?.[URI] ?? []) {
            const breaks = edit.newText.match(/\r\n|\r|\n/g) ?? [];
            inserted += breaks.length;
            assert.deepEqual(breaks.filter((b) => b !== lineBreak), [], `${action.title} inserts ${JSON.stringify(edit.newText)}`);
          }
        }
      }
      assert.ok(inserted > 20, `only ${inserted} inserted line breaks seen`);
    });
  }
});
