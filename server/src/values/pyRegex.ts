// Python 3.11 `re` syntax checker: a port of the parsing half of CPython 3.11's re/_parser.py
// (plus the look-behind width check of re/_compiler.py), so that verdicts and error messages
// are Python's own. Patterns are never executed. Positions are code-point indexes, as Python
// reports them; `offset`/`endOffset` are the same places as UTF-16 offsets for editors.
import { CodePointMap, isPyIdentifier, pyInt, pyRepr } from './pyText';

/** _sre.MAXREPEAT and _sre.MAXGROUPS on 64-bit CPython 3.11. */
const MAXREPEAT = 4294967295;
const MAXGROUPS = 1073741823;
/**
 * Deepest nesting we follow (counts two per group level). CPython 3.11 hits its recursion limit
 * (RecursionError) at about 490 group levels when called from the top level, fewer inside fail2ban.
 */
const MAX_NESTING = 800;

export interface PyRegexOk {
  ok: true;
  /** Capturing groups (without group 0). */
  groups: number;
  /** Named groups → group number. */
  groupNames: Map<string, number>;
  /** Global inline flags found at the start, e.g. 'i', 'x'. */
  globalFlags: string;
}

export interface PyRegexError {
  ok: false;
  /** Exactly what Python prints: "<msg> at position N" (+ " (line L, column C)" for multi-line patterns). */
  message: string;
  /** The unformatted message (re.error.msg). */
  msg: string;
  /** Python's position (code points), when Python gives one. */
  position?: number;
  /** The exception class Python raises from re.compile. */
  errorType: 're.error' | 'OverflowError' | 'ValueError' | 'RecursionError';
  /** UTF-16 offset of `position` in the pattern (0 when Python gives no position). */
  offset: number;
  /** false when our verdict is a conservative guess (e.g. \N{…} names, extreme nesting). */
  certain: boolean;
}

export type PyRegexResult = PyRegexOk | PyRegexError;

export interface PyRegexOptions {
  /** re.VERBOSE passed as a compile flag (fail2ban never does; inline (?x) is always honoured). */
  verbose?: boolean;
  /**
   * Group texts the pattern often contains (fail2ban's expanded <HOST>): each is parsed once on its own and
   * spliced in where it occurs, when that gives exactly what parsing it in place would (see spliceFragment).
   */
  fragments?: readonly string[];
}

// ---- opcodes (only what widths and the repeat checks need) ----
type Op =
  | 'LITERAL' | 'NOT_LITERAL' | 'IN' | 'ANY' | 'AT' | 'BRANCH' | 'SUBPATTERN' | 'ATOMIC_GROUP'
  | 'MAX_REPEAT' | 'MIN_REPEAT' | 'POSSESSIVE_REPEAT' | 'GROUPREF' | 'GROUPREF_EXISTS'
  | 'ASSERT' | 'ASSERT_NOT';

interface Item {
  op: Op;
  /** LITERAL: code point; GROUPREF: group id. */
  value?: number;
  sub?: SubPattern;
  /** SUBPATTERN: group id (null = non-capturing) and flag changes. */
  group?: number | null;
  addFlags?: number;
  delFlags?: number;
  /** Repeats. */
  min?: number;
  max?: number;
  /** BRANCH alternatives, GROUPREF_EXISTS yes/no. */
  branches?: SubPattern[];
  no?: SubPattern | null;
  /** ASSERT direction: 1 ahead, -1 behind. */
  dir?: number;
}

const REPEAT_OPS = new Set<Op>(['MIN_REPEAT', 'MAX_REPEAT', 'POSSESSIVE_REPEAT']);
const UNIT_OPS = new Set<Op>(['ANY', 'IN', 'LITERAL', 'NOT_LITERAL']);

class SubPattern {
  data: Item[] = [];
  private width: [number, number] | null = null;
  constructor(readonly state: State) {}

