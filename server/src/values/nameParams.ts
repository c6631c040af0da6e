// fail2ban `name[key=value, ...][...]` values (filter, action, backend, logtarget, ignorecache):
// `extractOptions` and `splitWithOptions` of fail2ban/helpers.py (1.1.0). fail2ban uses three
// Python regexes; their behaviour is reproduced here step by step (same results, same error
// texts, same positions), in linear time — fail2ban's own split regex can backtrack badly.
import { CodePointMap, isPySpace, isPyWordChar, pyStrip } from './pyText';

export interface NameParam {
  key: string;
  /** Value after fail2ban's strip(); quotes removed. */
  value: string;
  quote: '"' | "'" | null;
  /** UTF-16 offsets in the whole value text. */
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** 1.1.1+: the `?family=inet6` condition written after the key, if any. */
  condition?: string;
}

export type NameParamsResult =
  | {
      ok: true;
      /** Everything before the first '[' — trailing spaces included, as fail2ban keeps them. */
      name: string;
      nameStart: number;
      nameEnd: number;
      /** `nftables [port=25]` → fail2ban looks for a file named 'nftables '. */
      nameHasTrailingSpace: boolean;
      /** Parameters in written order (a repeated key appears twice; the last one wins in fail2ban). */
      params: NameParam[];
      /** The dict fail2ban builds: key → value (last wins). */
      options: Map<string, string>;
      /** Offsets of the whole `[...]` part, when present. */
      bracketStart?: number;
      bracketEnd?: number;
    }
  | {
      ok: false;
      /** fail2ban's ValueError text, e.g. "unexpected option syntax". */
      message: string;
      start: number;
      end: number;
    };

export interface NameParamsOptions {
  /** Whether `key?family=inet6=value` is accepted (the fail2ban version's `conditionalParams` fact; default false). */
  conditionalParams?: boolean;
}

/** `[\w\-_\.]` of fail2ban's option regexes (Python Unicode \w). */
function isKeyChar(ch: string): boolean {
  return ch === '-' || ch === '.' || isPyWordChar(ch);
}

function allSpace(cps: string[], from: number): boolean {
  for (let i = from; i < cps.length; i++) if (!isPySpace(cps[i])) return false;
  return true;
}

/** Python `$` without MULTILINE: at the end, or before a final newline. */
function atDollar(cps: string[], i: number): boolean {
  return i === cps.length || (i === cps.length - 1 && cps[i] === '\n');
}

