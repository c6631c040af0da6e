import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ConfigDocument, OptionNode, ParseProblem } from '../../../server/src/parser/model';
import { parseDocument } from '../../../server/src/parser/parse';
import type { Range } from '../../../server/src/types';

function textAt(doc: ConfigDocument, range: Range): string {
  assert.equal(range.start.line, range.end.line, 'single-line range');
  return doc.lines[range.start.line].slice(range.start.character, range.end.character);
}

function option(doc: ConfigDocument, section: string, name: string): OptionNode {
  const found = doc.sections.filter((s) => s.name === section).flatMap((s) => s.options).find((o) => o.name === name);
  assert.ok(found, `option ${section}/${name}`);
  return found;
}

function codes(problems: ParseProblem[]): string[] {
  return problems.map((p) => `${p.code}@${p.range.start.line + 1}`);
}

describe('parseDocument: sections and options', () => {
  it('reads sections in order, keeping the case and spaces of their names', () => {
    const doc = parseDocument('[DEFAULT]\nbantime = 1h\n[Postfix]\n[ postfix ]\n');
    assert.deepEqual(doc.sections.map((s) => s.name), ['DEFAULT', 'Postfix', ' postfix ']);
    assert.deepEqual(doc.problems, []);
  });

  it('lower-cases option names and keeps the key as written', () => {
    const doc = parseDocument('[postfix]\nMaxRetry = 7\n');
    const maxretry = option(doc, 'postfix', 'maxretry');
    assert.equal(maxretry.key, 'MaxRetry');
    assert.equal(textAt(doc, maxretry.keyRange), 'MaxRetry');
    assert.equal(maxretry.value, '7');
  });

  it('keeps ranges for key, delimiter, value, inline comment, header and trailing text', () => {
    const doc = parseDocument('[a] junk ; note\n  bantime  :  1h ; one hour\n');
    const section = doc.sections[0];
    assert.equal(textAt(doc, section.nameRange), 'a');
    assert.equal(textAt(doc, section.headerRange), '[a] junk');
    assert.equal(section.trailing?.text, 'junk');
    const bantime = option(doc, 'a', 'bantime');
    assert.equal(textAt(doc, bantime.delimiterRange), ':');
    assert.equal(bantime.delimiter, ':');
    assert.equal(textAt(doc, bantime.valueRange), '1h');
    assert.equal(bantime.lines[0].inlineComment?.text, '; one hour');
    assert.equal(textAt(doc, bantime.lines[0].inlineComment!.range), '; one hour');
    assert.equal(bantime.indent, 2);
    assert.deepEqual(bantime.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 16 } });
    assert.deepEqual(section.range, { start: { line: 0, character: 0 }, end: { line: 1, character: 16 } });
  });

  it('keeps quotes and # in values; only " ;" starts an inline comment', () => {
    const doc = parseDocument('[a]\nx = "3"\ny = 1 # c\nz = auto;\n');
    assert.equal(option(doc, 'a', 'x').value, '"3"');
    assert.equal(option(doc, 'a', 'y').value, '1 # c');
    assert.equal(option(doc, 'a', 'z').value, 'auto;');
  });

  it('gives an empty value an empty range at the line end', () => {
    const doc = parseDocument('[a]\nx =\n');
    const x = option(doc, 'a', 'x');
    assert.equal(x.value, '');
    assert.deepEqual(x.lines[0].range, { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } });
    assert.deepEqual(x.valueRange, x.lines[0].range);
  });

  it('lets [DEFAULT] repeat, merging its options', () => {
    const doc = parseDocument('[DEFAULT]\na = 1\n[x]\n[DEFAULT]\nb = 2\n');
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.sections.filter((s) => s.name === 'DEFAULT').length, 2);
  });

  it('collects full-line comments, including those inside values', () => {
    const doc = parseDocument('# top\n[a]\nx = 1\n   ; inside\n  y\n');
    assert.deepEqual(doc.comments.map((c) => c.text), ['# top', '; inside']);
    assert.equal(option(doc, 'a', 'x').value, '1\ny');
  });
});

