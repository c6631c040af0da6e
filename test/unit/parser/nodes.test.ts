// The model nodes (server/src/parser/parse.ts) keep numbers and build their ranges when asked: every range, text
// and name they give must be what the tokenizer says of that line on its own, over tricky and seeded random files;
// ranges are plain objects (they go to LSP as they are), built once; moved() copies move every line.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ConfigDocument, OptionNode, SectionNode } from '../../../server/src/parser/model';
import { OptionNodeImpl, parseDocument, VALUE_HAS_HASH, VALUE_HAS_PERCENT, VALUE_HAS_REFERENCE, VALUE_HAS_SEMICOLON } from '../../../server/src/parser/parse';
import { tokenizeLine } from '../../../server/src/parser/tokenize';
import type { Range } from '../../../server/src/types';
import { pick, seededRandom } from '../../support/random';

function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function tokenOf(doc: ConfigDocument, line: number) {
  return tokenizeLine(doc.lines[line], line, line === 0 && doc.hasBom ? 1 : 0);
}

/** A range as consumers need it: a plain object, the same one on every read. */
function assertPlain(read: () => Range, what: string): void {
  const range = read();
  assert.equal(Object.getPrototypeOf(range), Object.prototype, what);
  assert.deepEqual(Object.keys(range), ['start', 'end'], what);
  assert.deepEqual(Object.keys(range.start), ['line', 'character'], what);
  assert.deepEqual(JSON.parse(JSON.stringify(range)), range, what);
  assert.equal(read(), range, `${what}: built once`);
}

function checkOption(doc: ConfigDocument, option: OptionNode, where: string): void {
  const line = option.keyRange.start.line;
  const text = doc.lines[line];
  const token = tokenOf(doc, line);
  assert.equal(token.kind, 'option', where);
  assert.equal(option.kind, 'option', where);
  assert.equal(option.key, text.slice(token.nameStart, token.nameEnd), where);
  assert.equal(option.name, option.key.toLowerCase(), where);
  assert.equal(option.indent, token.indent, where);
  assert.deepEqual(option.keyRange, lineRange(line, token.nameStart, token.nameEnd), where);
  assert.equal(option.delimiter, token.delimiter, where);
  assert.deepEqual(option.delimiterRange, lineRange(line, token.delimiterAt, token.delimiterAt + 1), where);

  const first = option.lines[0];
  const firstText = token.valueStart < token.valueEnd ? text.slice(token.valueStart, token.valueEnd) : '';
  assert.equal(first.text, firstText, where);
  assert.deepEqual(first.range, firstText === '' ? lineRange(line, text.length, text.length) : lineRange(line, token.valueStart, token.valueEnd), where);
  const comment = token.commentStart === -1 ? undefined : { text: text.slice(token.commentStart, token.commentEnd), range: lineRange(line, token.commentStart, token.commentEnd) };
  assert.deepEqual(first.inlineComment, comment, where);

  let previousLine = line;
  for (const valueLine of option.lines.slice(1)) {
    const at = valueLine.range.start.line;
    assert.ok(at > previousLine, `${where}: value lines in order`);
    previousLine = at;
    const lineText = doc.lines[at];
    const lineToken = tokenOf(doc, at);
    if (lineToken.kind === 'blank') {
      assert.equal(valueLine.text, '', where);
      assert.deepEqual(valueLine.range, lineRange(at, lineText.length, lineText.length), where);
      assert.equal(valueLine.inlineComment, undefined, where);
      continue;
    }
    assert.equal(valueLine.text, lineText.slice(lineToken.start, lineToken.end), where);
    assert.deepEqual(valueLine.range, lineRange(at, lineToken.start, lineToken.end), where);
    const lineComment =
      lineToken.commentStart === -1 ? undefined : { text: lineText.slice(lineToken.commentStart, lineToken.commentEnd), range: lineRange(at, lineToken.commentStart, lineToken.commentEnd) };
    assert.deepEqual(valueLine.inlineComment, lineComment, where);
  }

  assert.equal(option.value, option.lines.map((l) => l.text).join('\n'), where);
  const last = option.lines[option.lines.length - 1];
  const firstWithText = option.lines.find((l) => l.text !== '') ?? first;
  assert.deepEqual(option.valueRange, { start: firstWithText.range.start, end: last.range.end }, where);
  assert.deepEqual(option.range, { start: option.keyRange.start, end: option.lines.length > 1 ? last.range.end : { line, character: token.end } }, where);
  for (const [name, read] of [
    ['keyRange', () => option.keyRange],
    ['delimiterRange', () => option.delimiterRange],
    ['valueRange', () => option.valueRange],
    ['range', () => option.range],
    ['lines[0].range', () => option.lines[0].range],
  ] as const) {
    assertPlain(read, `${where} ${name}`);
  }
  assert.equal(option.lines, option.lines, `${where}: lines built once`);
}

