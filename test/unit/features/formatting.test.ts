import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeFormatting, formatText } from '../../../server/src/features/formatting';
import { parseDocument } from '../../../server/src/parser/parse';
import { pick, seededRandom } from '../../support/random';

describe('formatting', () => {
  it('normalises spacing around the delimiter only', () => {
    const text = '[postfix]\n  port  =  smtp ; inline\nenabled=true\nbantime   =\t1w\nmaxretry:3\nfailregex=\n   ^a <HOST>$ = x\nlogpath =\n';
    assert.equal(formatText(text), '[postfix]\n  port = smtp ; inline\nenabled = true\nbantime = 1w\nmaxretry : 3\nfailregex =\n   ^a <HOST>$ = x\nlogpath =\n');
  });

  it("never puts a space before a value that starts with ';' (it would become a comment)", () => {
    assert.equal(formatText('[Definition]\nallowipv6=;auto\n'), '[Definition]\nallowipv6 =;auto\n');
    assert.equal(parseDocument(formatText('[Definition]\nallowipv6=;auto\n')).sections[0].options[0].value, ';auto');
  });

  it('keeps CRLF line endings and edits nothing when already formatted', () => {
    assert.equal(formatText('[a]\r\nx=1\r\n'), '[a]\r\nx = 1\r\n');
    assert.deepEqual(computeFormatting(parseDocument('[a]\nx = 1\n# c=d\n')), []);
  });
});

// Property test: random documents (sections, options with odd spacing and both delimiters, continuation
// lines, comments, blank and invalid lines, CR/LF/CRLF). Formatting must be idempotent, change only
// whitespace around delimiters on key lines, and leave what fail2ban reads unchanged.
const KEYS = ['enabled', 'bantime', 'MaxRetry', 'failregex', 'ignoreip', 'action', 'x', 'bantime.increment', 'my key'];
const VALUES = ['true', '1w', '', ';starts-with-semicolon', 'a ; comment', 'a;b', 'x = y', 'a # b', '%(known/port)s,2525', 'v:w', '  padded  '];
const SPACES = ['', ' ', '  ', '\t', ' \t '];

function randomDocument(next: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 25);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.15) lines.push(`${pick(next, ['', ' '])}[${pick(next, ['DEFAULT', 'postfix', 'Definition', 'a b'])}]${pick(next, ['', ' junk'])}`);
    else if (roll < 0.25) lines.push(`${pick(next, ['', '  '])}${pick(next, ['#', ';'])} comment = not an option`);
    else if (roll < 0.32) lines.push(pick(next, ['', '   ', '\t']));
    else if (roll < 0.45) lines.push(`${pick(next, ['  ', '\t', '        '])}continued${pick(next, SPACES)}=${pick(next, SPACES)}value`);
    else if (roll < 0.5) lines.push(pick(next, ['no delimiter here', '= empty key']));
    else {
      const indent = next() < 0.15 ? pick(next, [' ', '  ']) : '';
      const delimiter = next() < 0.8 ? '=' : ':';
      lines.push(`${indent}${pick(next, KEYS)}${pick(next, SPACES)}${delimiter}${pick(next, SPACES)}${pick(next, VALUES)}`);
    }
  }
  const eol = pick(next, ['\n', '\r\n', '\n', '\r']);
  return lines.join(eol) + (next() < 0.7 ? eol : '');
}

/** What fail2ban reads: sections with their options' names and values, plus the parser's problem codes. */
function reading(text: string): unknown {
  const doc = parseDocument(text);
  return {
    sections: doc.sections.map((s) => ({ name: s.name, options: s.options.map((o) => [o.name, o.value, o.lines.length]) })),
    problems: doc.problems.map((p) => [p.code, p.range.start.line]),
    comments: doc.comments.map((c) => c.text),
  };
}

describe('formatting: property', () => {
  it('is idempotent, changes only whitespace around delimiters, and keeps what fail2ban reads', () => {
    const next = seededRandom(42);
    let changed = 0;
    for (let round = 0; round < 500; round++) {
      const text = randomDocument(next);
      const once = formatText(text);
      assert.equal(formatText(once), once, `not idempotent for ${JSON.stringify(text)}`);
      assert.deepEqual(reading(once), reading(text), `reading changed for ${JSON.stringify(text)}`);
      const before = text.split(/\r\n|\r|\n/);
      const after = once.split(/\r\n|\r|\n/);
      assert.equal(after.length, before.length, 'line count kept');
      assert.equal(once.replace(/[^\r\n]/g, ''), text.replace(/[^\r\n]/g, ''), 'line terminators kept');
      const keyLines = new Set(parseDocument(text).sections.flatMap((s) => s.options.map((o) => o.keyRange.start.line)));
      for (let i = 0; i < before.length; i++) {
        if (before[i] === after[i]) continue;
        changed++;
        assert.ok(keyLines.has(i), `only key lines change (line ${i} of ${JSON.stringify(text)})`);
        assert.equal(after[i].replace(/[ \t]/g, ''), before[i].replace(/[ \t]/g, ''), 'only whitespace changes');
        const at = (line: string) => line.search(/[=:]/);
        assert.equal(after[i].slice(0, at(after[i])).trimEnd(), before[i].slice(0, at(before[i])).trimEnd(), 'indent and key kept');
        assert.equal(after[i].slice(at(after[i]) + 1).trimStart(), before[i].slice(at(before[i]) + 1).trimStart(), 'value text kept');
      }
    }
    assert.ok(changed > 200, `only ${changed} lines were reformatted`);
  });
});