/** Parses `name[params]` exactly like fail2ban's extractOptions (never throws). */
export function parseNameParams(value: string, options: NameParamsOptions = {}): NameParamsResult {
  const conditionalParams = options.conditionalParams ?? false;
  const cps = Array.from(value);
  const map = new CodePointMap(value);
  const at = (i: number): number => map.toUtf16(i);
  const syntaxError = (): NameParamsResult => ({ ok: false, message: 'unexpected option syntax', start: 0, end: value.length });

  // OPTION_CRE: ^([^\[]+)(?:\[(.*)\])?\s*$  (DOTALL)
  const open = cps.indexOf('[');
  if (open === 0 || cps.length === 0) return syntaxError();
  const nameEndCp = open < 0 ? cps.length : open;
  const name = cps.slice(0, nameEndCp).join('');
  let optStart = -1;
  let optEnd = -1;
  if (open > 0) {
    const close = cps.lastIndexOf(']');
    if (close < open || !allSpace(cps, close + 1)) return syntaxError();
    optStart = open + 1;
    optEnd = close;
  }
  const params: NameParam[] = [];
  const opts = new Map<string, string>();
  const result = (): NameParamsResult => ({
    ok: true,
    name,
    nameStart: 0,
    nameEnd: at(nameEndCp),
    nameHasTrailingSpace: nameEndCp > 0 && isPySpace(cps[nameEndCp - 1]) && open > 0,
    params,
    options: opts,
    ...(open > 0 ? { bracketStart: at(open), bracketEnd: at(optEnd + 1) } : {}),
  });
  if (open < 0 || optEnd <= optStart) return result();

  // OPTION_EXTRACT_CRE, finditer over the text between the brackets (positions relative to it).
  const s = cps.slice(optStart, optEnd);
  const abs = (i: number): number => at(optStart + i);
  const excerpt = (i: number): string => s.slice(i, i + 25).join('');
  let p = 0;
  let previousEmpty = false;
  while (p <= s.length) {
    // alternative 1: \s*(key)=(value)(terminator)
    let q = p;
    while (q < s.length && isPySpace(s[q])) q++;
    let k = q;
    while (k < s.length && isKeyChar(s[k])) k++;
    let condition: string | undefined;
    let keyEnd = k;
    if (conditionalParams && k > q && s[k] === '?') {
      // key?cond=val=value (conditional parameter, e.g. blocktype?family=inet6=...)
      let c = k + 1;
      while (c < s.length && isKeyChar(s[c])) c++;
      if (c > k + 1 && s[c] === '=') {
        let d = c + 1;
        while (d < s.length && isKeyChar(s[d])) d++;
        if (d > c + 1 && s[d] === '=') {
          condition = s.slice(k + 1, d).join('');
          keyEnd = d;
        }
      }
    }
    if (keyEnd > q && s[keyEnd] === '=') {
      const key = s.slice(q, k).join('');
      const v = keyEnd + 1;
      let valueStart = v;
      let valueEnd: number;
      let after: number;
      let quote: '"' | "'" | null = null;
      const closing = s[v] === '"' || s[v] === "'" ? s.indexOf(s[v], v + 1) : -1;
      if (closing > v) {
        quote = s[v] as '"' | "'";
        valueStart = v + 1;
        valueEnd = closing;
        after = closing + 1;
      } else {
        let u = v;
        while (u < s.length && s[u] !== ',' && s[u] !== ']') u++;
        valueEnd = u;
        after = u;
      }
      let end: number;
      if (s[after] === ',') end = after + 1;
      else if (s[after] === ']' && (() => {
        let j = after + 1;
        while (j < s.length && isPySpace(s[j])) j++;
        return s[j] === '[';
      })()) {
        end = after + 1;
        while (s[end] !== '[') end++;
        end++;
      } else if (atDollar(s, after)) end = after;
      else {
        return {
          ok: false,
          message: `unexpected syntax at ${after} after option '${key}': ${excerpt(after)}`,
          start: abs(after),
          end: abs(s.length),
        };
      }
      const raw = s.slice(valueStart, valueEnd).join('');
      const stripped = pyStrip(raw);
      let leadCps = valueStart;
      while (leadCps < valueEnd && isPySpace(s[leadCps])) leadCps++;
      const lead = abs(leadCps) - abs(valueStart);
      params.push({
        key,
        value: stripped,
        quote,
        keyStart: abs(q),
        keyEnd: abs(k),
        valueStart: abs(valueStart) + (quote ? 0 : Math.min(lead, raw.length)),
        valueEnd: quote ? abs(valueEnd) : abs(valueStart) + Math.min(lead, raw.length) + stripped.length,
        ...(condition !== undefined ? { condition } : {}),
      });
      opts.set(condition !== undefined ? `${key}?${condition}` : key, stripped);
      previousEmpty = false;
      p = end;
      continue;
    }
    // alternative 2: ,?\s*$  (nothing more to read)
    const afterComma = s[p] === ',' ? p + 1 : p;
    if (allSpace(s, afterComma) || allSpace(s, p)) {
      const empty = p === s.length;
      if (empty && previousEmpty) break;
      if (empty) {
        previousEmpty = true;
        // an empty match at the end: the next search must advance, which ends the loop
        break;
      }
      p = s.length;
      continue;
    }
    // alternative 3: (?P<wrngB>.+)
    return {
      ok: false,
      message: `expected option, wrong syntax at ${p}: ${excerpt(p)}`,
      start: abs(p),
      end: abs(s.length),
    };
  }
  return result();
}