function checkSection(doc: ConfigDocument, section: SectionNode, index: number): void {
  const line = section.headerRange.start.line;
  const text = doc.lines[line];
  const token = tokenOf(doc, line);
  const where = `section ${index} [${section.name}] line ${line + 1}`;
  assert.equal(token.kind, 'header', where);
  assert.equal(section.kind, 'section', where);
  assert.equal(section.name, text.slice(token.nameStart, token.nameEnd), where);
  assert.deepEqual(section.nameRange, lineRange(line, token.nameStart, token.nameEnd), where);
  assert.deepEqual(section.headerRange, lineRange(line, token.start, token.end), where);
  const trailing = token.trailingStart === -1 ? undefined : { text: text.slice(token.trailingStart, token.trailingEnd), range: lineRange(line, token.trailingStart, token.trailingEnd) };
  assert.deepEqual(section.trailing, trailing, where);
  assert.deepEqual(section.range.start, section.headerRange.start, where);
  const lastOption = section.options[section.options.length - 1];
  if (lastOption) assert.ok(section.range.end.line >= lastOption.range.end.line, `${where}: range covers its options`);
  const next = doc.sections[index + 1];
  if (next) assert.ok(section.range.end.line < next.headerRange.start.line, `${where}: range ends before the next header`);
  for (const read of [() => section.nameRange, () => section.headerRange, () => section.range]) assertPlain(read, where);
  section.options.forEach((option, at) => checkOption(doc, option, `${where} option ${at} '${option.key}'`));
  checkOwnSites(section, where);
}

/** What the rules' site index reads from an option node: its section, itself as the site, what its value contains. */
function checkOwnSites(section: SectionNode, where: string): void {
  for (const option of section.options) {
    assert.ok(option instanceof OptionNodeImpl, where);
    assert.equal(option.section, section, `${where} '${option.key}': its section`);
    assert.equal(option.option, option, where);
    const value = option.value;
    const markers =
      (value.includes('%(') ? VALUE_HAS_REFERENCE : 0) |
      (value.includes('#') ? VALUE_HAS_HASH : 0) |
      (value.includes(';') ? VALUE_HAS_SEMICOLON : 0) |
      (value.includes('%') ? VALUE_HAS_PERCENT : 0);
    assert.equal(option.valueMarkers, markers, `${where} '${option.key}' = ${JSON.stringify(value)}: markers`);
  }
}

function checkDocument(text: string): ConfigDocument {
  const doc = parseDocument(text);
  doc.sections.forEach((section, index) => checkSection(doc, section, index));
  for (const comment of doc.comments) {
    const line = comment.range.start.line;
    const token = tokenOf(doc, line);
    assert.equal(comment.kind, 'comment');
    assert.equal(token.kind, 'comment', `comment line ${line + 1}`);
    assert.deepEqual(comment.range, lineRange(line, token.start, token.end));
    assert.equal(comment.text, doc.lines[line].slice(token.start, token.end));
    assertPlain(() => comment.range, `comment line ${line + 1}`);
  }
  return doc;
}

const TRICKY = [
  '[a]\nx = 1\n',
  '\ufeff[a] junk ; c\nKey = v ; one\n  more ; two\n\n  last\n',
  '\ufeffx = 1\n[a]\ny=2',
  '[a]\r\nempty =\r\nspaced =   ; only a comment\r\n  continued\r\n\r\n',
  '[a]\rcolon: value\r\tTabbed = x\r\t\tdeeper\r',
  '[a]\nx =\x1c\x1c value\x1c; c\n\u00a0indented = y\n',
  '[a]\nÜnïcode = ü\nİstanbul = 1\nMIXED.Case = 2\nbantime.increment = true\nbantime.increment = false\n',
  // what values contain: '%(', '#', ';' in keys, values, inline comments and continuation lines
  '[a]\nk#e;y%(x = plain ; c # %(no)s\nv = a#b;c %(r)s ;c\n  more %(b)s\n\n  c;d\np = %\n  (x\nq = a %(\nr = ;x\ns = #x\n  ;comment-like\nt = x\n  #y ; z;w\n',
  '[a]\nk%ey = 1\npct = 50%% ; %(no)s\nu = a\n  b%\nw = x ;%\n',
  '[a]\naction = x[a=1,\n    b=2]\n  [not a header]\n  port = 25\n',
  '[a]\nfailregex =\n  # comment inside\n  ^one\n\n  ^two ; c\n\n\n[b]\n',
  '[a]\n= empty key\nno delimiter\n  deeper after invalid\n[]\n[b]]\n',
];