describe('parseDocument: multi-line values', () => {
  it('joins continuation lines with \\n, stripped', () => {
    const doc = parseDocument('[a]\nfailregex = ^one\n\t^two  \n     ^three\nnext = 1\n');
    const failregex = option(doc, 'a', 'failregex');
    assert.equal(failregex.value, '^one\n^two\n^three');
    assert.deepEqual(failregex.lines.map((l) => l.text), ['^one', '^two', '^three']);
    assert.equal(textAt(doc, failregex.lines[1].range), '^two');
    assert.deepEqual(failregex.range.end, { line: 3, character: 11 });
    assert.deepEqual(failregex.valueRange, { start: { line: 1, character: 12 }, end: { line: 3, character: 11 } });
  });

  it('starts the value with \\n when the key line has no value', () => {
    const doc = parseDocument('[a]\nlogpath =\n  /var/log/mail.log\n');
    const logpath = option(doc, 'a', 'logpath');
    assert.equal(logpath.value, '\n/var/log/mail.log');
    assert.deepEqual(logpath.valueRange.start, { line: 2, character: 2 });
  });

  it('keeps blank lines only when more value lines follow', () => {
    const doc = parseDocument('[a]\nx = 1\n\n  \n  y\n\n\nz = 2\n');
    const x = option(doc, 'a', 'x');
    assert.equal(x.value, '1\n\n\ny');
    assert.deepEqual(x.lines.map((l) => l.text), ['1', '', '', 'y']);
    assert.equal(x.range.end.line, 4);
  });

  it('drops comment lines and inline comments from values', () => {
    const doc = parseDocument('[a]\nx = 1\n# gone\n  2 ; gone too\n');
    assert.equal(option(doc, 'a', 'x').value, '1\n2');
  });

  it('continues a value after a line configparser rejects', () => {
    const doc = parseDocument('[a]\nx = 1\nnot an option\n  2\n');
    assert.equal(option(doc, 'a', 'x').value, '1\n2');
    assert.deepEqual(codes(doc.problems), ['invalid-line@3']);
  });

  it('reads CRLF and CR files like LF files', () => {
    for (const eol of ['\r\n', '\r']) {
      const doc = parseDocument(['[a]', 'x = 1', '  2', 'y = 3'].join(eol));
      assert.equal(option(doc, 'a', 'x').value, '1\n2');
      assert.equal(option(doc, 'a', 'y').value, '3');
    }
  });
});

