// fail2ban time values: MyTime.str2seconds (fail2ban/server/mytime.py; identical in 1.0.2, 1.1.0
// and 1.1.1). fail2ban rewrites the text with three regex passes and then runs Python eval() on it.
// We replay the same rewrite (keeping where every character came from) and evaluate the result
// with a safe model of Python expressions, so the verdict and the number are fail2ban's own.
import { isPyDecimal, isPySpace, isPyWordChar } from './pyText';
import {
  evaluate, parseExpression, PyRuntimeError, PySyntaxError, PyUnknown, type EvalTrace, type PyValue,
} from './pyExpr';
import { t } from '../l10n';

export interface TimeUnit {
  name: 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
  /** Spellings in the order fail2ban's regex tries them (longest alternative first). */
  spellings: readonly string[];
  /** The replacement fail2ban inserts, as Python prints the number. */
  factor: string;
  seconds: number;
}

/**
 * Unit table of fail2ban 1.1.0 `MyTime._str2sec_parts`, in the order the substitutions run.
 * Month and year are floats (a year is 365.25 days, a month a twelfth of it).
 */
export const TIME_UNITS: readonly TimeUnit[] = [
  { name: 'day', spellings: ['days', 'day', 'da', 'dd', 'd'], factor: '86400', seconds: 86400 },
  { name: 'week', spellings: ['weeks', 'week', 'wee', 'we', 'ww', 'w'], factor: '604800', seconds: 604800 },
  { name: 'month', spellings: ['months', 'month', 'mon', 'mo'], factor: '2629800.0', seconds: 2629800 },
  { name: 'year', spellings: ['years', 'year', 'yea', 'ye', 'yy', 'y'], factor: '31557600.0', seconds: 31557600 },
  { name: 'second', spellings: ['seconds', 'second', 'sec', 'se', 'ss', 's'], factor: '1', seconds: 1 },
  { name: 'minute', spellings: ['minutes', 'minute', 'min', 'mi', 'mm', 'm'], factor: '60', seconds: 60 },
  { name: 'hour', spellings: ['hours', 'hour', 'hou', 'ho', 'hh', 'h'], factor: '3600', seconds: 3600 },
];

/** Common unit spellings fail2ban does NOT know → the spelling that works. */
export const UNIT_TYPOS: Readonly<Record<string, string>> = {
  hr: 'h', hrs: 'h', hs: 'h', mins: 'm', mn: 'm', mnt: 'm', secs: 's', sek: 's', wk: 'w', wks: 'w', yr: 'y',
  yrs: 'y', mth: 'mo', mths: 'mo', mos: 'mo', dy: 'd', dys: 'd', ms: 's', sekunden: 's', tage: 'd', stunden: 'h',
};

export type DurationSuspicion =
  /** `1h,30m` — a tuple, not a number */
  | 'tuple'
  /** `1h and 30m` — Python boolean operators pick one side */
  | 'and-or'
  /** `True`, `None`, other Python names */
  | 'name'
  /** `1h > 30m`, `not 1` — a comparison gives True/False */
  | 'comparison'
  | 'negative'
  | 'zero'
  /** `#` starts a Python comment inside eval: the rest is ignored */
  | 'comment'
  /** explicit arithmetic: `1h+30m`, `2*3600`, `(1h)` */
  | 'arithmetic'
  /** result has a fractional part */
  | 'fraction';

export type DurationPythonError =
  | 'SyntaxError' | 'NameError' | 'TypeError' | 'ZeroDivisionError' | 'OverflowError' | 'ValueError'
  /** eval() succeeded but the value is not a number (a tuple, None, a string…) */
  | 'not-a-number'
  /** the value runs Python code this checker does not model (calls, attributes…) */
  | 'unsupported';

export type DurationResult =
  | {
      ok: true;
      seconds: number;
      /** true when `seconds` is exactly the number fail2ban computes */
      exact: boolean;
      /** the Python result is a float (months, years, '/', decimals) */
      isFloat: boolean;
      suspicious: DurationSuspicion[];
    }
  | {
      ok: false;
      /** What is wrong and the fix first, then what fail2ban does (no Python internals). */
      message: string;
      /** Python's own error, for those who want it (LSP related information, CLI details). */
      details: string;
      /** Offsets inside the value text (UTF-16) of the part to blame. */
      start: number;
      end: number;
      pythonError: DurationPythonError;
      suspicious: DurationSuspicion[];
    };

