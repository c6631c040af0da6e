// Differential test: our parser against the REAL fail2ban 1.1.0 parser (SafeConfigParserWithIncludes on
// python3), on hand-picked tricky documents and on a seeded random fuzz of generated/mutated ones.
// Compared: sections, option names, values, and the error configparser raises (kind + line numbers).
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { parseDocument } from '../../../server/src/parser/parse';
import { ensureFail2banInstalled } from '../../support/fail2banInstalls';
import { pick, seededRandom } from '../../support/random';
import { type ComparableResult, comparable, readWithFail2ban, withoutEmptyNames } from './pythonParser';

const TRICKY_DOCUMENTS: string[] = [
  // headers
  '[a]\nx = 1\n',
  '[a] junk\nx = 1\n',
  '[a] junk ] more\nx = 1\n',
  '[ postfix ]\nenabled = true\n',
  '[a;b]\nx=1\n',
  '[a ;b]\nx=1\n',
  '[a] ; comment\nx=1\n',
  '[]\n',
  '[a]\n[]\n',
  '[]]\nx = 1\n',
  '[[]\nx = 1\n',
  '[a]\n[] = 3\n',
  '[a = b]\nx=1\n',
  '   [a]\n  x = 1\n',
  '# c\n  [a]\nx = 1\n',
  '\n\n  [a]\n',
  '[a]\n   [b]\nx = 1\n',
  '[a]\nx = 1\n[b]\n    [c]\ny = 2\n',
  // options and delimiters
  '[a]\nmaxretry: 3\nbantime=1h\nfindtime =10m\n',
  '[a]\nkey = a = b : c\n',
  '[a]\nkey : a = b\n',
  '[a]\nMaxRetry = 3\nbantime.increment = true\n',
  '[a]\nmax retry = 3\n',
  '[a]\nx =\ny :\n',
  '[a]\n= 3\n',
  '[a]\n  = 3\n  y\n',
  '[a]\n= 1\n= 2\n',
  '[a]\nmaxretry 3\nbantime 1h\n',
  '[a]\nx = "3"\n',
  // inline comments
  '[Definition]\nallowipv6 = auto;\n',
  '[Definition]\nallowipv6 = auto ; why\n',
  '[a]\nx = v;w ;c ; d\n',
  '[a]\nx = v\t; tab comment\n',
  '[a]\nx = v # not a comment\n',
  '[a]\nx = ;only comment\n',
  '[a]\nkey ;c = v\n',
  '[a]\nx = a\u00a0; nbsp counts as whitespace\n',
  '[a]\nx = a\u200b; zero-width space does not\n',
  // comments
  '# top\n; top\n[a]\n  # indented\n\t; tab\nx = 1\n',
  '[a]\nx = 1\n# comment inside\n  continued\n',
  '[a]\nx = 1\n  # comment-looking continuation\n  y\n',
  // continuation and blank lines
  '[a]\nfailregex = ^one\n            ^two\n\n            ^three\n\n\nnext = 1\n',
  '[a]\nfailregex =\n  ^one\n  ^two\n',
  '[a]\nx =\n\n\n',
  '[a]\nx = 1\n \n\t\n  y\n',
  '[a]\n  x = 1\n  y = 2\n   z\n',
  '[a]\n  x = 1\n y\n',
  '[a]\n\tx = 1\n\t y\n  z\n',
  '[a]\nx = 1\nbad line\n  continued after error\n',
  '[a]\n  x = 1\nbad\n y\n',
  '[a]\nx = 1\n= 2\n  y\n',
  '[sshd]\nport = ssh\n  enabled = true\n  [postfix]\n',
  '[a]\nx = 1\n\n  [b]\n',
  '[a]\nx = 1\n\x0c y\n\x1c z\n\u3000w\n',
  '[a]\nx = 1\n\x85  y\n',
  // line endings and odd characters
  '[a]\r\nx = 1\r\n  y\r\nz = 2\r\n',
  '[a]\rx = 1\r  y\rz = 2',
  '[a]\nx = 1\u2028  y\n',
  '[a]\nx = a\x85b\n',
  '[a]\nx = 1',
  '',
  '\n\n\n',
  // missing headers and BOM
  'maxretry = 3\n[a]\n',
  '  junk\n[a]\n',
  '# only comments\n\n',
  '\ufeff[Definition]\nloglevel = INFO\n',
  '\ufeff# comment\n[a]\n',
  '\ufeff\n[a]\n',
  // duplicates
  '[a]\n[a]\n',
  '[a]\nx=1\n[b]\n[a]\n',
  '[a]\n[A]\n',
  '[DEFAULT]\nx=1\n[DEFAULT]\ny=2\n',
  '[DEFAULT]\nx=1\n[b]\nx=2\n[DEFAULT]\nX=3\n',
  '[a]\nx=1\nX=2\n',
  '[a]\nx=1\n[b]\nx=2\n',
  '[a]\nbad\nx=1\nx=2\n',
  '[a]\nbad\n[a]\n',
  '[default]\nx=1\n[DEFAULT]\nx=2\n',
  // INCLUDES and conditional sections are ordinary sections to the parser
  '[INCLUDES]\nbefore = paths-debian.conf\n         extra.conf\n[Init?family=inet6]\nx = 1\n',
];