// ---------------------------------------------------------------- action list split

/**
 * A tiny backtracking matcher (ordered choice, greedy loops) with a failure memo on
 * (instruction, position): the first match in Python's order, in linear time, because nothing in
 * the split regex depends on where a match started.
 */
type Inst =
  | { op: 'char'; test: (ch: string) => boolean }
  | { op: 'split'; first: number; second: number }
  | { op: 'jmp'; to: number }
  | { op: 'wsOrEnd' }
  | { op: 'match' };

class Program {
  readonly code: Inst[] = [];
  emit(inst: Inst): number {
    this.code.push(inst);
    return this.code.length - 1;
  }
  here(): number {
    return this.code.length;
  }
  char(test: (ch: string) => boolean): void {
    this.emit({ op: 'char', test });
  }
  /** x* (greedy) */
  star(body: () => void): void {
    const split = this.emit({ op: 'split', first: 0, second: 0 });
    body();
    this.emit({ op: 'jmp', to: split });
    this.code[split] = { op: 'split', first: split + 1, second: this.here() };
  }
  plus(body: () => void): void {
    body();
    this.star(body);
  }
  /** x? (greedy) */
  optional(body: () => void): void {
    const split = this.emit({ op: 'split', first: 0, second: 0 });
    body();
    this.code[split] = { op: 'split', first: split + 1, second: this.here() };
  }
  /** a|b|c in order */
  alt(branches: (() => void)[]): void {
    const jumps: number[] = [];
    branches.forEach((branch, idx) => {
      if (idx < branches.length - 1) {
        const split = this.emit({ op: 'split', first: 0, second: 0 });
        branch();
        jumps.push(this.emit({ op: 'jmp', to: 0 }));
        this.code[split] = { op: 'split', first: split + 1, second: this.here() };
      } else branch();
    });
    for (const j of jumps) this.code[j] = { op: 'jmp', to: this.here() };
  }
}

const isSpace = isPySpace;
const notSpace = (ch: string): boolean => !isPySpace(ch);

/** fail2ban 1.1.0 OPTION_SPLIT_CRE, compiled for the matcher. */
function buildSplitProgram(): Program {
  const p = new Program();
  const value = (): void =>
    p.alt([
      () => {
        p.char((c) => c === '"');
        p.star(() => p.char((c) => c !== '"'));
        p.char((c) => c === '"');
      },
      () => {
        p.char((c) => c === "'");
        p.star(() => p.char((c) => c !== "'"));
        p.char((c) => c === "'");
      },
      () => p.star(() => p.char((c) => c !== ',' && c !== ']')),
    ]);
  p.alt([
    () => {
      p.plus(() => p.char((c) => c !== '[' && !isSpace(c)));
      p.optional(() => {
        p.star(() => p.char(isSpace));
        p.char((c) => c === '[');
        p.star(() => p.char(isSpace));
        p.star(() => {
          p.plus(() => p.char(isKeyChar));
          p.char((c) => c === '=');
          value();
          p.star(() => p.char(isSpace));
          p.optional(() =>
            p.alt([
              () => p.char((c) => c === ','),
              () => {
                p.char((c) => c === ']');
                p.star(() => p.char(isSpace));
                p.char((c) => c === '[');
              },
            ]),
          );
          p.star(() => p.char(isSpace));
        });
        p.char((c) => c === ']');
      });
      p.star(() => p.char(isSpace));
    },
    () => p.plus(() => p.char(notSpace)),
  ]);
  p.emit({ op: 'wsOrEnd' });
  p.emit({ op: 'match' });
  return p;
}

const SPLIT_PROGRAM = buildSplitProgram();

/**
 * States (pos * width + pc) reached during one splitSpans call, as bits in one buffer reused by every call (a Set of
 * numbers grew by an entry per step, for each action value of a big file); a value too long for the buffer uses a Set.
 */