describe('parseDocument: problems', () => {
  it('reports a line without delimiter, quoting configparser', () => {
    const doc = parseDocument('[postfix]\nmaxretry 3\n');
    assert.deepEqual(codes(doc.problems), ['invalid-line@2']);
    assert.match(doc.problems[0].message, /^Line is not 'key = value': write it as 'name = value'.*does not start/);
    assert.match(doc.problems[0].details ?? '', /Source contains parsing errors: '<file>' \[line {2}2\]: 'maxretry 3\\n'/);
    assert.equal(textAt(doc, doc.problems[0].range), 'maxretry 3');
  });

  it('uses the path fail2ban reads in quoted messages when given', () => {
    const doc = parseDocument('[a]\nbad', { fail2banPath: '/etc/fail2ban/jail.d/user-jail.local' });
    assert.match(doc.problems[0].details ?? '', /'\/etc\/fail2ban\/jail\.d\/user-jail\.local' \[line {2}2\]: 'bad'/);
  });

  it('reports an empty key', () => {
    const doc = parseDocument('[a]\n= 3\n');
    assert.deepEqual(codes(doc.problems), ['invalid-line@2']);
    assert.deepEqual(doc.sections[0].options, []);
  });

  it('reports [] as an invalid line inside a section', () => {
    assert.deepEqual(codes(parseDocument('[a]\n[]\n').problems), ['invalid-line@2']);
  });

  it('reports only the first line before any section header', () => {
    const doc = parseDocument('# comment\n\nmaxretry = 3\nbantime = 1h\n[a]\nx = 1\n');
    assert.deepEqual(codes(doc.problems), ['missing-section-header@3']);
    assert.match(doc.problems[0].message, /File contains no section headers\. file: '<file>', line: 3 'maxretry = 3\\n'/);
    assert.equal(option(doc, 'a', 'x').value, '1');
  });

  it('reports [] or garbage before any header as a missing header', () => {
    assert.deepEqual(codes(parseDocument('[]\n[a]\n').problems), ['missing-section-header@1']);
    assert.deepEqual(codes(parseDocument('  junk\n[a]\n').problems), ['missing-section-header@1']);
  });

  it('reports a UTF-8 BOM and reads the rest as if it were absent', () => {
    const doc = parseDocument('\ufeff[Definition]\nloglevel = INFO\n');
    assert.equal(doc.hasBom, true);
    assert.deepEqual(codes(doc.problems), ['utf8-bom@1']);
    assert.match(doc.problems[0].message, /File contains no section headers.*'\\ufeff\[Definition\]\\n'/);
    assert.equal(doc.sections[0].name, 'Definition');
    assert.deepEqual(doc.sections[0].nameRange.start, { line: 0, character: 2 });
    assert.equal(option(doc, 'Definition', 'loglevel').value, 'INFO');
  });

  it('reports a duplicate section with the first one as related', () => {
    const doc = parseDocument('[postfix]\nx = 1\n\n[postfix]\ny = 2\n');
    assert.deepEqual(codes(doc.problems), ['duplicate-section@4']);
    assert.deepEqual(doc.problems[0].related, doc.sections[0].nameRange);
    assert.match(doc.problems[0].message, /While reading from '<file>' \[line {2}4\]: section 'postfix' already exists/);
    assert.equal(doc.sections.length, 2);
  });

  it('finds every repeated name among thousands of sections, each related to its first occurrence', () => {
    // enough names to grow the parser's name table many times over; names that differ only at the end or in length
    const names = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `s${String(i).padStart(6, '0')}` : i % 3 === 1 ? `jail-${i}` : 'x'.repeat(1 + (i % 40)) + i));
    const repeated = [names[0], names[1234], names[2999], 'DEFAULT', names[17]]; // (one [DEFAULT]: it may repeat anyway)
    const doc = parseDocument([...names, ...repeated].map((name) => `[${name}]\nenabled = true\n`).join(''));
    const firstLine = (name: string) => names.indexOf(name) * 2 + 1;
    const expected = repeated.filter((name) => name !== 'DEFAULT').map((name) => `duplicate-section@${(names.length + repeated.indexOf(name)) * 2 + 1}`);
    assert.deepEqual(codes(doc.problems), expected);
    for (const problem of doc.problems) {
      const name = doc.sections[problem.range.start.line / 2].name;
      assert.equal(problem.related?.start.line, firstLine(name) - 1, name);
    }
  });

  it('does not confuse sections differing in case', () => {
    assert.deepEqual(parseDocument('[postfix]\n[Postfix]\n').problems, []);
  });

  it('reports a duplicate option case-insensitively, also across [DEFAULT] blocks', () => {
    const doc = parseDocument('[postfix]\nmaxretry = 3\nMaxRetry = 4\n');
    assert.deepEqual(codes(doc.problems), ['duplicate-option@3']);
    assert.deepEqual(doc.problems[0].related, doc.sections[0].options[0].keyRange);
    assert.match(doc.problems[0].message, /option 'maxretry' in section 'postfix' already exists/);
    const defaults = parseDocument('[DEFAULT]\nx = 1\n[a]\nx = 2\n[DEFAULT]\nX = 3\n');
    assert.deepEqual(codes(defaults.problems), ['duplicate-option@6']);
  });

  it('reports a second empty key as a duplicate of option "" (configparser stores it)', () => {
    assert.deepEqual(codes(parseDocument('[a]\n= 1\n= 2\n').problems), ['invalid-line@2', 'invalid-line@3', 'duplicate-option@3']);
  });

  it('warns about an indented header or option that becomes part of a value', () => {
    const doc = parseDocument('[sshd]\nport = ssh\n  enabled = true\n\n  [postfix]\n');
    assert.deepEqual(codes(doc.problems), ['indented-line@3', 'indented-line@5']);
    assert.match(doc.problems[0].message, /value of 'port' \(line 2\)/);
    assert.match(doc.problems[1].message, /not a new \[section\] header/);
    assert.equal(option(doc, 'sshd', 'port').value, 'ssh\nenabled = true\n\n[postfix]');
    assert.equal(doc.sections.length, 1);
  });

  it('does not warn for parameter lists or regex lines spanning lines', () => {
    const doc = parseDocument(
      '[a]\naction = nftables[name=x,\n         port=smtp]\n         sendmail[dest=me]\nfailregex = ^x\n            [[]client <HOST>[]]\n',
    );
    assert.deepEqual(doc.problems, []);
  });

  it('accepts an indented header after a section line or a comment at the top', () => {
    assert.deepEqual(parseDocument('  # c\n  [a]\n  x = 1\n[b]\n    [c]\n').problems, []);
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\n', '[', ']', '=', ':', ';', '\ufeff', '\ud800', '[a]\n\ud800=\udfff', '\r\r\r', '\x00']) {
      assert.doesNotThrow(() => parseDocument(text), JSON.stringify(text));
    }
  });
});