/** The text after fail2ban's rewrite, with each character's source span in the original value. */
interface Rewritten {
  text: string;
  from: number[];
  to: number[];
}

/** Letters that case-insensitive `[a-z]` / unit spellings match in Python's Unicode mode. */
function foldLetter(ch: string): string {
  if (ch === '\u0130' || ch === '\u0131') return 'i';
  if (ch === '\u017f') return 's';
  if (ch === '\u212a') return 'k';
  return /^[A-Za-z]$/.test(ch) ? ch.toLowerCase() : '';
}

function charAt(s: string, i: number): string {
  return i >= 0 && i < s.length ? s[i] : '';
}

/** Pass 1: `(?i)(?<=[a-z])(\d)` → ` \1` (split "1d12h" into "1d 12h"). */
function splitLettersFromDigits(input: Rewritten): Rewritten {
  const out: Rewritten = { text: '', from: [], to: [] };
  for (let i = 0; i < input.text.length; i++) {
    const ch = input.text[i];
    if (i > 0 && foldLetter(input.text[i - 1]) !== '' && isPyDecimal(ch)) {
      out.text += ' ';
      out.from.push(input.from[i]);
      out.to.push(input.from[i]);
    }
    out.text += ch;
    out.from.push(input.from[i]);
    out.to.push(input.to[i]);
  }
  return out;
}

function matchesSpelling(text: string, at: number, spelling: string): boolean {
  if (at + spelling.length > text.length) return false;
  for (let k = 0; k < spelling.length; k++) if (foldLetter(text[at + k]) !== spelling[k]) return false;
  return true;
}

/** Pass 2 (one unit): `(?i)(?<=[\d\s])(<spellings>)\b` → `*<seconds>`. */
function replaceUnit(input: Rewritten, unit: TimeUnit): Rewritten {
  const out: Rewritten = { text: '', from: [], to: [] };
  const text = input.text;
  let i = 0;
  while (i < text.length) {
    const before = charAt(text, i - 1);
    if (before !== '' && (isPyDecimal(before) || isPySpace(before))) {
      const spelling = unit.spellings.find(
        (s) => matchesSpelling(text, i, s) && !isPyWordChar(charAt(text, i + s.length) || ' '),
      );
      if (spelling) {
        const replacement = '*' + unit.factor;
        const start = input.from[i];
        const end = input.to[i + spelling.length - 1];
        for (const ch of replacement) {
          out.text += ch;
          out.from.push(start);
          out.to.push(end);
        }
        i += spelling.length;
        continue;
      }
    }
    out.text += text[i];
    out.from.push(input.from[i]);
    out.to.push(input.to[i]);
    i++;
  }
  return out;
}

/** Pass 3: `(\d)\s+(\d)` → `\1+\2` (bare numbers separated by spaces are added). */
function joinNumbers(input: Rewritten): Rewritten {
  const out: Rewritten = { text: '', from: [], to: [] };
  const text = input.text;
  let i = 0;
  const copy = (k: number): void => {
    out.text += text[k];
    out.from.push(input.from[k]);
    out.to.push(input.to[k]);
  };
  while (i < text.length) {
    if (isPyDecimal(text[i])) {
      let j = i + 1;
      while (j < text.length && isPySpace(text[j])) j++;
      if (j > i + 1 && j < text.length && isPyDecimal(text[j])) {
        copy(i);
        out.text += '+';
        out.from.push(input.from[i + 1]);
        out.to.push(input.to[j - 1]);
        copy(j);
        i = j + 1;
        continue;
      }
    }
    copy(i);
    i++;
  }
  return out;
}

/** Replays fail2ban's rewrite of a time value (what eval() finally sees). */
export function rewriteDuration(value: string): { text: string; from: number[]; to: number[] } {
  let current: Rewritten = { text: value, from: [], to: [] };
  for (let i = 0; i < value.length; i++) {
    current.from.push(i);
    current.to.push(i + 1);
  }
  current = splitLettersFromDigits(current);
  for (const unit of TIME_UNITS) current = replaceUnit(current, unit);
  return joinNumbers(current);
}

