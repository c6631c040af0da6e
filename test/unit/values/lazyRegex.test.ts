// Regexes made on first use, and the ASCII stand-ins for Unicode classes on ASCII text (server/src/lazyRegex.ts).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { asciiOrUnicode, lazyRegex } from '../../../server/src/lazyRegex';

const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

describe('lazyRegex', () => {
  it('makes the regex at the first call only, then hands out the same one', () => {
    let made = 0;
    const regex = lazyRegex(() => {
      made++;
      return /^\p{L}+$/u;
    });
    assert.equal(made, 0);
    const first = regex();
    assert.equal(regex(), first);
    assert.equal(made, 1);
    assert.ok(first.test('Jäger'));
  });
});

describe('asciiOrUnicode', () => {
  const pick = asciiOrUnicode(/^[A-Za-z0-9_]+$/, () => /^[\p{L}\p{N}_]+$/u);

  it('gives the ASCII regex for ASCII text and the Unicode one for any other', () => {
    assert.equal(pick('sshd').flags, '');
    assert.equal(pick('jail\u00e9').flags, 'u');
    assert.equal(pick('\u{1d7d8}').flags, 'u'); // astral digit: surrogate pair
    assert.ok(pick('jail\u00e9').test('jail\u00e9'));
  });

  it('the ASCII classes used in place of Unicode ones match the same ASCII characters', () => {
    const pairs: Array<[RegExp, RegExp]> = [
      [/^[A-Za-z0-9_]$/, /^[\p{L}\p{N}_]$/u], // Python \w (context/merge.ts, context/interpolate.ts)
      [/^[A-Za-z0-9_-]$/, /^[\p{L}\p{N}_-]$/u],
      [/^[0-9]$/, /^\p{Nd}$/u], // Python \d (values/ip.ts)
    ];
    for (const [ascii, unicode] of pairs) {
      assert.deepEqual(ASCII.filter((char) => ascii.test(char)), ASCII.filter((char) => unicode.test(char)), String(unicode));
    }
  });
});