// ---- seeded fuzz --------------------------------------------------------------------------------

const SECTION_NAMES = ['a', 'A', 'b', 'DEFAULT', 'default', 'Definition', ' a ', 'a;b', 'a ;b', ']', '[', 'a] x', 'INCLUDES'];
const KEYS = ['x', 'X', 'y', 'maxretry', 'MaxRetry', 'bantime.increment', 'a b', '[k]', '', ' ', 'k;', 'k #'];
const DELIMITERS = ['=', ':', ' = ', ' : ', '=:', ':=', '\t=\t', ' =', ': '];
const VALUES = ['', '1', 'a = b', 'auto;', 'v ; c', 'v;c', 'v # c', ';c', '"q"', '%(x)s', ' v \t', 'ü', 'a:b', '[x]', 'x\u00a0;c'];
const INVALID = ['maxretry 3', 'junk', '[', '[x', 'a;b', '[]', 'x\u2028y'];
const COMMENTS = ['# c', '; c', '#', ';', '#x = 1', ';[a]'];
const BLANKS = ['', ' ', '\t', '\x0c', '\x0b', '  \x1c', '\u3000', '\x85'];
const INDENTS = ['', '', '', ' ', '  ', '\t', ' \t', '\u00a0', '\u2003', '\x1f'];
const EOLS = ['\n', '\n', '\n', '\n', '\r\n', '\r'];
const MUTATION_CHARS = [' ', '\t', '\n', '\r', '[', ']', '=', ':', ';', '#', 'a', 'A', '\u00a0', '\x0c', '%'];

function generateDocument(random: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 14);
  if (random() < 0.85) lines.push(`${random() < 0.15 ? pick(random, INDENTS) : ''}[${pick(random, SECTION_NAMES)}]`);
  for (let i = 0; i < count; i++) {
    const roll = random();
    const indent = random() < 0.35 ? pick(random, INDENTS) : '';
    if (roll < 0.12) lines.push(`${indent}[${pick(random, SECTION_NAMES)}]${random() < 0.2 ? ' junk ; c' : ''}`);
    else if (roll < 0.55) lines.push(`${indent}${pick(random, KEYS)}${pick(random, DELIMITERS)}${pick(random, VALUES)}`);
    else if (roll < 0.68) lines.push(`${indent}${pick(random, VALUES)}${pick(random, VALUES)}`);
    else if (roll < 0.74) lines.push(`${indent}${pick(random, INVALID)}`);
    else if (roll < 0.84) lines.push(`${indent}${pick(random, COMMENTS)}`);
    else lines.push(pick(random, BLANKS));
  }
  let text = '';
  for (const line of lines) text += line + pick(random, EOLS);
  if (random() < 0.2) text = text.slice(0, -1); // no final newline
  if (random() < 0.03) text = '\ufeff' + text;
  return text;
}