let stateBits = new Uint32Array(1024);
const MAX_STATE_BITS = 1 << 22;
const pendingPc: number[] = [];
const pendingPos: number[] = [];

/**
 * Runs the program at `start`; returns the match end or -1. The reached states (`bits`, else `failed`) are shared
 * across starts.
 */
function runAt(prog: Program, s: string[], start: number, bits: Uint32Array | undefined, failed: Set<number> | undefined): number {
  const width = prog.code.length;
  // the pending (pc, pos) pairs: two reused number stacks, no pair array per split
  let depth = 0;
  pendingPc[depth] = 0;
  pendingPos[depth++] = start;
  while (depth > 0) {
    depth--;
    let pc = pendingPc[depth];
    let pos = pendingPos[depth];
    for (;;) {
      const key = pos * width + pc;
      // reaching it again means this path already failed (or is being explored)
      if (bits !== undefined) {
        const word = key >>> 5;
        const bit = 1 << (key & 31);
        if ((bits[word] & bit) !== 0) break;
        bits[word] |= bit;
      } else if (failed !== undefined) {
        if (failed.has(key)) break;
        failed.add(key);
      }
      const inst = prog.code[pc];
      if (inst.op === 'match') return pos;
      if (inst.op === 'char') {
        if (pos < s.length && inst.test(s[pos])) {
          pc++;
          pos++;
          continue;
        }
        break;
      }
      if (inst.op === 'jmp') {
        pc = inst.to;
        continue;
      }
      if (inst.op === 'split') {
        pendingPc[depth] = inst.second;
        pendingPos[depth++] = pos;
        pc = inst.first;
        continue;
      }
      // wsOrEnd: the lookahead (?=\n\s*|\s+|$)
      if (pos === s.length || isSpace(s[pos])) {
        pc++;
        continue;
      }
      break;
    }
  }
  return -1;
}

export interface ActionEntry {
  /** The action text after fail2ban's strip(). */
  text: string;
  /** UTF-16 offsets of `text` in the whole value. */
  start: number;
  end: number;
}

/**
 * Splits an `action` value into actions like fail2ban's splitWithOptions + strip (jailreader):
 * on newlines and on whitespace outside `[...]`; empty entries dropped.
 */
export function splitActions(value: string): ActionEntry[] {
  const s = Array.from(value);
  const map = new CodePointMap(value);
  const out: ActionEntry[] = [];
  for (let [a, b] of splitSpans(s)) {
    while (a < b && isPySpace(s[a])) a++;
    while (b > a && isPySpace(s[b - 1])) b--;
    if (b > a) out.push({ text: s.slice(a, b).join(''), start: map.toUtf16(a), end: map.toUtf16(b) });
  }
  return out;
}

/** The raw pieces splitWithOptions returns (before fail2ban strips them), for tests and tools. */
export function splitWithOptions(value: string): string[] {
  const s = Array.from(value);
  return splitSpans(s).map(([a, b]) => s.slice(a, b).join(''));
}

/** fail2ban's splitWithOptions as [start, end) code-point spans, in order (empty pieces included). */
function splitSpans(s: string[]): Array<[number, number]> {
  const states = (s.length + 1) * SPLIT_PROGRAM.code.length;
  let bits: Uint32Array | undefined;
  let failed: Set<number> | undefined;
  if (states <= MAX_STATE_BITS) {
    const words = (states >>> 5) + 1;
    if (stateBits.length < words) stateBits = new Uint32Array(Math.max(words, stateBits.length * 2));
    else stateBits.fill(0, 0, words);
    bits = stateBits;
  } else {
    failed = new Set();
  }
  const spans: Array<[number, number]> = [];
  let pos = 0;
  while (pos < s.length) {
    const end = runAt(SPLIT_PROGRAM, s, pos, bits, failed);
    if (end < 0) {
      pos++;
      continue;
    }
    spans.push([pos, end]);
    pos = end > pos ? end : pos + 1;
  }
  return spans;
}