/** Names defined where str2seconds calls eval() (module globals of mytime.py, its locals, builtins). */
const MYTIME_NAMES = new Set([
  'datetime', 're', 'time', 'MyTime', 'val', 'rexp', 'rpl', '__name__', '__doc__', '__file__', '__builtins__',
  '__author__', '__copyright__', '__license__', '__package__', '__loader__', '__spec__', '__cached__',
]);
const PY_BUILTINS = new Set([
  'abs', 'all', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod',
  'compile', 'complex', 'copyright', 'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec',
  'exit', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id',
  'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'license', 'list', 'locals', 'map', 'max',
  'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr',
  'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type',
  'vars', 'zip', 'aiter', 'anext', 'Ellipsis', 'NotImplemented', '__debug__', '__import__', '__build_class__',
  'BaseException', 'Exception', 'ArithmeticError', 'ValueError', 'TypeError', 'NameError', 'KeyError',
]);

export const PYTHON_BUILTIN_NAMES: ReadonlySet<string> = PY_BUILTINS;

function lookupMyTimeName(name: string): PyValue | undefined {
  if (MYTIME_NAMES.has(name) || PY_BUILTINS.has(name)) return { t: 'object', name };
  return undefined;
}

function hint(): string {
  return t('write a number with a unit, e.g. 600, 10m, 1h, 2d, 1w, 6mo, 1y (units: s, m, h, d, w, mo, y)');
}

function quote(value: string): string {
  return `'${value.trim()}'`;
}

function unknownWordHint(word: string): string {
  const typo = UNIT_TYPOS[word.toLowerCase()];
  return typo ? t("write {0} instead of {1} ('{1}' is not a unit fail2ban knows)", typo, word) : hint();
}

/** The admin's message: the value, the fix, then the consequence. */
function unreadable(value: string, hint: string): string {
  return t('{0} is not a time fail2ban can read: {1}. fail2ban stops at start-up', quote(value), hint);
}

