// "Did you mean": the letter-count shortcut and the reused distance rows must not change any suggestion.
// Compared with a plain, allocation-per-call optimal-string-alignment distance over seeded random words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMaxDistance, editDistance, suggest } from '../../../server/src/rules/suggest';
import { seededRandom } from '../../support/random';

function referenceDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

function referenceSuggest(word: string, candidates: readonly string[], maxDistance: number): string[] {
  const seen = new Set<string>();
  const scored: { candidate: string; distance: number; order: number }[] = [];
  for (const candidate of candidates) {
    if (candidate === word || seen.has(candidate)) continue;
    seen.add(candidate);
    const distance = referenceDistance(word.trim(), candidate);
    if (distance <= maxDistance) scored.push({ candidate, distance, order: scored.length });
  }
  return scored.sort((x, y) => x.distance - y.distance || x.order - y.order).slice(0, 3).map((e) => e.candidate);
}

describe('suggest', () => {
  const next = seededRandom(12);
  const letters = 'abcdeSTxyz-_0ü';
  const word = () => Array.from({ length: 1 + Math.floor(next() * 9) }, () => letters[Math.floor(next() * letters.length)]).join('');
  const candidates = Array.from({ length: 200 }, word);

  it('finds exactly what the plain distance finds (2000 random words against 200 names)', () => {
    for (let i = 0; i < 2000; i++) {
      const w = i % 5 === 0 ? candidates[i % 200].replace(/^./, 'q') : word();
      const maxDistance = defaultMaxDistance(w);
      assert.deepEqual(suggest(w, candidates), referenceSuggest(w, candidates, maxDistance), w);
    }
  });

  it('editDistance agrees with the plain distance, also past the reused rows length', () => {
    for (let i = 0; i < 500; i++) {
      const a = word();
      const b = i % 50 === 0 ? word().repeat(20) : word();
      assert.equal(editDistance(a, b), referenceDistance(a, b), `${a} / ${b}`);
    }
  });
});
