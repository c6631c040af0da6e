import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { type LineToken, type Span, tokenize, tokenizeLine } from '../../../server/src/parser/tokenize';

function slice(text: string, span: Span | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
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
      if (token.kind === 'comment') assert.equal(slice(line, token.text), line.trim());
    }
  });

  it('reads a header from the first [ to the LAST ], keeping spaces and trailing text apart', () => {
    const line = '[ postfix ] junk ]x';
    const token = tokenizeLine(line, 0);
    assert.equal(token.kind, 'header');
    if (token.kind !== 'header') return;
    assert.equal(slice(line, token.name), ' postfix ] junk ');
    assert.equal(slice(line, token.trailing), 'x');
    const simple = tokenizeLine('[a] junk', 0);
    assert.equal(simple.kind === 'header' && slice('[a] junk', simple.trailing), 'junk');
  });

  it('does not take [] as a header (no character between the brackets)', () => {
    const token = tokenizeLine('[]', 0);
    assert.equal(token.kind, 'invalid');
    assert.equal(token.kind === 'invalid' && token.reason, 'no-delimiter');
    assert.equal(tokenizeLine('[]]', 0).kind, 'header');
    assert.equal(tokenizeLine('[] = 3', 0).kind, 'option');
  });

  it('splits an option at the FIRST = or :, stripping around key and value', () => {
    const line = '  MaxRetry  :  a = b : c  ';
    const token = tokenizeLine(line, 0);
    assert.equal(token.kind, 'option');
    if (token.kind !== 'option') return;
    assert.equal(slice(line, token.key), 'MaxRetry');
    assert.equal(token.delimiter, ':');
    assert.equal(line[token.delimiterAt], ':');
    assert.equal(slice(line, token.value), 'a = b : c');
    assert.equal(token.indent, 2);
  });

  it('removes an inline ; comment only when whitespace precedes it; # is never inline', () => {
    const spaced = 'allowipv6 = auto ; note';
    const token = tokenizeLine(spaced, 0);
    assert.ok(token.kind === 'option');
    assert.equal(slice(spaced, token.value), 'auto');
    assert.equal(slice(spaced, token.inlineComment), '; note');
    const glued = tokenizeLine('allowipv6 = auto;', 0);
    assert.ok(glued.kind === 'option');
    assert.equal(slice('allowipv6 = auto;', glued.value), 'auto;');
    assert.equal(glued.inlineComment, undefined);
    const hash = tokenizeLine('bantime = 1h # one hour', 0);
    assert.ok(hash.kind === 'option');
    assert.equal(slice('bantime = 1h # one hour', hash.value), '1h # one hour');
  });

  it('cuts the inline comment before looking for the delimiter or the header', () => {
    assert.equal(tokenizeLine('key ;x = 3', 0).kind, 'invalid');
    assert.equal(tokenizeLine('[a ;b]', 0).kind, 'invalid');
    const header = tokenizeLine('[a;b] ; c', 0);
    assert.equal(header.kind === 'header' && slice('[a;b] ; c', header.name), 'a;b');
  });

  it('reports a line without delimiter and a line with an empty key', () => {
    const noDelimiter = tokenizeLine('maxretry 3', 0);
    assert.equal(noDelimiter.kind === 'invalid' && noDelimiter.reason, 'no-delimiter');
    const emptyKey = tokenizeLine('  = 3', 0);
    assert.equal(emptyKey.kind === 'invalid' && emptyKey.reason, 'empty-key');
    assert.equal(emptyKey.kind === 'invalid' && slice('  = 3', emptyKey.value), '3');
  });

  it('skips a prefix (the BOM) when asked', () => {
    const token = tokenizeLine('\ufeff[a]', 0, 1);
    assert.equal(token.kind === 'header' && slice('\ufeff[a]', token.name), 'a');
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
    assert.equal(tokens[3].kind === 'blank' && tokens[3].inValue, true);
  });

  it('marks blank lines outside any value', () => {
    const tokens = tokenize('[a]\n\nx = 1').tokens;
    assert.equal(tokens[1].kind === 'blank' && tokens[1].inValue, false);
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
    const looks = tokens.map((t) => (t.kind === 'continuation' ? (t.looksLike ?? '-') : t.kind));
    assert.deepEqual(looks, ['header', 'option', 'option', 'section', '-', '-', '-']);
  });
});