function collectSuspicions(value: string, rewritten: string, trace: EvalTrace | null, result: PyValue | null): DurationSuspicion[] {
  const out = new Set<DurationSuspicion>();
  if (/#/.test(value)) out.add('comment');
  if (trace?.usedBoolOps) out.add('and-or');
  if (trace?.usedComparison) out.add('comparison');
  if (trace && [...trace.names].length > 0) out.add('name');
  const code = rewritten.replace(/#.*$/s, '');
  if (/,/.test(code)) out.add('tuple');
  // arithmetic the user typed (not the '*<unit>' and '+' fail2ban inserts; a leading sign is just a sign)
  const typed = value.replace(/#.*$/s, '').trim().replace(/^[-+]/, '');
  if (/[()*/%+-]/.test(typed)) out.add('arithmetic');
  if (/\bnot\b/.test(code)) out.add('comparison');
  if (result) {
    const n = result.t === 'int' ? Number(result.v) : result.t === 'float' ? result.v : result.t === 'bool' ? Number(result.v) : NaN;
    if (n < 0) out.add('negative');
    if (n === 0) out.add('zero');
    if (result.t === 'float' && !Number.isInteger(result.v)) out.add('fraction');
  }
  return [...out];
}

const PY_WORDS = new Set(['and', 'or', 'not', 'if', 'else', 'True', 'False', 'None']);

/** First letters-word left in the rewritten text (not a unit), as a span of the original value. */
function leftoverWord(r: Rewritten, value: string): { text: string; start: number; end: number } | null {
  const re = /[^\W\d_][\p{L}\p{N}_]*/gu;
  for (let m = re.exec(r.text); m; m = re.exec(r.text)) {
    if (PY_WORDS.has(m[0])) continue;
    const start = r.from[m.index];
    const end = r.to[m.index + m[0].length - 1];
    return { text: value.slice(start, end), start, end };
  }
  return null;
}

/** Maps a span of the rewritten text back to the original value. */
function originalSpan(r: Rewritten, start: number, end: number, valueLength: number): [number, number] {
  if (r.text.length === 0) return [0, valueLength];
  const s = Math.min(Math.max(start, 0), r.text.length - 1);
  const e = Math.min(Math.max(end, s + 1), r.text.length);
  return [r.from[s], r.to[e - 1]];
}

/** Parses a fail2ban time value exactly as `MyTime.str2seconds` does (never throws). */
export function parseDuration(value: string): DurationResult {
  const r = rewriteDuration(value);
  // builtin eval() strips leading spaces and tabs of a str source
  let lead = 0;
  while (lead < r.text.length && (r.text[lead] === ' ' || r.text[lead] === '\t')) lead++;
  const source = r.text.slice(lead);
  const fail = (pythonError: DurationPythonError, detail: string, start: number, end: number, trace: EvalTrace | null = null): DurationResult => {
    const [s, e] = originalSpan(r, start + lead, end + lead, value.length);
    return {
      ok: false,
      message: unreadable(value, pythonError === 'SyntaxError' || pythonError === 'NameError' ? unknownWordHint(value.slice(s, e).trim()) : hint()),
      details: `Python ${pythonError === 'not-a-number' || pythonError === 'unsupported' ? 'error' : pythonError}: ${detail}`,
      start: s,
      end: Math.max(e, s),
      pythonError,
      suspicious: collectSuspicions(value, r.text, trace, null),
    };
  };
  if (value.includes('\0')) return fail('ValueError', 'the value contains a NUL character', 0, source.length);
  if (source.trim() === '') {
    return {
      ok: false,
      message: t('the time is empty: {0}. fail2ban stops at start-up', hint()),
      details: 'Python SyntaxError: an empty expression',
      start: 0,
      end: value.length,
      pythonError: 'SyntaxError',
      suspicious: [],
    };
  }
  let tree;
  try {
    tree = parseExpression(source);
  } catch (err) {
    if (err instanceof PySyntaxError) {
      // Blame the first word fail2ban did not turn into a unit: that is almost always the mistake.
      const detail = err.message;
      const word = leftoverWord(r, value);
      if (word) {
        return {
          ok: false,
          message: unreadable(value, unknownWordHint(word.text)),
          details: `Python SyntaxError: ${detail}`,
          start: word.start,
          end: word.end,
          pythonError: 'SyntaxError',
          suspicious: collectSuspicions(value, r.text, null, null),
        };
      }
      return fail('SyntaxError', detail, err.start, err.end);
    }
    return fail('unsupported', 'unreadable expression', 0, source.length);
  }
  const trace: EvalTrace = { names: new Set(), usedBoolOps: false, usedComparison: false, inexact: false };
  let result: PyValue;
  try {
    result = evaluate(tree, { lookup: lookupMyTimeName }, trace);
  } catch (err) {
    if (err instanceof PyRuntimeError) {
      if (err.errorType === 'NameError') {
        const [s, e] = originalSpan(r, err.start + lead, err.end + lead, value.length);
        const word = value.slice(s, e);
        return {
          ok: false,
          message: unreadable(value, unknownWordHint(word)),
          details: `Python NameError: ${err.message}`,
          start: s,
          end: e,
          pythonError: 'NameError',
          suspicious: collectSuspicions(value, r.text, trace, null),
        };
      }
      return fail(err.errorType as DurationPythonError, err.message, err.start, err.end, trace);
    }
    if (err instanceof PyUnknown) {
      return fail('unsupported', `Python code (${err.what}) that this checker does not run`, err.start, err.end, trace);
    }
    return fail('unsupported', 'unreadable expression', 0, source.length, trace);
  }
  const suspicious = collectSuspicions(value, r.text, trace, result);
  if (result.t === 'int' || result.t === 'bool' || result.t === 'float') {
    const seconds = result.t === 'int' ? Number(result.v) : result.t === 'bool' ? Number(result.v) : result.v;
    return { ok: true, seconds, exact: !trace.inexact && Number.isFinite(seconds), isFloat: result.t === 'float', suspicious };
  }
  const what =
    result.t === 'tuple'
      ? t("a tuple of {0} values — ',' separates values in Python", result.items.length)
      : result.t === 'none'
        ? 'None'
        : result.t === 'object'
          ? t('a Python object')
          : t('a {0}', result.t);
  return {
    ok: false,
    message: t('{0} is {1}, not a number of seconds: {2}. fail2ban stops at start-up', quote(value), what, hint()),
    details: 'Python TypeError: the value is not a number',
    start: 0,
    end: value.length,
    pythonError: 'not-a-number',
    suspicious,
  };
}

const FORMAT_UNITS: readonly [string, number][] = [
  ['year', 31557600],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** Human text for a number of seconds: "7 days", "1 hour 30 minutes", "permanent" for negatives. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `${formatDuration(-seconds)} before (negative: a permanent ban for bantime)`;
  if (seconds === 0) return '0 seconds';
  let rest = seconds;
  const parts: string[] = [];
  for (const [name, size] of FORMAT_UNITS) {
    // a year is 365.25 days: only use it when the value is a whole number of such years
    if (name === 'year' && rest % size !== 0) continue;
    const count = Math.floor(rest / size + 1e-9);
    if (count >= 1) {
      parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
      rest -= count * size;
    }
  }
  if (rest > 1e-9) parts.push(`${Number(rest.toFixed(3))} seconds`);
  return parts.join(' ');
}
