// Python's repr() of a str, so messages quote values exactly as configparser/fail2ban print them
// (source: CPython 3.11 unicode_repr).
import { lazyRegex } from '../lazyRegex';

// Characters str.isprintable() rejects: other/separator categories, except the plain space.
const nonPrintable = lazyRegex(() => /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u);

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}

function escapeCodePoint(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint < 0x100) return `\\x${hex(codePoint, 2)}`;
  if (codePoint < 0x10000) return `\\u${hex(codePoint, 4)}`;
  return `\\U${hex(codePoint, 8)}`;
}

export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) out += simple;
    else if (char === quote) out += `\\${quote}`;
    else if (char !== ' ' && nonPrintable().test(char)) out += escapeCodePoint(char);
    else out += char;
  }
  return out + quote;
}