const LINE_PIECES = [
  '[jail]',
  '[Jail] trailing',
  '  [indented]',
  '[DEFAULT]',
  'enabled = true',
  'ENABLED = True',
  'bantime.increment = true',
  'a.very.long.option.name = 1',
  'port:25',
  'empty =',
  'empty = ; comment',
  'value = x ; comment',
  '  continued',
  '    deeper = 1',
  '\tcontinued with a tab ; c',
  '',
  '   ',
  '# comment',
  '; comment',
  'no delimiter',
  ' = empty key',
  'ünïcode = ü',
  'action = a[x=1,',
  '  y=2]',
];

describe('model nodes', () => {
  it('give the ranges and texts the tokenizer finds on each line, in tricky files', () => {
    for (const text of TRICKY) checkDocument(text);
  });

  it('give them in seeded random files with many names, line breaks of every kind and a BOM now and then', () => {
    const next = seededRandom(4711);
    for (let round = 0; round < 150; round++) {
      const count = 5 + Math.floor(next() * 60);
      const lines: string[] = [];
      for (let index = 0; index < count; index++) {
        // many distinct names, so that the name cache both hits and misses
        lines.push(next() < 0.3 ? `name${Math.floor(next() * 3000)}${next() < 0.2 ? 'X' : ''} = ${Math.floor(next() * 5)}` : pick(next, LINE_PIECES));
      }
      const breaks = pick(next, ['\n', '\r\n', '\r']);
      const text = (next() < 0.1 ? '\ufeff' : '') + lines.join(breaks);
      checkDocument(text);
    }
  });

  it('give the model as plain data to JSON.stringify, in the order of the interfaces', () => {
    const doc = parseDocument('[a] junk\nx : 1 ; c\n  y\n# note\n');
    const [section] = doc.sections;
    const [option] = section.options;
    const plain = JSON.parse(JSON.stringify(doc)) as { sections: Record<string, unknown>[]; comments: unknown[] };
    assert.deepEqual(Object.keys(plain.sections[0]), ['kind', 'name', 'nameRange', 'headerRange', 'range', 'options', 'trailing']);
    assert.deepEqual(plain.sections[0].trailing, { text: 'junk', range: lineRange(0, 4, 8) });
    assert.deepEqual((plain.sections[0].options as unknown[])[0], {
      kind: 'option',
      key: 'x',
      name: 'x',
      keyRange: lineRange(1, 0, 1),
      delimiter: ':',
      delimiterRange: lineRange(1, 2, 3),
      value: '1\ny',
      lines: [
        { text: '1', range: lineRange(1, 4, 5), inlineComment: { text: '; c', range: lineRange(1, 6, 9) } },
        { text: 'y', range: lineRange(2, 2, 3) },
      ],
      valueRange: { start: { line: 1, character: 4 }, end: { line: 2, character: 3 } },
      range: { start: { line: 1, character: 0 }, end: { line: 2, character: 3 } },
      indent: 0,
    });
    assert.deepEqual(plain.comments, [{ kind: 'comment', text: '# note', range: lineRange(3, 0, 6) }]);
    assert.equal(option.value, '1\ny');
  });

  it('move every line of a copy, leaving the original as it was', () => {
    const doc = checkDocument(TRICKY[1].replace('\ufeff', '') + '[b]\nx = 1\n  y ; c\n# note\n');
    const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const ranges = (section: SectionNode) =>
      plain({
        section: [section.nameRange, section.headerRange, section.range, section.trailing],
        options: section.options.map((o) => [o.keyRange, o.delimiterRange, o.valueRange, o.range, o.lines.map((l) => [l.text, l.range, l.inlineComment])]),
      });
    const shift = (value: unknown, delta: number): unknown => {
      if (Array.isArray(value)) return value.map((item) => shift(item, delta));
      if (value === null || typeof value !== 'object') return value;
      const record = value as Record<string, unknown>;
      return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, key === 'line' ? (item as number) + delta : shift(item, delta)]));
    };
    for (const section of doc.sections) {
      const before = ranges(section);
      const moved = (section as SectionNode & { moved(delta: number): SectionNode }).moved(7);
      assert.deepEqual(ranges(moved), shift(before, 7));
      checkOwnSites(moved, `moved [${section.name}]`);
      assert.deepEqual(ranges(section), before);
    }
  });
});
