// Cursor-marked fixtures: '|' marks the cursor (fixtures never use '|' otherwise).
import { parseDocument, type ParsedDocument } from '../../../server/src/parser/parse';
import type { Position, Range } from '../../../server/src/types';

export interface CursorFixture {
  text: string;
  doc: ParsedDocument;
  position: Position;
}

export function atCursor(fixture: string): CursorFixture {
  const offset = fixture.indexOf('|');
  if (offset < 0 || fixture.indexOf('|', offset + 1) >= 0) throw new Error(`fixture needs exactly one '|': ${fixture}`);
  const text = fixture.slice(0, offset) + fixture.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, doc: parseDocument(text), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** Applies LSP text edits (any order, non-overlapping) to '\n' text. */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offsetAt(out, edit.range.start)) + edit.newText + out.slice(offsetAt(out, edit.range.end));
  return out;
}

/** A small seeded PRNG (mulberry32) so property tests are reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}
