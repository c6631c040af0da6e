// Small fail2ban value grammars (1.1.0 unless noted): logtimezone (strptime.validateTimeZone),
// logencoding (codecs.lookup of Python 3.11), loglevel (helpers.str2LogLevel), usedns
// (Filter.setUseDns), logpath lines (JailReader + Transmitter), ignorecache (Server.setIgnoreCache),
// backend names (Jail._setBackend) and Python int() on a str (client int options).
import { parseDuration } from './duration';
import { parseNameParams, type NameParam } from './nameParams';
import { PY_CODEC_ALIASES, PY_CODEC_MODULES, PY_NON_TEXT_CODEC_KEYS } from './pyCodecs';
import { decimalDigitValue, isPyDecimal, pyInt, pyRepr } from './pyText';
import { lazyRegex } from '../lazyRegex';

export { pyInt as parsePythonInt };

// ---------------------------------------------------------------- logtimezone

/** fail2ban 1.1.0 strptime TZ_STR: abbreviation → offset in minutes. */
const TZ_TABLE: readonly [number, string][] = [
  [-12, 'Y'], [-11, 'X NUT SST'], [-10, 'W CKT HAST HST TAHT TKT'], [-9, 'V AKST GAMT GIT HADT HNY'],
  [-8, 'U AKDT CIST HAY HNP PST PT'], [-7, 'T HAP HNR MST PDT'], [-6, 'S CST EAST GALT HAR HNC MDT'],
  [-5, 'R CDT COT EASST ECT EST ET HAC HNE PET'], [-4, 'Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT'],
  [-3, 'P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT'], [-2, 'O BRST FNT PMDT UYST WGST'],
  [-1, 'N AZOT CVT EGT'], [0, 'Z EGST GMT UTC WET WT'], [1, 'A CET DFT WAT WEDT WEST'],
  [2, 'B CAT CEDT CEST EET SAST WAST'], [3, 'C EAT EEDT EEST IDT MSK'], [4, 'D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT'],
  [5, 'E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT'], [6, 'F ALMT BIOT BTT IOT KGT NOVT OMST YEKST'],
  [7, 'G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB'], [8, 'H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST'],
  [9, 'I AWDT IRKST JST KST PWT TLT WDT WIT YAKT'], [10, 'K AEST ChST PGT VLAT YAKST YAPT'],
  [11, 'L AEDT LHDT MAGT NCT PONT SBT VLAST VUT'], [12, 'M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT'],
  [13, 'FJST NZDT'], [11.5, 'NFT'], [10.5, 'ACDT LHST'], [9.5, 'ACST'], [6.5, 'CCT MMT'], [5.75, 'NPT'], [5.5, 'SLT'],
  [4.5, 'AFT IRDT'], [3.5, 'IRST'], [-2.5, 'HAT NDT'], [-3.5, 'HNT NST NT'], [-4.5, 'HLV VET'], [-9.5, 'MART MIT'],
];
export const TIME_ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = new Map(
  TZ_TABLE.flatMap(([hours, names]) => names.split(' ').map((n) => [n, Math.trunc(hours * 60)] as [string, number])),
);

const fixedOffsetTz = lazyRegex(() => /^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\p{Nd}(?::?\p{Nd}{2})?)?(?=\n?$)/u);

export type TimeZoneResult =
  | { ok: true; offsetMinutes: number }
  | { ok: false; message: string; pythonError: 'ValueError' | 'KeyError' };

function digitsValue(s: string): number {
  let n = 0;
  for (const ch of s) n = n * 10 + decimalDigitValue(ch);
  return n;
}

/** validateTimeZone(tz): `[ABBR][+-]hh[[:]mm]` with a known upper-case abbreviation. */
export function parseTimeZone(value: string): TimeZoneResult {
  const m = fixedOffsetTz().exec(value);
  if (!m) return { ok: false, message: `Unknown or unsupported time zone: ${pyRepr(value)}`, pythonError: 'ValueError' };
  const abbr = m[1] ?? '';
  const base = abbr === '' ? 0 : TIME_ZONE_ABBREVIATIONS.get(abbr);
  if (base === undefined) return { ok: false, message: pyRepr(abbr), pythonError: 'KeyError' };
  const offset = m[2];
  if (!offset) return { ok: true, offsetMinutes: base };
  const cps = Array.from(offset);
  const sign = cps[0] === '-' ? -1 : 1;
  if (cps.length <= 3) return { ok: true, offsetMinutes: base + sign * digitsValue(cps.slice(1).join('')) * 60 };
  const minutes = cps[3] === ':' ? cps.slice(4, 6) : cps.slice(3, 5);
  return { ok: true, offsetMinutes: base + sign * (digitsValue(cps.slice(1, 3).join('')) * 60 + digitsValue(minutes.join(''))) };
}

