// fail2ban regex tags (fail2ban/server/failregex.py, 1.1.0): <HOST>, <ADDR>, <F-ID>…</F-ID> etc.
// are expanded exactly like Regex._resolveHostTag, global flags are mapped like R_GLOB2LOCFLAGS,
// then the result is checked with the Python 3.11 `re` syntax checker. Error positions are mapped
// back to the text the user wrote. Callers pass already-interpolated text (%(known/failregex)s…).
import { checkPythonRegex } from './pyRegex';
import { isPySpace } from './pyText';
import { lazyRegex } from '../lazyRegex';

const IP_4_RE = '(?:\\d{1,3}\\.){3}\\d{1,3}';
const IP_6_RE = '(?:[0-9a-fA-F]{1,4}::?|:){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)';
const R_IPV4 = `(?:::f{4,6}:)?(?P<ip4>${IP_4_RE})`;
const R_IPV6 = `(?P<ip6>${IP_6_RE})`;
const R_DNS = '(?P<dns>[\\w\\-.^_]*\\w)';
const R_CIDR = '(?P<cidr>\\d+)';
const R_IP_EITHER = `(?:${R_IPV4}|${R_IPV6})`;
const R_ADDR = `\\[?${R_IP_EITHER}\\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const R_SUBNET = `\\[?${R_IP_EITHER}(?:/${R_CIDR})?\\]?`;
/** The long groups tags expand to, parsed once rather than in every line that uses them (checkPythonRegex). */
const TAG_FRAGMENTS: readonly string[] = [R_HOST, R_IP_EITHER];

/** Static tag replacements (RH4TAG of fail2ban 1.1.0). `HOST` depends on usedns. */
export const REGEX_TAGS: Readonly<Record<string, string>> = {
  IP4: R_IPV4, 'F-IP4/': R_IPV4, IP6: R_IPV6, 'F-IP6/': R_IPV6, ADDR: R_ADDR, 'F-ADDR/': R_ADDR,
  CIDR: R_CIDR, 'F-CIDR/': R_CIDR, SUBNET: R_SUBNET, 'F-SUBNET/': R_SUBNET, DNS: R_DNS, 'F-DNS/': R_DNS,
  'F-ID/': '(?P<fid>\\S+)', 'F-PORT/': '(?P<fport>\\w+)',
};
/** Groups that identify a failure (FAILURE_ID_PRESENTS). */
export const FAILURE_ID_GROUPS: readonly string[] = ['fid', 'ip4', 'ip6', 'dns', 'mlfid'];
/** Tag names fail2ban knows, for did-you-mean on literal tags. */
export const KNOWN_REGEX_TAGS: readonly string[] = ['HOST', 'SKIPLINES', ...Object.keys(REGEX_TAGS).filter((k) => !k.endsWith('/'))];

const ftagRe = lazyRegex(() => /<\/?[\p{L}\p{N}_-]+\/?>/gu);
const FCUSTNAME_RE = /^(\/?)F-([A-Z0-9_-]+)$/;
const TAG_TO_GROUP: Record<string, string> = { id: 'fid', port: 'fport' };

export interface Expansion {
  text: string;
  /** from[i]/to[i]: span in the original text that produced character i of `text`. */
  from: number[];
  to: number[];
  /** Tags left as literal text (unknown names, closing tags never opened). */
  literalTags: { tag: string; start: number; end: number }[];
  skipLines: number;
}

function identity(text: string): Expansion {
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; i++) {
    from.push(i);
    to.push(i + 1);
  }
  return { text, from, to, literalTags: [], skipLines: 0 };
}

/**
 * false while checkFailRegex expands a line only to compile it: `from`/`to` (an entry per character of the expanded
 * text, hundreds for a <HOST>) are only needed to blame a position, so they are built again for a line that fails.
 */
let recordOffsets = true;

/** Appends regex[a, b) to `out`, each character mapped to itself (module-level: no closure per checked line). */
function copyRegex(out: Expansion, regex: string, a: number, b: number): void {
  out.text += regex.slice(a, b);
  if (!recordOffsets) return;
  for (let i = a; i < b; i++) {
    out.from.push(i);
    out.to.push(i + 1);
  }
}

/** Appends `replacement` to `out`, every character mapped to the tag's [a, b). */
function insertText(out: Expansion, replacement: string, a: number, b: number): void {
  out.text += replacement;
  if (!recordOffsets) return;
  for (let k = 0; k < replacement.length; k++) {
    out.from.push(a);
    out.to.push(b);
  }
}

/** Appends input[a, b) with its offsets (mapGlobalFlags). */
function copyExpansion(out: Expansion, input: Expansion, a: number, b: number): void {
  out.text += input.text.slice(a, b);
  if (!recordOffsets) return;
  for (let i = a; i < b; i++) {
    out.from.push(input.from[i]);
    out.to.push(input.to[i]);
  }
}

/** Regex._resolveHostTag: expands fail2ban tags like the server does. */
export function expandRegexTags(regex: string, useDns = 'warn'): Expansion {
  const out: Expansion = { text: '', from: [], to: [], literalTags: [], skipLines: 0 };
  const openTags = new Set<string>();
  let last = 0;
  for (const m of regex.matchAll(ftagRe())) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    copyRegex(out, regex, last, start);
    last = end;
    const tag = m[0];
    const tn = tag.slice(1, -1);
    if (tn === 'HOST') {
      insertText(out, useDns !== 'no' ? R_HOST : R_ADDR, start, end);
      continue;
    }
    if (tn === 'SKIPLINES') {
      insertText(out, `\\n(?P<skiplines${out.skipLines}>(?:(?:.*\\n)*?))`, start, end);
      out.skipLines++;
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(REGEX_TAGS, tn)) {
      insertText(out, REGEX_TAGS[tn], start, end);
      continue;
    }
    const custom = FCUSTNAME_RE.exec(tn);
    if (custom) {
      const name = custom[2];
      if (custom[1]) {
        if (openTags.has(name)) insertText(out, ')', start, end);
        else {
          copyRegex(out, regex, start, end);
          out.literalTags.push({ tag, start, end });
        }
        continue;
      }
      openTags.add(name);
      const lower = name.toLowerCase();
      insertText(out, `(?P<${TAG_TO_GROUP[lower] ?? lower}>`, start, end);
      continue;
    }
    copyRegex(out, regex, start, end);
    out.literalTags.push({ tag, start, end });
  }
  copyRegex(out, regex, last, regex.length);
  return out;
}

/** What mapGlobalFlags rewrites (its regex without the g flag, for a quick test). */
const GLOBAL_FLAGS_GROUP = /(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/;

/** R_GLOB2LOCFLAGS: `((?i)x)` / `(?:(?i)x)` → `(?i:x)` (Python ≥ 3.6 path). */
function mapGlobalFlags(input: Expansion): Expansion {
  if (!GLOBAL_FLAGS_GROUP.test(input.text)) return input; // nothing to map: the same text and offsets
  const re = /(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/g;
  const out: Expansion = { ...input, text: '', from: [], to: [] };
  let last = 0;
  for (const m of input.text.matchAll(re)) {
    const start = m.index ?? 0;
    copyExpansion(out, input, last, start);
    const groupStart = start + m[0].indexOf(m[1]);
    copyExpansion(out, input, groupStart, groupStart + m[1].length);
    out.text += ':';
    if (recordOffsets) {
      out.from.push(input.from[start + m[0].length - 1]);
      out.to.push(input.to[start + m[0].length - 1]);
    }
    last = start + m[0].length;
  }
  copyExpansion(out, input, last, input.text.length);
  return out;
}

export interface RegexCheckOptions {
  /** 'fail' needs a failure-id group (unless the prefregex has one); 'pref'/'ignore' do not. */
  kind?: 'fail' | 'pref' | 'ignore';
  /** The jail/filter `usedns` value (HOST without DNS when 'no'). */
  useDns?: string;
  /** maxlines > 1: fail2ban compiles failregex with re.MULTILINE (no syntax effect). */
  multiline?: boolean;
  /** The filter's prefregex has a failure-id group itself. */
  prefRegexHasFailureId?: boolean;
}

export interface RegexCheck {
  ok: boolean;
  /** The regex fail2ban compiles (tags expanded, flags mapped). */
  expanded: string;
  /** fail2ban's own error text ('Unable to compile regular expression …', 'No failure-id group in …'). */
  message?: string;
  /** Python's re error alone, e.g. "missing ), unterminated subpattern at position 1". */
  reError?: string;
  /** Offsets in the original regex text to blame. */
  start?: number;
  end?: number;
  /** The regex itself has a failure-id group (fid, ip4, ip6, dns, mlfid). */
  hasFailureId: boolean;
  groupNames: string[];
  literalTags: { tag: string; start: number; end: number }[];
  skipLines: number;
}

/** Checks one failregex / ignoreregex / prefregex line like fail2ban 1.1.0's server (never throws). */
export function checkFailRegex(regex: string, options: RegexCheckOptions = {}): RegexCheck {
  const kind = options.kind ?? 'fail';
  const useDns = options.useDns ?? 'warn';
  recordOffsets = false;
  let expansion: Expansion;
  try {
    expansion = mapGlobalFlags(expandRegexTags(regex, useDns));
  } finally {
    recordOffsets = true;
  }
  const base = { expanded: expansion.text, literalTags: expansion.literalTags, skipLines: expansion.skipLines };
  let k = 0;
  while (k < expansion.text.length && isPySpace(expansion.text[k])) k++;
  if (k === expansion.text.length) {
    return { ok: false, ...base, message: 'Cannot add empty regex', start: 0, end: regex.length, hasFailureId: false, groupNames: [] };
  }
  const result = checkPythonRegex(expansion.text, { fragments: TAG_FRAGMENTS });
  if (!result.ok) {
    expansion = mapGlobalFlags(expandRegexTags(regex, useDns)); // again, with the offsets to blame
    const at = Math.min(result.offset, Math.max(expansion.text.length - 1, 0));
    const hasPosition = result.position !== undefined && expansion.text.length > 0;
    return {
      ok: false,
      ...base,
      message: `Unable to compile regular expression '${expansion.text}':\n${result.message}`,
      reError: result.message,
      start: hasPosition ? expansion.from[at] : 0,
      end: hasPosition ? expansion.to[at] : regex.length,
      hasFailureId: false,
      groupNames: [],
    };
  }
  const groupNames = [...result.groupNames.keys()];
  const hasFailureId = FAILURE_ID_GROUPS.some((g) => result.groupNames.has(g));
  if (kind === 'fail' && !hasFailureId && !options.prefRegexHasFailureId) {
    return {
      ok: false,
      ...base,
      message: `No failure-id group in '${expansion.text}'`,
      start: 0,
      end: regex.length,
      hasFailureId,
      groupNames,
    };
  }
  return { ok: true, ...base, hasFailureId, groupNames };
}

export interface RegexLine {
  text: string;
  start: number;
  end: number;
}

/**
 * A failregex/ignoreregex value is one regex per line: FilterReader splits on '\n' and drops only
 * empty lines (configparser has already stripped each line).
 */
export function splitRegexLines(value: string): RegexLine[] {
  const out: RegexLine[] = [];
  let lineStart = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === '\n') {
      if (i > lineStart) out.push({ text: value.slice(lineStart, i), start: lineStart, end: i });
      lineStart = i + 1;
    }
  }
  return out;
}

export { identity as identityExpansion };