  getwidth(): [number, number] {
    if (this.width) return this.width;
    let lo = 0;
    let hi = 0;
    for (const item of this.data) {
      if (item.op === 'BRANCH') {
        let i = MAXREPEAT - 1;
        let j = 0;
        for (const b of item.branches ?? []) {
          const [l, h] = b.getwidth();
          i = Math.min(i, l);
          j = Math.max(j, h);
        }
        lo += i;
        hi += j;
      } else if (item.op === 'ATOMIC_GROUP' || item.op === 'SUBPATTERN') {
        const [i, j] = item.sub!.getwidth();
        lo += i;
        hi += j;
      } else if (REPEAT_OPS.has(item.op)) {
        const [i, j] = item.sub!.getwidth();
        lo += i * item.min!;
        hi += j * item.max!;
      } else if (UNIT_OPS.has(item.op)) {
        lo += 1;
        hi += 1;
      } else if (item.op === 'GROUPREF') {
        const w = this.state.groupwidths[item.value!] ?? [0, 0];
        lo += w[0];
        hi += w[1];
      } else if (item.op === 'GROUPREF_EXISTS') {
        let [i, j] = item.branches![0].getwidth();
        if (item.no) {
          const [l, h] = item.no.getwidth();
          i = Math.min(i, l);
          j = Math.max(j, h);
        } else i = 0;
        lo += i;
        hi += j;
      }
    }
    this.width = [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
    return this.width;
  }
}

// ---- flags ----
const FLAG_I = 2, FLAG_L = 4, FLAG_M = 8, FLAG_S = 16, FLAG_U = 32, FLAG_X = 64, FLAG_A = 256, FLAG_T = 1;
const FLAGS: Record<string, number> = { i: FLAG_I, L: FLAG_L, m: FLAG_M, s: FLAG_S, x: FLAG_X, a: FLAG_A, t: FLAG_T, u: FLAG_U };
function isFlag(char: string | null): boolean {
  return char !== null && Object.prototype.hasOwnProperty.call(FLAGS, char);
}
const TYPE_FLAGS = FLAG_A | FLAG_L | FLAG_U;
const GLOBAL_FLAGS = FLAG_T; // SRE_FLAG_DEBUG cannot be written inline

class RegexError extends Error {
  constructor(
    readonly msg: string,
    readonly position: number | undefined,
    readonly errorType: PyRegexError['errorType'] = 're.error',
    readonly certain = true,
  ) {
    super(msg);
  }
}

class State {
  flags = 0;
  groupdict = new Map<string, number>();
  groupwidths: ([number, number] | null)[] = [null];
  lookbehindgroups: number | null = null;
  grouprefpos = new Map<number, number>();
  lookbehinds: SubPattern[] = [];
  uncertain = false;
  fragments: readonly Fragment[] = [];
  get groups(): number {
    return this.groupwidths.length;
  }
  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    if (this.groups > MAXGROUPS) throw new RegexError('too many groups', undefined);
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw new RegexError(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${ogid}`, undefined);
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }
  closegroup(gid: number, p: SubPattern): void {
    this.groupwidths[gid] = p.getwidth();
  }
  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }
  checklookbehindgroup(gid: number, source: Tokenizer): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error('cannot refer to an open group');
      if (gid >= this.lookbehindgroups) throw source.error('cannot refer to group defined in the same lookbehind subpattern');
    }
  }
}

const DIGITS = new Set('0123456789');
const OCTDIGITS = new Set('01234567');
const HEXDIGITS = new Set('0123456789abcdefABCDEF');
const ASCIILETTERS = /^[A-Za-z]$/;
const WHITESPACE = new Set(' \t\n\r\v\f');
const SPECIAL_CHARS = '.\\[{()*+?^$|';
const REPEAT_CHARS = '*+?{';
const ESCAPES: Record<string, number> = {
  '\\a': 7, '\\b': 8, '\\f': 12, '\\n': 10, '\\r': 13, '\\t': 9, '\\v': 11, '\\\\': 92,
};
/** CATEGORIES: escapes that are positions (AT) or classes (IN). */
const CATEGORIES: Record<string, 'AT' | 'IN'> = {
  '\\A': 'AT', '\\b': 'AT', '\\B': 'AT', '\\Z': 'AT',
  '\\d': 'IN', '\\D': 'IN', '\\s': 'IN', '\\S': 'IN', '\\w': 'IN', '\\W': 'IN',
};

/** A lone or paired UTF-16 surrogate: the pattern has characters outside the BMP (or broken ones). */
const SURROGATE = /[\uD800-\uDFFF]/;

class Tokenizer {
  /** One entry per code point: the string itself when every code point is one UTF-16 unit (no copy). */
  readonly chars: ArrayLike<string>;
  index = 0;
  next: string | null = null;

  constructor(readonly pattern: string) {
    this.chars = SURROGATE.test(pattern) ? Array.from(pattern) : pattern;
    this.advance();
  }

  /** Whether the pattern has `text` (ASCII) at code point `at`. */
  hasAt(text: string, at: number): boolean {
    if (this.chars === this.pattern) return this.pattern.startsWith(text, at);
    if (at + text.length > this.chars.length) return false;
    for (let i = 0; i < text.length; i++) if (this.chars[at + i] !== text[i]) return false;
    return true;
  }

  private advance(): void {
    let index = this.index;
    if (index >= this.chars.length) {
      this.next = null;
      return;
    }
    let char = this.chars[index];
    if (char === '\\') {
      index += 1;
      if (index >= this.chars.length) {
        throw new RegexError('bad escape (end of pattern)', this.chars.length - 1);
      }
      char += this.chars[index];
    }
    this.index = index + 1;
    this.next = char;
  }
  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }
  get(): string | null {
    const current = this.next;
    this.advance();
    return current;
  }
  getwhile(n: number, charset: Set<string>): string {
    let result = '';
    for (let k = 0; k < n; k++) {
      const c = this.next;
      if (c === null || !charset.has(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }
  getuntil(terminator: string, name: string): string {
    let result = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!result) throw this.error('missing ' + name);
        throw this.error(`missing ${terminator}, unterminated name`, cpLen(result));
      }
      if (c === terminator) {
        if (!result) throw this.error('missing ' + name, 1);
        break;
      }
      result += c;
    }
    return result;
  }
  tell(): number {
    return this.index - (this.next === null ? 0 : cpLen(this.next));
  }
  seek(index: number): void {
    this.index = index;
    this.advance();
  }
  error(msg: string, offset = 0): RegexError {
    return new RegexError(msg, this.tell() - offset);
  }
  checkgroupname(name: string, offset: number): void {
    if (!isPyIdentifier(name)) {
      throw this.error(`bad character in group name ${pyRepr(name)}`, cpLen(name) + offset);
    }
  }
}

function cpLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function cp(ch: string): number {
  return ch.codePointAt(0) ?? 0;
}

interface ClassCode {
  kind: 'LITERAL' | 'IN';
  value?: number;
}

function hexValue(s: string): number {
  return parseInt(s, 16);
}

/** \N{name}: the Unicode name database is not available here; accept plausible names. */
function lookupCharName(source: Tokenizer, state: State): ClassCode {
  if (!source.match('{')) throw source.error('missing {');
  const charname = source.getuntil('}', 'character name');
  if (!/^[A-Za-z0-9][A-Za-z0-9 -]*$/.test(charname)) {
    throw source.error(`undefined character name ${pyRepr(charname)}`, cpLen(charname) + 4);
  }
  state.uncertain = true;
  return { kind: 'LITERAL', value: 0 };
}

function classEscape(source: Tokenizer, escape: string, state: State): ClassCode {
  if (escape in ESCAPES) return { kind: 'LITERAL', value: ESCAPES[escape] };
  if (CATEGORIES[escape] === 'IN') return { kind: 'IN' };
  const c = escape.slice(1);
  if (c === 'x') {
    escape += source.getwhile(2, HEXDIGITS);
    if (escape.length !== 4) throw source.error(`incomplete escape ${escape}`, escape.length);
    return { kind: 'LITERAL', value: hexValue(escape.slice(2)) };
  }
  if (c === 'u') {
    escape += source.getwhile(4, HEXDIGITS);
    if (escape.length !== 6) throw source.error(`incomplete escape ${escape}`, escape.length);
    return { kind: 'LITERAL', value: hexValue(escape.slice(2)) };
  }
  if (c === 'U') {
    escape += source.getwhile(8, HEXDIGITS);
    if (escape.length !== 10) throw source.error(`incomplete escape ${escape}`, escape.length);
    const value = hexValue(escape.slice(2));
    // chr() raises ValueError, which the parser turns into "bad escape".
    if (value > 0x10ffff) throw source.error(`bad escape ${escape}`, escape.length);
    return { kind: 'LITERAL', value };
  }
  if (c === 'N') return lookupCharName(source, state);
  if (OCTDIGITS.has(c)) {
    escape += source.getwhile(2, OCTDIGITS);
    const value = parseInt(escape.slice(1), 8);
    if (value > 0o377) {
      throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
    }
    return { kind: 'LITERAL', value };
  }
  if (DIGITS.has(c)) throw source.error(`bad escape ${escape}`, cpLen(escape));
  if (cpLen(escape) === 2) {
    if (ASCIILETTERS.test(c)) throw source.error(`bad escape ${escape}`, 2);
    return { kind: 'LITERAL', value: cp(c) };
  }
  throw source.error(`bad escape ${escape}`, cpLen(escape));
}

function escapeInPattern(source: Tokenizer, escape: string, state: State): Item {
  const category = CATEGORIES[escape];
  if (category === 'AT') return { op: 'AT' };
  if (category === 'IN') return { op: 'IN' };
  if (escape in ESCAPES) return { op: 'LITERAL', value: ESCAPES[escape] };
  const c = escape.slice(1);
  if (c === 'x' || c === 'u' || c === 'U' || c === 'N') {
    const code = classEscape(source, escape, state);
    return { op: 'LITERAL', value: code.value };
  }
  if (c === '0') {
    escape += source.getwhile(2, OCTDIGITS);
    return { op: 'LITERAL', value: parseInt(escape.slice(1), 8) };
  }
  if (DIGITS.has(c)) {
    // octal escape *or* decimal group reference
    if (source.next !== null && DIGITS.has(source.next)) {
      escape += source.get();
      if (OCTDIGITS.has(escape[1]) && OCTDIGITS.has(escape[2]) && source.next !== null && OCTDIGITS.has(source.next)) {
        escape += source.get();
        const value = parseInt(escape.slice(1), 8);
        if (value > 0o377) {
          throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
        }
        return { op: 'LITERAL', value };
      }
    }
    const group = parseInt(escape.slice(1), 10);
    if (group < state.groups) {
      if (!state.checkgroup(group)) throw source.error('cannot refer to an open group', escape.length);
      state.checklookbehindgroup(group, source);
      return { op: 'GROUPREF', value: group };
    }
    throw source.error(`invalid group reference ${group}`, escape.length - 1);
  }
  if (cpLen(escape) === 2) {
    if (ASCIILETTERS.test(c)) throw source.error(`bad escape ${escape}`, 2);
    return { op: 'LITERAL', value: cp(c) };
  }
  throw source.error(`bad escape ${escape}`, cpLen(escape));
}

function parseSub(source: Tokenizer, state: State, verbose: boolean, nested: number): SubPattern {
  if (nested > MAX_NESTING) {
    throw new RegexError('too deeply nested', source.tell(), 'RecursionError', false);
  }
  const items: SubPattern[] = [];
  for (;;) {
    items.push(parse(source, state, verbose, nested + 1, !nested && items.length === 0));
    if (!source.match('|')) break;
    if (!nested) verbose = (state.flags & FLAG_X) !== 0;
  }
  if (items.length === 1) return items[0];
  // CPython factors common prefixes and turns literal branches into sets here; neither changes
  // which errors are raised, and widths are the same, so the branch is kept as is.
  const subpattern = new SubPattern(state);
  subpattern.data.push({ op: 'BRANCH', branches: items });
  return subpattern;
}

function parseCharClass(source: Tokenizer, state: State): Item {
  const here = source.tell() - 1;
  let setSize = 0;
  source.match('^');
  for (;;) {
    const current = source.get();
    if (current === null) throw source.error('unterminated character set', source.tell() - here);
    if (current === ']' && setSize > 0) break;
    const code1: ClassCode = current[0] === '\\' ? classEscape(source, current, state) : { kind: 'LITERAL', value: cp(current) };
    if (source.match('-')) {
      const that = source.get();
      if (that === null) throw source.error('unterminated character set', source.tell() - here);
      if (that === ']') {
        setSize += 2;
        break;
      }
      const code2: ClassCode = that[0] === '\\' ? classEscape(source, that, state) : { kind: 'LITERAL', value: cp(that) };
      if (code1.kind !== 'LITERAL' || code2.kind !== 'LITERAL' || code2.value! < code1.value!) {
        throw source.error(`bad character range ${current}-${that}`, cpLen(current) + 1 + cpLen(that));
      }
    }
    setSize += 1;
  }
  return { op: 'IN' };
}

function parseRepeat(source: Tokenizer, subpattern: SubPattern, current: string): 'literal' | 'done' {
  const here = source.tell();
  let min = 0;
  let max = MAXREPEAT;
  if (current === '?') max = 1;
  else if (current === '+') min = 1;
  else if (current === '{') {
    if (source.next === '}') {
      subpattern.data.push({ op: 'LITERAL', value: cp('{') });
      return 'literal';
    }
    let lo = '';
    let hi = '';
    while (source.next !== null && DIGITS.has(source.next)) lo += source.get();
    if (source.match(',')) {
      while (source.next !== null && DIGITS.has(source.next)) hi += source.get();
    } else hi = lo;
    if (!source.match('}')) {
      subpattern.data.push({ op: 'LITERAL', value: cp('{') });
      source.seek(here);
      return 'literal';
    }
    if (lo) {
      min = repeatCount(lo);
      if (min >= MAXREPEAT) throw new RegexError('the repetition number is too large', undefined, 'OverflowError');
    }
    if (hi) {
      max = repeatCount(hi);
      if (max >= MAXREPEAT) throw new RegexError('the repetition number is too large', undefined, 'OverflowError');
      if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
    }
  }
  const last = subpattern.data[subpattern.data.length - 1];
  if (!last || last.op === 'AT') throw source.error('nothing to repeat', source.tell() - here + cpLen(current));
  if (REPEAT_OPS.has(last.op)) throw source.error('multiple repeat', source.tell() - here + cpLen(current));
  let sub: SubPattern;
  if (last.op === 'SUBPATTERN' && last.group === null && !last.addFlags && !last.delFlags) sub = last.sub!;
  else {
    sub = new SubPattern(subpattern.state);
    sub.data.push(last);
  }
  let op: Op = 'MAX_REPEAT';
  if (source.match('?')) op = 'MIN_REPEAT';
  else if (source.match('+')) op = 'POSSESSIVE_REPEAT';
  subpattern.data[subpattern.data.length - 1] = { op, min, max, sub };
  return 'done';
}

function repeatCount(digits: string): number {
  if (digits.length > 4300) {
    throw new RegexError(
      `Exceeds the limit (4300 digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
      undefined,
      'ValueError',
    );
  }
  // Anything longer than 10 digits is already ≥ MAXREPEAT.
  return digits.replace(/^0+(?=\d)/, '').length > 10 ? Number.MAX_SAFE_INTEGER : parseInt(digits, 10);
}

function parse(source: Tokenizer, state: State, verbose: boolean, nested: number, first = false): SubPattern {
  const subpattern = new SubPattern(state);
  for (;;) {
    let current = source.next;
    if (current === null) break;
    if (current === '|' || current === ')') break;
    source.get();

    if (verbose) {
      if (WHITESPACE.has(current)) continue;
      if (current === '#') {
        for (;;) {
          current = source.get();
          if (current === null || current === '\n') break;
        }
        continue;
      }
    }

    if (current[0] === '\\') {
      subpattern.data.push(escapeInPattern(source, current, state));
    } else if (!SPECIAL_CHARS.includes(current)) {
      subpattern.data.push({ op: 'LITERAL', value: cp(current) });
    } else if (current === '[') {
      subpattern.data.push(parseCharClass(source, state));
    } else if (REPEAT_CHARS.includes(current)) {
      parseRepeat(source, subpattern, current);
    } else if (current === '.') {
      subpattern.data.push({ op: 'ANY' });
    } else if (current === '(') {
      if (spliceFragment(source, state, nested, subpattern)) continue;
      const result = parseGroup(source, state, verbose, nested, first, subpattern);
      if (result.globalVerbose !== undefined) verbose = result.globalVerbose;
    } else if (current === '^' || current === '$') {
      subpattern.data.push({ op: 'AT' });
    }
  }
  // unpack non-capturing groups
  const unpacked: Item[] = [];
  for (const item of subpattern.data) {
    if (item.op === 'SUBPATTERN' && item.group === null && !item.addFlags && !item.delFlags) unpacked.push(...item.sub!.data);
    else unpacked.push(item);
  }
  subpattern.data = unpacked;
  return subpattern;
}

function parseGroup(
  source: Tokenizer,
  state: State,
  verbose: boolean,
  nested: number,
  first: boolean,
  subpattern: SubPattern,
): { globalVerbose?: boolean } {
  const start = source.tell() - 1;
  let capture = true;
  let atomic = false;
  let name: string | null = null;
  let addFlags = 0;
  let delFlags = 0;
  if (source.match('?')) {
    let char = source.get();
    if (char === null) throw source.error('unexpected end of pattern');
    if (char === 'P') {
      if (source.match('<')) {
        name = source.getuntil('>', 'group name');
        source.checkgroupname(name, 1);
      } else if (source.match('=')) {
        const refName = source.getuntil(')', 'group name');
        source.checkgroupname(refName, 1);
        const gid = state.groupdict.get(refName);
        if (gid === undefined) throw source.error(`unknown group name ${pyRepr(refName)}`, cpLen(refName) + 1);
        if (!state.checkgroup(gid)) throw source.error('cannot refer to an open group', cpLen(refName) + 1);
        state.checklookbehindgroup(gid, source);
        subpattern.data.push({ op: 'GROUPREF', value: gid });
        return {};
      } else {
        char = source.get();
        if (char === null) throw source.error('unexpected end of pattern');
        throw source.error('unknown extension ?P' + char, cpLen(char) + 2);
      }
    } else if (char === ':') {
      capture = false;
    } else if (char === '#') {
      for (;;) {
        if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
        if (source.get() === ')') break;
      }
      return {};
    } else if (char === '=' || char === '!' || char === '<') {
      let dir = 1;
      let lookbehindgroups: number | null = null;
      if (char === '<') {
        char = source.get();
        if (char === null) throw source.error('unexpected end of pattern');
        if (char !== '=' && char !== '!') throw source.error('unknown extension ?<' + char, cpLen(char) + 2);
        dir = -1;
        lookbehindgroups = state.lookbehindgroups;
        if (lookbehindgroups === null) state.lookbehindgroups = state.groups;
      }
      const p = parseSub(source, state, verbose, nested + 1);
      if (dir < 0 && lookbehindgroups === null) state.lookbehindgroups = null;
      if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
      if (dir < 0) state.lookbehinds.push(p);
      subpattern.data.push({ op: char === '=' ? 'ASSERT' : 'ASSERT_NOT', dir, sub: p });
      return {};
    } else if (char === '(') {
      parseConditional(source, state, verbose, nested, start, subpattern);
      return {};
    } else if (char === '>') {
      capture = false;
      atomic = true;
    } else if (isFlag(char) || char === '-') {
      const flags = parseFlags(source, state, char);
      if (flags === null) {
        if (!first || subpattern.data.length > 0) {
          throw source.error('global flags not at the start of the expression', source.tell() - start);
        }
        return { globalVerbose: (state.flags & FLAG_X) !== 0 };
      }
      [addFlags, delFlags] = flags;
      capture = false;
    } else {
      throw source.error('unknown extension ?' + char, cpLen(char) + 1);
    }
  }

  let group: number | null = null;
  if (capture) {
    try {
      group = state.opengroup(name);
    } catch (err) {
      if (err instanceof RegexError) throw source.error(err.msg, cpLen(name ?? '') + 1);
      throw err;
    }
  }
  const subVerbose = (verbose || (addFlags & FLAG_X) !== 0) && (delFlags & FLAG_X) === 0;
  const p = parseSub(source, state, subVerbose, nested + 1);
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  if (group !== null) state.closegroup(group, p);
  if (atomic) subpattern.data.push({ op: 'ATOMIC_GROUP', sub: p });
  else subpattern.data.push({ op: 'SUBPATTERN', group, addFlags, delFlags, sub: p });
  return {};
}

function parseConditional(
  source: Tokenizer,
  state: State,
  verbose: boolean,
  nested: number,
  start: number,
  subpattern: SubPattern,
): void {
  const condname = source.getuntil(')', 'group name');
  let condgroup: number;
  if (isPyIdentifier(condname)) {
    source.checkgroupname(condname, 1);
    const gid = state.groupdict.get(condname);
    if (gid === undefined) throw source.error(`unknown group name ${pyRepr(condname)}`, cpLen(condname) + 1);
    condgroup = gid;
  } else {
    const parsed = pyInt(condname);
    if (!parsed.ok || parsed.value < 0n) {
      throw source.error(`bad character in group name ${pyRepr(condname)}`, cpLen(condname) + 1);
    }
    if (parsed.value === 0n) throw source.error('bad group number', cpLen(condname) + 1);
    if (parsed.value >= BigInt(MAXGROUPS)) {
      throw source.error(`invalid group reference ${parsed.value}`, cpLen(condname) + 1);
    }
    condgroup = Number(parsed.value);
    if (!state.grouprefpos.has(condgroup)) state.grouprefpos.set(condgroup, source.tell() - cpLen(condname) - 1);
  }
  state.checklookbehindgroup(condgroup, source);
  const itemYes = parse(source, state, verbose, nested + 1);
  let itemNo: SubPattern | null = null;
  if (source.match('|')) {
    itemNo = parse(source, state, verbose, nested + 1);
    if (source.next === '|') throw source.error('conditional backref with more than two branches');
  }
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  subpattern.data.push({ op: 'GROUPREF_EXISTS', value: condgroup, branches: [itemYes], no: itemNo });
}

function parseFlags(source: Tokenizer, state: State, char: string | null): [number, number] | null {
  let addFlags = 0;
  let delFlags = 0;
  if (char !== '-') {
    for (;;) {
      const flag = FLAGS[char!];
      if (char === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      addFlags |= flag;
      if ((flag & TYPE_FLAGS) && (addFlags & TYPE_FLAGS) !== flag) {
        throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      }
      char = source.get();
      if (char === null) throw source.error('missing -, : or )');
      if (char === ')' || char === '-' || char === ':') break;
      if (!isFlag(char)) {
        throw source.error(isPyAlpha(char) ? 'unknown flag' : 'missing -, : or )', cpLen(char));
      }
    }
  }
  if (char === ')') {
    state.flags |= addFlags;
    return null;
  }
  if (addFlags & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (char === '-') {
    char = source.get();
    if (char === null) throw source.error('missing flag');
    if (!isFlag(char)) throw source.error(isPyAlpha(char) ? 'unknown flag' : 'missing flag', cpLen(char));
    for (;;) {
      const flag = FLAGS[char];
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      delFlags |= flag;
      char = source.get();
      if (char === null) throw source.error('missing :');
      if (char === ':') break;
      if (!isFlag(char)) throw source.error(isPyAlpha(char) ? 'unknown flag' : 'missing :', cpLen(char));
    }
  }
  if (delFlags & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (addFlags & delFlags) throw source.error('bad inline flags: flag turned on and off', 1);
  return [addFlags, delFlags];
}

/** What parsing a self-contained group changes, whatever precedes it (see fragmentOf). */
interface Fragment {
  text: string;
  /** The item parseGroup pushes (shared: nothing mutates a parsed item or its widths). */
  item: Item;
  /** Its capturing groups in opening order, with their names and widths. */
  groups: { name: string | null; width: [number, number] }[];
  lookbehinds: SubPattern[];
}

/** Deepest nesting at which a fragment is spliced: far below MAX_NESTING and the JavaScript stack limit. */
const MAX_FRAGMENT_NESTING = 100;
const fragmentCache = new Map<string, Fragment | null>();
/** options.fragments → their usable Fragments, per list (callers pass one constant list). */
const fragmentListCache = new WeakMap<readonly string[], readonly Fragment[]>();

function fragmentsOf(texts: readonly string[]): readonly Fragment[] {
  let fragments = fragmentListCache.get(texts);
  if (!fragments) {
    fragments = texts.map(fragmentOf).filter((fragment): fragment is Fragment => fragment !== null);
    fragmentListCache.set(texts, fragments);
  }
  return fragments;
}

function hasGroupRef(sub: SubPattern): boolean {
  return sub.data.some(
    (item) =>
      item.op === 'GROUPREF' ||
      item.op === 'GROUPREF_EXISTS' ||
      (item.sub !== undefined && hasGroupRef(item.sub)) ||
      (item.branches ?? []).some(hasGroupRef) ||
      (item.no ? hasGroupRef(item.no) : false),
  );
}

/**
 * Parses `text` alone. It is a fragment only when its parse cannot depend on the context: one group, ASCII, no
 * white space or '#' (verbose mode changes nothing), no flags for the whole pattern, no back-references (group
 * numbers shift), no error. null otherwise.
 */
function fragmentOf(text: string): Fragment | null {
  const cached = fragmentCache.get(text);
  if (cached !== undefined) return cached;
  let fragment: Fragment | null = null;
  if (/^\([\x21-\x7e]*\)$/.test(text) && !text.includes('#')) {
    try {
      const state = new State();
      const source = new Tokenizer(text);
      source.get();
      const holder = new SubPattern(state);
      parseGroup(source, state, false, 1, false, holder);
      const names = new Map([...state.groupdict].map(([name, gid]) => [gid, name]));
      const clean = source.next === null && state.flags === 0 && !state.uncertain && state.grouprefpos.size === 0 && holder.data.length === 1;
      if (clean && !hasGroupRef(holder) && state.lookbehinds.every((p) => p.getwidth()[0] === p.getwidth()[1])) {
        fragment = {
          text,
          item: holder.data[0],
          groups: state.groupwidths.slice(1).map((width, index) => ({ name: names.get(index + 1) ?? null, width: width! })),
          lookbehinds: state.lookbehinds,
        };
      }
    } catch (err) {
      if (!(err instanceof RegexError)) throw err;
    }
  }
  fragmentCache.set(text, fragment);
  return fragment;
}

/**
 * At a '(' just read: when a known fragment starts here and none of its group names is taken, applies its effects
 * (groups opened and closed, look-behinds, the item) instead of parsing it again. Returns whether it did.
 */
function spliceFragment(source: Tokenizer, state: State, nested: number, subpattern: SubPattern): boolean {
  if (state.fragments.length === 0 || nested > MAX_FRAGMENT_NESTING) return false;
  const start = source.tell() - 1;
  for (const fragment of state.fragments) {
    if (!source.hasAt(fragment.text, start)) continue;
    for (const group of fragment.groups) if (group.name !== null && state.groupdict.has(group.name)) return false;
    for (const group of fragment.groups) state.groupwidths[state.opengroup(group.name)] = group.width;
    for (const lookbehind of fragment.lookbehinds) state.lookbehinds.push(lookbehind);
    subpattern.data.push(fragment.item);
    source.seek(start + fragment.text.length);
    return true;
  }
  return false;
}

/** str.isalpha() for a token (a token may be an escape pair like "\\x", which is not alphabetic). */
function isPyAlpha(s: string): boolean {
  return /^\p{L}+$/u.test(s);
}

/** flagLetters by flag bits (a pattern has a handful of flag combinations at most). */
const flagLettersCache = new Map<number, string>();

function flagLetters(flags: number): string {
  let letters = flagLettersCache.get(flags);
  if (letters === undefined) {
    letters = flagLettersOf(flags);
    flagLettersCache.set(flags, letters);
  }
  return letters;
}

function flagLettersOf(flags: number): string {
  return Object.entries(FLAGS)
    .filter(([, bit]) => (flags & bit) !== 0 && bit !== FLAG_U)
    .map(([letter]) => letter)
    .join('');
}

function formatMessage(msg: string, pattern: string, position: number | undefined): string {
  if (position === undefined) return msg;
  const chars = Array.from(pattern);
  let message = `${msg} at position ${position}`;
  if (pattern.includes('\n')) {
    let line = 1;
    let lastNewline = -1;
    for (let i = 0; i < position && i < chars.length; i++) {
      if (chars[i] === '\n') {
        line++;
        lastNewline = i;
      }
    }
    message += ` (line ${line}, column ${position - lastNewline})`;
  }
  return message;
}

/** The result for a pattern Python rejects (module-level: no closure per checked pattern). */
function regexFailure(err: RegexError, pattern: string): PyRegexError {
  return {
    ok: false,
    message: formatMessage(err.msg, pattern, err.position),
    msg: err.msg,
    position: err.position,
    errorType: err.errorType,
    offset: err.position === undefined ? 0 : new CodePointMap(pattern).toUtf16(err.position),
    certain: err.certain,
  };
}

/** Checks a pattern exactly as Python 3.11 `re.compile(pattern)` would, without compiling it. */
export function checkPythonRegex(pattern: string, options: PyRegexOptions = {}): PyRegexResult {
  try {
    const state = new State();
    state.flags = options.verbose ? FLAG_X : 0;
    if (options.fragments) state.fragments = fragmentsOf(options.fragments);
    const source = new Tokenizer(pattern);
    parseSub(source, state, (state.flags & FLAG_X) !== 0, 0);
    // fix_flags: (?a) and (?u) given in separate global groups
    if ((state.flags & FLAG_A) && (state.flags & FLAG_U)) {
      throw new RegexError('ASCII and UNICODE flags are incompatible', undefined, 'ValueError');
    }
    if (source.next !== null) throw source.error('unbalanced parenthesis');
    for (const [g, pos] of state.grouprefpos) {
      if (g >= state.groups) throw new RegexError(`invalid group reference ${g}`, pos);
    }
    // re/_compiler.py: look-behind bodies must have a fixed width.
    for (const p of state.lookbehinds) {
      const [lo, hi] = p.getwidth();
      if (lo !== hi) throw new RegexError('look-behind requires fixed-width pattern', undefined);
    }
    if (state.uncertain) {
      // Named characters could not be verified; the pattern is otherwise valid.
    }
    return {
      ok: true,
      groups: state.groups - 1,
      groupNames: new Map(state.groupdict),
      globalFlags: flagLetters(state.flags),
    };
  } catch (err) {
    if (err instanceof RegexError) return regexFailure(err, pattern);
    if (err instanceof RangeError) {
      return regexFailure(new RegexError('maximum recursion depth exceeded', undefined, 'RecursionError', false), pattern);
    }
    throw err;
  }
}