function mutate(text: string, random: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (result.length + 1));
    const roll = random();
    if (roll < 0.5) result = result.slice(0, at) + pick(random, MUTATION_CHARS) + result.slice(at);
    else if (roll < 0.8) result = result.slice(0, at) + result.slice(at + 1);
    else result = result.slice(0, at) + result.slice(Math.max(0, at - 8), at) + result.slice(at);
  }
  // never leave half a surrogate pair or split \r\n into something Python reads differently
  return result.replace(/[\ud800-\udfff]/g, 'x');
}

function fuzzDocuments(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const documents: string[] = [];
  for (let i = 0; i < count; i++) {
    const generated = generateDocument(random);
    documents.push(random() < 0.4 ? mutate(generated, random) : generated);
  }
  return documents;
}

// ---- comparison ---------------------------------------------------------------------------------

function stopsEarly(result: ComparableResult): boolean {
  return result.error !== null && result.error.kind !== 'parsing';
}

/** Differences between our reading and fail2ban's, one line per document. */
function differences(documents: string[]): string[] {
  const python = readWithFail2ban(documents);
  const found: string[] = [];
  documents.forEach((text, index) => {
    const ours = comparable(parseDocument(text));
    const theirs = withoutEmptyNames(python[index]);
    // After a missing header or a duplicate configparser stops mid-file: only the error is comparable.
    const same = stopsEarly(theirs)
      ? JSON.stringify(ours.error) === JSON.stringify(theirs.error)
      : JSON.stringify(ours) === JSON.stringify(theirs);
    if (!same) {
      found.push(`#${index} ${JSON.stringify(text)}\n   ours:   ${JSON.stringify(ours)}\n   python: ${JSON.stringify(theirs)}`);
    }
  });
  return found;
}

/** The part of Python's error message our message or its details must quote verbatim (everything but the file path). */
function pythonQuotes(error: NonNullable<ComparableResult['error']>): string[] {
  const message = error.message ?? '';
  if (error.kind === 'parsing') return message.split('\n\t').slice(1); // "[line  N]: 'repr'" per bad line
  if (error.kind === 'missing-section-header') {
    const [, fileLine, repr] = message.split('\n');
    return [`${fileLine.replace(/^file: .*, line:/, 'line:')} ${repr}`];
  }
  return [message.slice(message.indexOf('[line'))]; // duplicates
}

/** Python messages our problems fail to quote, one line per miss. */
function unquotedMessages(documents: string[]): string[] {
  const python = readWithFail2ban(documents);
  const misses: string[] = [];
  documents.forEach((text, index) => {
    const error = python[index].error;
    if (!error) return;
    const ourMessages = parseDocument(text).problems.map((problem) => `${problem.message} ${problem.details ?? ''}`);
    for (const quote of pythonQuotes(error)) {
      if (!ourMessages.some((message) => message.includes(quote))) misses.push(`#${index} ${JSON.stringify(text)}: ${JSON.stringify(quote)}`);
    }
  });
  return misses;
}

describe('differential: parser vs fail2ban 1.1.0 configparser', () => {
  before(ensureFail2banInstalled);

  it('reads every tricky document exactly as fail2ban does', () => {
    const found = differences(TRICKY_DOCUMENTS);
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('reads 500 generated and mutated documents (seed 20240425) exactly as fail2ban does', () => {
    const documents = fuzzDocuments(20240425, 500);
    // The fuzz must exercise every outcome, or it proves little.
    const kinds = new Set(readWithFail2ban(documents).map((r) => r.error?.kind ?? 'none'));
    for (const kind of ['none', 'parsing', 'missing-section-header', 'duplicate-section', 'duplicate-option']) {
      assert.ok(kinds.has(kind), `fuzz never produced outcome ${kind}`);
    }
    const multiLine = documents.filter((text) => parseDocument(text).sections.some((s) => s.options.some((o) => o.lines.length > 1)));
    assert.ok(multiLine.length >= 50, `only ${multiLine.length} documents with multi-line values`);
    const found = differences(documents);
    assert.deepEqual(found, [], found.slice(0, 10).join('\n'));
  });

  it("quotes fail2ban's own error text (line numbers, Python repr of the line) in its messages", () => {
    const misses = unquotedMessages([...TRICKY_DOCUMENTS, ...fuzzDocuments(7, 200)]);
    assert.deepEqual(misses, [], misses.slice(0, 10).join('\n'));
  });
});
