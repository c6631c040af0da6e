// "Did you mean" candidates: case-insensitive Damerau–Levenshtein (optimal string alignment) distance.
import type { Fix, Range } from '../types';
import { t } from '../l10n';

// Two reused rows and one for transpositions: a big file asks for millions of cells, allocating rows per call
// showed up as most of a check's time (bench/shapes.ts: 100k unknown jails).
let rowBuffers: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Distance of already lower-cased strings, or `limit + 1` once it must exceed `limit`. */
function lowerDistance(s: string, t: string, limit: number): number {
  if (s === t) return 0;
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  if (rowBuffers[0].length <= t.length) rowBuffers = [new Int32Array(t.length * 2 + 1), new Int32Array(t.length * 2 + 1), new Int32Array(t.length * 2 + 1)];
  let [previous2, previous, current] = rowBuffers;
  for (let j = 0; j <= t.length; j++) previous[j] = j;
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    let rowMin = i;
    const si = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      const tj = t.charCodeAt(j - 1);
      const cost = si === tj ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && si === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === tj) value = Math.min(value, previous2[j - 2] + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[t.length];
}

/** Edit distance with adjacent transpositions; stops early once every cell exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  return lowerDistance(lowerCased(a), lowerCased(b), limit);
}

/**
 * text.toLowerCase(), without a copy for text that has no upper-case ASCII and nothing beyond ASCII (V8 copies even
 * then: asked for each of 100k unknown jail names).
 */
export function lowerCased(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || code >= 0x80) return text.toLowerCase();
  }
  return text;
}

/**
 * A lower bound of the distance from the letters alone: every edit adds or removes at most one letter on each side
 * (a transposition none), so a candidate needing more letters than that is out without filling a table. A big file
 * asks for suggestions for each of its 100k unknown jails against ~150 names; most fail here. The word's letter
 * counts live in one buffer for every call (filled by fillLetterBag, emptied by releaseLetterBag): no object per word.
 */
const letterCounts = new Int32Array(128);

/** Counts the word's ASCII letters into the shared buffer; false when it has others (then the bound is 0). */
function fillLetterBag(word: string): boolean {
  let ascii = true;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 128) ascii = false;
    else letterCounts[code]++;
  }
  return ascii;
}

/** Gives the shared buffer back, all zeros. */
function releaseLetterBag(word: string): void {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 128) letterCounts[code]--;
  }
}

/** max(letters only in the word, letters only in the candidate), counted with multiplicity (the word's bag filled). */
function letterBound(word: string, ascii: boolean, candidate: string): number {
  if (!ascii) return 0;
  let onlyInCandidate = 0;
  let shared = 0;
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 128 || letterCounts[code] <= 0) onlyInCandidate++;
    else shared++;
    if (code < 128) letterCounts[code]--;
  }
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (code < 128) letterCounts[code]++;
  }
  return Math.max(onlyInCandidate, word.length - shared);
}

/**
 * Which characters a word has, as bits (a character's bit depends on its code only; two characters may share one).
 * A character of one word whose bit the other word lacks needs an edit, and one substitution serves at most one
 * such character on each side: max(bits only in a, bits only in b) is a lower bound of the distance, found in O(1).
 */
function characterBits(word: string): number {
  let bits = 0;
  for (let i = 0; i < word.length; i++) bits |= 1 << (word.charCodeAt(i) & 31);
  return bits;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}

function bitsBound(a: number, b: number): number {
  return Math.max(bitCount(a & ~b), bitCount(b & ~a));
}

/** Distance bound that keeps suggestions plausible: short words tolerate fewer edits. */
export function defaultMaxDistance(word: string): number {
  if (word.length <= 3) return 1;
  if (word.length <= 6) return 2;
  return 3;
}

export interface SuggestOptions {
  maxDistance?: number;
  /** At most this many candidates (best first). */
  limit?: number;
}

/** What most of a big file's 100k words get: one frozen empty list, not a new one each. */
const NO_SUGGESTIONS: readonly string[] = Object.freeze([]);

/** Per word length and distance, at most this many characterBits patterns keep their candidate list. */
const SURVIVOR_LISTS_KEPT = 4_096;

/**
 * suggest() against a fixed list, prepared once (distinct names, lower-cased): for a rule that asks about many
 * words against the same names (100k unknown jails against the ~150 known ones).
 */