// ---------------------------------------------------------------- logencoding

const CODEC_ALIASES = new Set(PY_CODEC_ALIASES);
const CODEC_MODULES = new Set(PY_CODEC_MODULES);
const NON_TEXT = new Set(PY_NON_TEXT_CODEC_KEYS);

/** CPython's encoding-name normalisation (codecs.lookup): ASCII letters/digits/'.', other runs → '_'. */
export function normalizeEncodingName(name: string): string {
  let out = '';
  let punct = false;
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.]/.test(ch)) {
      if (punct && out !== '') out += '_';
      punct = false;
      out += ch.toLowerCase();
    } else punct = true;
  }
  return out;
}

export type EncodingResult =
  | { ok: true; auto: boolean; normalized: string; textEncoding: boolean }
  | { ok: false; message: string };

/** Filter.setLogEncoding: 'auto' (any case) or a name codecs.lookup() accepts. */
export function checkLogEncoding(value: string): EncodingResult {
  if (value.toLowerCase() === 'auto') return { ok: true, auto: true, normalized: 'auto', textEncoding: true };
  if (value.includes('\0')) return { ok: false, message: 'embedded null character' };
  const norm = normalizeEncodingName(value);
  const known =
    CODEC_ALIASES.has(norm) || CODEC_ALIASES.has(norm.replace(/\./g, '_')) || (!norm.includes('.') && CODEC_MODULES.has(norm));
  if (!known) return { ok: false, message: `unknown encoding: ${value}` };
  const textEncoding = !NON_TEXT.has(norm) && !NON_TEXT.has(norm.replace(/\./g, '_'));
  return { ok: true, auto: false, normalized: norm, textEncoding };
}

/** Every accepted normalised codec name (for completion and did-you-mean). */
export const CODEC_NAMES: readonly string[] = [...new Set([...PY_CODEC_MODULES, ...PY_CODEC_ALIASES])].sort();

// ---------------------------------------------------------------- loglevel

/** Level names fail2ban's str2LogLevel resolves to a number (logging + fail2ban's own levels). */
export const LOG_LEVELS: ReadonlyMap<string, number> = new Map([
  ['CRITICAL', 50], ['FATAL', 50], ['ERROR', 40], ['WARNING', 30], ['WARN', 30], ['NOTICE', 25], ['INFO', 20],
  ['MSG', 18], ['DEBUG', 10], ['TRACEDEBUG', 7], ['HEAVYDEBUG', 5], ['NOTSET', 0],
]);

export type LogLevelResult = { ok: true; level: number } | { ok: false; message: string };

/** helpers.str2LogLevel: digits (str.isdigit) → int, else a logging attribute after upper(). */
export function parseLogLevel(value: string): LogLevelResult {
  const invalid = { ok: false as const, message: `Invalid log level ${pyRepr(value)}` };
  const cps = Array.from(value);
  if (cps.length > 0 && cps.every((ch) => /\p{N}/u.test(ch))) {
    // str.isdigit() accepts superscripts etc., which int() then rejects
    if (!cps.every(isPyDecimal)) return { ok: false, message: `invalid literal for int() with base 10: ${pyRepr(value)}` };
    const parsed = pyInt(value);
    return parsed.ok ? { ok: true, level: Number(parsed.value) } : { ok: false, message: parsed.message };
  }
  const level = LOG_LEVELS.get(value.toUpperCase());
  return level === undefined ? invalid : { ok: true, level };
}

// ---------------------------------------------------------------- usedns

export const USEDNS_VALUES: readonly string[] = ['yes', 'warn', 'no', 'raw'];

/** Filter.setUseDns: lower-cased; anything else logs an error and means 'no'. */
export function readUseDns(value: string): { value: string; valid: boolean; message?: string } {
  const lower = value.toLowerCase();
  if (USEDNS_VALUES.includes(lower)) return { value: lower, valid: true };
  return { value: 'no', valid: false, message: `Incorrect value ${pyRepr(lower)} specified for usedns. Using safe 'no'` };
}

// ---------------------------------------------------------------- logpath

export interface LogPathLine {
  /** The glob fail2ban expands. */
  path: string;
  pathStart: number;
  pathEnd: number;
  /** The read-position word after the last space, as written (undefined → 'head'). */
  option?: string;
  optionStart?: number;
  optionEnd?: number;
  /** 'head'/'tail' (any case) are accepted; anything else is fatal in the server. */
  optionValid: boolean;
  /** Server message for a bad option. */
  message?: string;
}

