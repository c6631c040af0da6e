// Python 3.11 string facts the value grammars need: character classes of `str` methods and of
// `re` (Unicode mode), repr(), int() on a str, and code-point ↔ UTF-16 offset conversion.
// Python indexes strings by code point; the editor (LSP) uses UTF-16 code units.

/** Characters for which Python's str.isspace() is true (also what `\s` matches in a str regex). */
export const PY_SPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const isAsciiLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isAsciiDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const UNDERSCORE = 0x5f;

/**
 * A test of one character (`pattern` must match exactly one, e.g. `^[…]$`): an ASCII character is answered by
 * `ascii` (the class's ASCII members), any other string by `pattern`, built on first use — a Unicode property
 * class takes up to a millisecond to build, and most runs meet no character outside ASCII.
 */
export function charClassTest(pattern: string, ascii: (code: number) => boolean): (ch: string) => boolean {
  let re: RegExp | undefined;
  return (ch) => (ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ascii(ch.charCodeAt(0)) : (re ??= new RegExp(pattern, 'u')).test(ch));
}

export const isPySpace = charClassTest(`^[${PY_SPACE_CLASS}]$`, (code) => (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20));

/** Python `\w` in a str pattern: str.isalnum() or '_' (letters, numbers) — marks are not included. */
export const isPyWordChar = charClassTest('^[\\p{L}\\p{N}_]$', (code) => isAsciiLetter(code) || isAsciiDigit(code) || code === UNDERSCORE);

/** Python `\d` in a str pattern (Unicode decimal digits, category Nd). */
export const isPyDecimal = charClassTest('^\\p{Nd}$', isAsciiDigit);

/** str.strip() with no argument. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPySpace(s[start])) start++;
  while (end > start && isPySpace(s[end - 1])) end--;
  return s.slice(start, end);
}

/** A character that may start a Python identifier: XID_Start or '_'. */
export const isXidStart = charClassTest('^[\\p{XID_Start}_]$', (code) => isAsciiLetter(code) || code === UNDERSCORE);
/** A character that may continue a Python identifier (XID_Continue). */
export const isXidContinue = charClassTest('^\\p{XID_Continue}$', (code) => isAsciiLetter(code) || isAsciiDigit(code) || code === UNDERSCORE);

/** str.isidentifier(): XID_Start or '_' followed by XID_Continue characters. */
export function isPyIdentifier(s: string): boolean {
  const cps = Array.from(s);
  if (cps.length === 0 || !isXidStart(cps[0])) return false;
  for (let i = 1; i < cps.length; i++) if (!isXidContinue(cps[i])) return false;
  return true;
}

/** Not str.isprintable(): other and separator categories (ASCII: controls, DEL and the space). */
const isNonPrintable = charClassTest('^[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Zs}]$', (code) => code <= 0x20 || code === 0x7f);

/** repr() of a str, as Python prints it in messages (`%r`). */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && isNonPrintable(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Numeric value of one Unicode decimal digit (category Nd), or -1. */
export function decimalDigitValue(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (!isPyDecimal(ch)) return -1;
  // Nd characters come in runs of ten starting at a zero; walk back to the run's zero.
  // Adjacent runs (e.g. mathematical digits) are aligned on multiples of ten from their first zero,
  // so count back until the character before is not a digit, then take the remainder.
  let start = cp;
  while (start > 0 && isPyDecimal(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python's int limit for decimal string conversion (sys.int_info.default_max_str_digits, 3.11). */
export const PY_INT_MAX_STR_DIGITS = 4300;

export type PyIntResult =
  | { ok: true; value: bigint }
  | { ok: false; message: string };

/**
 * Python `int(s)` for a str with base 10: surrounding whitespace allowed, one sign, Unicode decimal
 * digits with single '_' between digits; no prefixes, no decimal point.
 */
export function pyInt(s: string): PyIntResult {
  const invalid = { ok: false as const, message: `invalid literal for int() with base 10: ${pyRepr(s)}` };
  const body = pyStrip(s);
  let i = 0;
  let negative = false;
  if (body[0] === '+' || body[0] === '-') {
    negative = body[0] === '-';
    i = 1;
  }
  const cps = Array.from(body.slice(i));
  if (cps.length === 0) return invalid;
  let digits = '';
  let lastWasDigit = false;
  for (const ch of cps) {
    if (ch === '_') {
      if (!lastWasDigit) return invalid;
      lastWasDigit = false;
      continue;
    }
    const d = decimalDigitValue(ch);
    if (d < 0) return invalid;
    digits += String(d);
    lastWasDigit = true;
  }
  if (!lastWasDigit) return invalid;
  if (digits.length > PY_INT_MAX_STR_DIGITS) {
    return {
      ok: false,
      message: `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    };
  }
  const value = BigInt(digits);
  return { ok: true, value: negative ? -value : value };
}

/** Maps code-point indexes of a string to UTF-16 offsets (and back). */
export class CodePointMap {
  /** utf16[i] = UTF-16 offset of code point i; one extra entry for the end. */
  private readonly utf16: number[];

  constructor(text: string) {
    this.utf16 = [];
    let offset = 0;
    for (const ch of text) {
      this.utf16.push(offset);
      offset += ch.length;
    }
    this.utf16.push(offset);
  }

  toUtf16(codePointIndex: number): number {
    if (codePointIndex <= 0) return 0;
    if (codePointIndex >= this.utf16.length) return this.utf16[this.utf16.length - 1];
    return this.utf16[codePointIndex];
  }
}
