// pyText's character classes answer ASCII characters without their Unicode regular expressions (built only when a
// non-ASCII character comes): the answers must be the regular expressions' own, for every character.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPyDecimal, isPySpace, isPyWordChar, isXidContinue, isXidStart, PY_SPACE_CLASS, pyRepr } from '../../../server/src/values/pyText';

const CLASSES: [string, (ch: string) => boolean, RegExp][] = [
  ['isPySpace', isPySpace, new RegExp(`^[${PY_SPACE_CLASS}]$`, 'u')],
  ['isPyWordChar', isPyWordChar, /^[\p{L}\p{N}_]$/u],
  ['isPyDecimal', isPyDecimal, /^\p{Nd}$/u],
  ['isXidStart', isXidStart, /^[\p{XID_Start}_]$/u],
  ['isXidContinue', isXidContinue, /^\p{XID_Continue}$/u],
];

/** Every code point below U+3100 (ASCII, Latin, the spaces and marks up to CJK), lone surrogates, astral samples. */
function characters(): string[] {
  const out: string[] = [];
  for (let code = 0; code < 0x3100; code++) out.push(String.fromCodePoint(code));
  out.push('\ud800', '\udfff', '\u{1d7ce}', '\u{1f600}', '\u{10ffff}', '\u{20000}', '\u{e0100}');
  return out;
}

describe('pyText character classes', () => {
  for (const [name, test, pattern] of CLASSES) {
    it(`${name} answers as ${pattern} for each character, and false for '' and two characters`, () => {
      for (const ch of characters()) assert.equal(test(ch), pattern.test(ch), `${name}(U+${(ch.codePointAt(0) ?? 0).toString(16)})`);
      assert.equal(test(''), false);
      assert.equal(test('ab'), false);
      assert.equal(test('1\u0661'), false);
    });
  }

  it('pyRepr escapes what str.isprintable() rejects, ASCII or not', () => {
    const nonPrintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
    for (const ch of characters()) {
      if (ch === "'" || ch === '"' || ch === '\\' || ch === '\n' || ch === '\r' || ch === '\t' || ch === ' ') continue;
      const escaped = pyRepr(ch) !== `'${ch}'`;
      assert.equal(escaped, nonPrintable.test(ch), `pyRepr(U+${(ch.codePointAt(0) ?? 0).toString(16)}) = ${pyRepr(ch)}`);
    }
    assert.equal(pyRepr('a b\x7f\u00a0\u2028'), "'a b\\x7f\\xa0\\u2028'");
  });
});
