// Issue 14.4: problems on the line being typed wait TYPING_HOLD_MS after the last keystroke; the clock is a
// plain variable, so nothing here depends on timers or the machine's speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import { changedLines, TYPING_HOLD_MS, TypingHold } from '../../../server/src/features/typingHold';
import { parseDocument } from '../../../server/src/parser/parse';

const URI = 'file:///srv/dms/config/fail2ban-jail.cf';

function diagnosticsOf(text: string) {
  return computeDiagnostics(parseDocument(text), { kind: 'dms-jail' });
}

/** A document typed key by key: every change goes through the hold, as the server's change handler does. */
function typist(start: string) {
  let clock = 1_000;
  const hold = new TypingHold(() => clock);
  let text = start;
  hold.textChanged(URI, text, { opened: true });
  return {
    hold,
    type(more: string, afterMs = 50) {
      clock += afterMs;
      text += more;
      hold.textChanged(URI, text);
    },
    wait(ms: number) {
      clock += ms;
    },
    shown() {
      return hold.apply(URI, diagnosticsOf(text));
    },
    codesShown() {
      return this.shown().shown.map((d) => `${d.range.start.line}:${String(d.code)}`);
    },
  };
}

describe('typing hold', () => {
  it('finds the lines an edit touched', () => {
    assert.deepEqual(changedLines('a\nb\nc', 'a\nbx\nc'), { from: 1, to: 1 });
    assert.deepEqual(changedLines('a\nb\nc', 'a\nb\n\nc'), { from: 2, to: 2 }, 'Enter at the end of b');
    assert.deepEqual(changedLines('a\nb\nc', 'a\nc'), { from: 1, to: 1 }, 'a deleted line');
    assert.deepEqual(changedLines('a', 'a\nb\nc\nd'), { from: 1, to: 3 }, 'a paste');
    assert.equal(changedLines('a\nb', 'a\nb'), undefined);
  });

  it('finds the same lines as comparing every line of both texts, over seeded random edits of short and long texts', () => {
    /** The lines of `after` that differ from `before`, by splitting both texts whole (the definition). */
    const reference = (before: string, after: string) => {
      if (before === after) return undefined;
      const old = before.split(/\r\n|\r|\n/);
      const now = after.split(/\r\n|\r|\n/);
      let head = 0;
      while (head < old.length && head < now.length && old[head] === now[head]) head++;
      let tail = 0;
      while (tail < old.length - head && tail < now.length - head && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
      const from = Math.min(head, now.length - 1);
      return { from, to: Math.max(from, now.length - 1 - tail) };
    };
    let seed = 12;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    // few distinct characters and repeated lines: common leading and trailing lines overlap often
    const pieces = ['a', 'b', '\n', '\n', '\r', '\r\n', 'ab\n', '\n\n'];
    const textOf = (length: number) => Array.from({ length }, () => pieces[random(pieces.length)]).join('');
    let compared = 0;
    for (let round = 0; round < 3000; round++) {
      // long texts (over the 4096 characters compared at a time) now and then
      const before = round % 50 === 0 ? textOf(3000 + random(2000)) : textOf(random(30));
      const at = random(before.length + 1);
      const removed = random(4);
      const after = before.slice(0, at) + textOf(random(4)) + before.slice(Math.min(before.length, at + removed));
      assert.deepEqual(changedLines(before, after), reference(before, after), JSON.stringify({ before: before.slice(0, 200), after: after.slice(0, 200), at, removed }));
      compared++;
    }
    assert.equal(compared, 3000);
  });

  it('holds the "not key = value" error of a half-typed line until typing pauses', () => {
    const editor = typist('[postfix]\nenabled = true\n');
    editor.type('b');
    editor.type('a');
    assert.ok(diagnosticsOf('[postfix]\nenabled = true\nba').some((d) => d.range.start.line === 2 && d.severity === 1), 'the engine does report the half-typed line');
    const early = editor.shown();
    assert.deepEqual(early.shown.filter((d) => d.range.start.line === 2), [], 'nothing on the typed line yet');
    assert.equal(early.releaseInMs, TYPING_HOLD_MS);
    editor.wait(TYPING_HOLD_MS - 1);
    assert.equal(editor.shown().releaseInMs, 1);
    editor.wait(1);
    const due = editor.shown();
    assert.equal(due.releaseInMs, undefined);
    assert.ok(due.shown.some((d) => d.range.start.line === 2), 'shown once the typing paused');
  });

  it('never takes away a problem already shown on the line, and never holds other lines', () => {
    const editor = typist('[postfix]\nbantime = 2 weaks\n');
    editor.type('b');
    editor.wait(TYPING_HOLD_MS);
    const before = editor.codesShown();
    assert.ok(before.some((c) => c.startsWith('1:')), `the bad bantime on line 1 is shown: ${before.join(', ')}`);
    assert.ok(before.some((c) => c.startsWith('2:')), 'the typed line, after the pause');
    editor.type('a');
    const typing = editor.codesShown();
    assert.ok(typing.some((c) => c.startsWith('1:')), 'another line is never held');
    assert.ok(typing.some((c) => c.startsWith('2:')), 'the same problem on the typed line stays visible');
  });

  it('holds nothing after a paste of several lines or a freshly opened document', () => {
    const opened = typist('[postfix]\nba\n');
    assert.ok(opened.codesShown().some((c) => c.startsWith('1:')), 'an opened file shows its problems at once');
    const paste = typist('[postfix]\n');
    paste.type('ba\ncd\nef\n');
    assert.equal(paste.shown().releaseInMs, undefined);
    assert.ok(paste.codesShown().some((c) => c.startsWith('1:')));
  });

  it('shows the held problem at once when the typing moves to another line', () => {
    const editor = typist('[postfix]\nba');
    editor.type('x');
    assert.ok(!editor.codesShown().some((c) => c.startsWith('1:')));
    editor.type('\n');
    editor.type('enabled = true');
    assert.ok(editor.codesShown().some((c) => c.startsWith('1:')), 'the line left behind is not held any more');
  });

  it('forgets a closed document', () => {
    const editor = typist('[postfix]\n');
    editor.type('b');
    editor.hold.forget(URI);
    assert.equal(editor.hold.apply(URI, diagnosticsOf('[postfix]\nb')).releaseInMs, undefined);
  });
});
