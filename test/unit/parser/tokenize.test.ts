import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { type LineToken, tokenize, tokenizeLine } from '../../../server/src/parser/tokenize';

function slice(text: string, start: number, end: number): string | undefined {
  return start === -1 ? undefined : text.slice(start, end);
}

function kinds(text: string): LineToken['kind'][] {
  return tokenize(text).tokens.map((token) => token.kind);
}

describe('tokenizeLine', () => {
  it('classifies blank and whitespace-only lines (Python whitespace, e.g. form feed)', () => {
    assert.equal(tokenizeLine('', 0).kind, 'blank');
    assert.equal(tokenizeLine(' \t\x0c\x1c ', 0).kind, 'blank');
  });

  it('classifies # and ; full-line comments, indented too', () => {
    for (const line of ['# x', '; x', '   # indented', '\t;tab']) {
      const token = tokenizeLine(line, 0);
      assert.equal(token.kind, 'comment', line);
      assert.equal(slice(line, token.start, token.end), line.trim());
    }
  });

  it('reads a header from the first [ to the LAST ], keeping spaces and trailing text apart', () => {
    const line = '[ postfix ] junk ]x';
    const token = tokenizeLine(line, 0);
    assert.equal(token.kind, 'header');
    assert.equal(slice(line, token.nameStart, token.nameEnd), ' postfix ] junk ');
    assert.equal(slice(line, token.trailingStart, token.trailingEnd), 'x');
    const simple = tokenizeLine('[a] junk', 0);
    assert.equal(slice('[a] junk', simple.trailingStart, simple.trailingEnd), 'junk');
    assert.equal(tokenizeLine('[a]', 0).trailingStart, -1);
  });

  it('does not take [] as a header (no character between the brackets)', () => {
    const token = tokenizeLine('[]', 0);
    assert.equal(token.kind, 'invalid');
    assert.equal(token.reason, 'no-delimiter');
    assert.equal(tokenizeLine('[]]', 0).kind, 'header');
    assert.equal(tokenizeLine('[] = 3', 0).kind, 'option');
  });

  it('splits an option at the FIRST = or :, stripping around key and value', () => {
    const line = '  MaxRetry  :  a = b : c  ';
    const token = tokenizeLine(line, 0);
    assert.equal(token.kind, 'option');
    assert.equal(slice(line, token.nameStart, token.nameEnd), 'MaxRetry');
    assert.equal(token.delimiter, ':');
    assert.equal(line[token.delimiterAt], ':');
    assert.equal(slice(line, token.valueStart, token.valueEnd), 'a = b : c');
    assert.equal(slice(line, token.start, token.end), 'MaxRetry  :  a = b : c');
    assert.equal(token.indent, 2);
  });

  it('removes an inline ; comment only when whitespace precedes it; # is never inline', () => {
    const spaced = 'allowipv6 = auto ; note';
    const token = tokenizeLine(spaced, 0);
    assert.equal(token.kind, 'option');
    assert.equal(slice(spaced, token.valueStart, token.valueEnd), 'auto');
    assert.equal(slice(spaced, token.commentStart, token.commentEnd), '; note');
    const glued = tokenizeLine('allowipv6 = auto;', 0);
    assert.equal(slice('allowipv6 = auto;', glued.valueStart, glued.valueEnd), 'auto;');
    assert.equal(glued.commentStart, -1);
    const hash = tokenizeLine('bantime = 1h # one hour', 0);
    assert.equal(slice('bantime = 1h # one hour', hash.valueStart, hash.valueEnd), '1h # one hour');
  });

  it('cuts the inline comment before looking for the delimiter or the header', () => {
    assert.equal(tokenizeLine('key ;x = 3', 0).kind, 'invalid');
    assert.equal(tokenizeLine('[a ;b]', 0).kind, 'invalid');
    const header = tokenizeLine('[a;b] ; c', 0);
    assert.equal(header.kind, 'header');
    assert.equal(slice('[a;b] ; c', header.nameStart, header.nameEnd), 'a;b');
  });

  it('reports a line without delimiter and a line with an empty key', () => {
    const noDelimiter = tokenizeLine('maxretry 3', 0);
    assert.equal(noDelimiter.kind, 'invalid');
    assert.equal(noDelimiter.reason, 'no-delimiter');
    const emptyKey = tokenizeLine('  = 3', 0);
    assert.equal(emptyKey.kind, 'invalid');
    assert.equal(emptyKey.reason, 'empty-key');
    assert.equal(slice('  = 3', emptyKey.valueStart, emptyKey.valueEnd), '3');
  });

  it('skips a prefix (the BOM) when asked', () => {
    const token = tokenizeLine('\ufeff[a]', 0, 1);
    assert.equal(token.kind, 'header');
    assert.equal(slice('\ufeff[a]', token.nameStart, token.nameEnd), 'a');
    assert.equal(token.indent, 0);
  });
});

describe('tokenize: continuation lines', () => {
  it('continues a value with lines indented deeper than the key line; tabs count as one', () => {
    assert.deepEqual(kinds('[a]\nx = 1\n\ty\n  z\nw = 2'), ['header', 'option', 'continuation', 'continuation', 'option']);
    assert.deepEqual(kinds('[a]\n  x = 1\n  y = 2\n   z'), ['header', 'option', 'option', 'continuation']);
  });

  it('never continues right after a header, so an indented option or header there is fine', () => {
    assert.deepEqual(kinds('[a]\n  x = 1\n[b]\n  [c]'), ['header', 'option', 'header', 'header']);
  });

  it('keeps the value open across comments and blank lines', () => {
    const tokens = tokenize('[a]\nx = 1\n# c\n\n  y').tokens;
    assert.deepEqual(
      tokens.map((t) => t.kind),
      ['header', 'option', 'comment', 'blank', 'continuation'],
    );
    assert.equal(tokens[3].inValue, true);
  });

  it('marks blank lines outside any value', () => {
    const tokens = tokenize('[a]\n\nx = 1').tokens;
    assert.equal(tokens[1].inValue, false);
  });

  it('keeps the option open after a line without delimiter (configparser does)', () => {
    assert.deepEqual(kinds('[a]\nx = 1\nbad\n  y'), ['header', 'option', 'invalid', 'continuation']);
  });

  it('closes it after an empty key (configparser stores the falsy name "")', () => {
    assert.deepEqual(kinds('[a]\nx = 1\n= 2\n  y'), ['header', 'option', 'invalid', 'invalid']);
  });

  it('measures against the last header/option/invalid line, not the key line', () => {
    assert.deepEqual(kinds('[a]\n  x = 1\nbad\n y'), ['header', 'option', 'invalid', 'continuation']);
  });

  it('says when a continuation looks like an intended option or header', () => {
    const tokens = tokenize('[a]\nx = 1\n  maxretry = 3\n  [b]\n  _SYSTEMD_UNIT=sshd.service\n  dead:beef::1\n  port="<port>"; x').tokens;
    const looks = tokens.map((t) => (t.kind === 'continuation' ? t.looksLike || '-' : t.kind));
    assert.deepEqual(looks, ['header', 'option', 'option', 'section', '-', '-', '-']);
  });
});