/** JailReader: logpath lines split on '\n'; each `path.rsplit(" ", 1)`. */
export function parseLogPath(value: string): LogPathLine[] {
  const out: LogPathLine[] = [];
  let lineStart = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i !== value.length && value[i] !== '\n') continue;
    const line = value.slice(lineStart, i);
    const space = line.lastIndexOf(' ');
    if (space < 0) {
      out.push({ path: line, pathStart: lineStart, pathEnd: i, optionValid: true });
    } else {
      const option = line.slice(space + 1);
      const valid = ['head', 'tail'].includes(option.toLowerCase());
      out.push({
        path: line.slice(0, space),
        pathStart: lineStart,
        pathEnd: lineStart + space,
        option,
        optionStart: lineStart + space + 1,
        optionEnd: i,
        optionValid: valid,
        ...(valid ? {} : { message: "File option must be 'head' or 'tail'" }),
      });
    }
    lineStart = i + 1;
  }
  return out;
}

// ---------------------------------------------------------------- ignorecache

export type IgnoreCacheResult =
  | { ok: true; empty: boolean; key?: NameParam; maxCount?: number; maxTimeSeconds?: number; params: NameParam[] }
  | { ok: false; message: string; start: number; end: number };

/** Server.setIgnoreCache: `extractOptions("cache[" + value + "]")`, then key required, ints and times. */
export function parseIgnoreCache(value: string): IgnoreCacheResult {
  if (value === '') return { ok: true, empty: true, params: [] };
  const prefix = 'cache[';
  const parsed = parseNameParams(prefix + value + ']');
  const shift = (n: number): number => Math.min(Math.max(n - prefix.length, 0), value.length);
  if (!parsed.ok) return { ok: false, message: parsed.message, start: shift(parsed.start), end: shift(parsed.end) };
  const params = parsed.params.map((p) => ({
    ...p,
    keyStart: shift(p.keyStart),
    keyEnd: shift(p.keyEnd),
    valueStart: shift(p.valueStart),
    valueEnd: shift(p.valueEnd),
  }));
  const last = (key: string): NameParam | undefined => [...params].reverse().find((p) => p.key === key);
  const key = last('key');
  if (!key) return { ok: false, message: "KeyError('key')", start: 0, end: value.length };
  const count = last('max-count');
  let maxCount = 100;
  if (count) {
    const n = pyInt(count.value);
    if (!n.ok) return { ok: false, message: n.message, start: count.valueStart, end: count.valueEnd };
    maxCount = Number(n.value);
  }
  const time = last('max-time');
  let maxTimeSeconds = 300;
  if (time) {
    const d = parseDuration(time.value);
    if (!d.ok) return { ok: false, message: d.message, start: time.valueStart, end: time.valueEnd };
    maxTimeSeconds = d.seconds;
  }
  return { ok: true, empty: false, key, maxCount, maxTimeSeconds, params };
}

// ---------------------------------------------------------------- backend

/** What parseBackend needs to know of a fail2ban version (knowledge/backends.ts backendsFor + the version's facts). */
export interface BackendGrammar {
  /** Backends the server knows (Jail._BACKENDS) plus 'auto', with the parameters each accepts. */
  backends: readonly { name: string; params: readonly { name: string }[] }[];
  /** `key?family=…=value` parameters accepted. */
  conditionalParams: boolean;
}

export type BackendResult =
  | { ok: true; backend: string; params: NameParam[]; unknownParams: NameParam[] }
  | { ok: false; message: string; start: number; end: number };

/** Jail._setBackend: `name[params]`, name lower-cased, must be known; params per backend. */
export function parseBackend(value: string, grammar: BackendGrammar): BackendResult {
  const parsed = parseNameParams(value, { conditionalParams: grammar.conditionalParams });
  if (!parsed.ok) return parsed;
  const name = parsed.name.toLowerCase();
  const known = grammar.backends.map((b) => b.name).filter((b) => b !== 'auto');
  if (name !== 'auto' && !known.includes(name)) {
    return {
      ok: false,
      message: `Unknown backend ${name}. Must be among ${'[' + known.map((b) => `'${b}'`).join(', ') + ']'} or 'auto'`,
      start: parsed.nameStart,
      end: parsed.nameEnd,
    };
  }
  const allowed = grammar.backends.find((b) => b.name === name)?.params.map((p) => p.name) ?? [];
  // 'auto' passes its params to pyinotify/polling, which take none (TypeError)
  const unknownParams = parsed.params.filter((p) => !allowed.includes(p.key));
  return { ok: true, backend: name, params: parsed.params, unknownParams };
}