export function suggester(candidates: Iterable<string>): (word: string, options?: SuggestOptions) => string[] {
  const names = [...new Set(candidates)];
  const lowered = names.map((name) => name.toLowerCase());
  const bits = lowered.map(characterBits);
  const everyIndex = Int32Array.from(names.keys());
  // The candidates that pass the cheap tests (length within maxDistance, characterBits bound) depend only on the
  // word's length, its characterBits and maxDistance: found once per such triple (ascending, the order of the names).
  // A big file asks about 100k words of a few lengths and few bit patterns, most with no candidate left at all.
  const survivorsByLength = new Map<number, Map<number, Int32Array>>();
  // (the filter callback is made only on a miss: a closure per call costs more than the lookups)
  const survivorsOf = (length: number, wordBits: number, maxDistance: number): Int32Array =>
    everyIndex.filter((index) => Math.abs(lowered[index].length - length) <= maxDistance && bitsBound(wordBits, bits[index]) <= maxDistance);
  const cheapSurvivors = (length: number, wordBits: number, maxDistance: number): Int32Array => {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance >= 1024) return survivorsOf(length, wordBits, maxDistance);
    const lengthKey = length * 1024 + maxDistance;
    let byBits = survivorsByLength.get(lengthKey);
    if (byBits === undefined) survivorsByLength.set(lengthKey, (byBits = new Map()));
    let survivors = byBits.get(wordBits);
    if (survivors === undefined) {
      survivors = survivorsOf(length, wordBits, maxDistance);
      if (byBits.size < SURVIVOR_LISTS_KEPT) byBits.set(wordBits, survivors);
    }
    return survivors;
  };
  return (word, options = {}) => {
    const maxDistance = options.maxDistance ?? defaultMaxDistance(word);
    const limit = options.limit ?? 3;
    // allocated on the first candidate that gets past the cheap tests (most words of a big file have none)
    let scored: { candidate: string; distance: number; order: number }[] | undefined;
    let bagFilled = false;
    let ascii = true;
    const lowerWord = lowerCased(word.trim());
    const wordBits = characterBits(lowerWord);
    let order = 0;
    try {
      const survivors = cheapSurvivors(lowerWord.length, wordBits, maxDistance);
      for (let at = 0; at < survivors.length; at++) {
        const index = survivors[at];
        const candidate = names[index];
        const lowerCandidate = lowered[index];
        if (candidate === word) continue;
        if (!bagFilled) {
          bagFilled = true;
          ascii = fillLetterBag(lowerWord);
        }
        if (letterBound(lowerWord, ascii, lowerCandidate) > maxDistance) continue;
        const distance = lowerDistance(lowerWord, lowerCandidate, maxDistance);
        if (distance <= maxDistance) (scored ??= []).push({ candidate, distance, order: order++ });
      }
    } finally {
      if (bagFilled) releaseLetterBag(lowerWord);
    }
    if (scored === undefined) return NO_SUGGESTIONS as string[];
    scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
    return scored.slice(0, limit).map((entry) => entry.candidate);
  };
}

/**
 * Best candidates for a mistyped `word`, closest first (ties keep the candidates' order).
 * An exact case-insensitive match that differs in case counts as distance 0 and comes first.
 */
export function suggest(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  return suggester(candidates)(word, options);
}

/** Written by flattened() so that the compiler cannot drop its read. */
let _flattenedSink = 0;

/**
 * `text` as one flat string: a message built from pieces is a tree of them, several objects that the garbage
 * collector copies again and again while a big file's 100k findings are collected; reading a character makes V8 copy
 * the tree into one string once (the same text), and the tree's pieces die young.
 */
export function flattened(text: string): string {
  _flattenedSink ^= text.charCodeAt(0);
  return text;
}

/** One quick fix per candidate; the first is preferred when it is clearly the best. */
export function replacementFixes(range: Range, candidates: string[]): Fix[] {
  return candidates.map((candidate, index) => ({
    title: t("Change to '{0}'", candidate),
    edits: [{ range, newText: candidate }],
    preferred: index === 0 && candidates.length === 1 ? true : undefined,
  }));
}

/** " Did you mean 'a' or 'b'?" (empty string without candidates). */
export function didYouMean(candidates: string[]): string {
  if (candidates.length === 0) return '';
  const quoted = candidates.map((c) => `'${c}'`);
  const list = quoted.length === 1 ? quoted[0] : t('{0} or {1}', quoted.slice(0, -1).join(', '), quoted[quoted.length - 1]);
  return t(' Did you mean {0}?', list);
}

/** Near-certain typo of `candidate`: same name in another case, or one edit away in a name long enough to be distinctive. */
export function isLikelyTypo(word: string, candidate: string): boolean {
  if (word.toLowerCase() === candidate.toLowerCase()) return true;
  return word.length >= 6 && editDistance(word, candidate, 1) <= 1;
}
