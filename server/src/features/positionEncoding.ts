// Position encodings (LSP 3.17 `general.positionEncodings`): the whole pipeline counts characters in
// UTF-16 code units (JavaScript string indexes). A client that offers only UTF-8 (bytes) or UTF-32 (code
// points) gets positions converted at the LSP boundary; every other client gets UTF-16 (the LSP default).
import type { Position } from '../types';

export type PositionEncoding = 'utf-16' | 'utf-8' | 'utf-32';

/** UTF-16 whenever the client offers it (or offers nothing); else the first of UTF-8/UTF-32 it offers. */
export function negotiatePositionEncoding(offered: unknown): PositionEncoding {
  if (!Array.isArray(offered) || offered.length === 0 || offered.includes('utf-16')) return 'utf-16';
  const supported = offered.find((e): e is PositionEncoding => e === 'utf-8' || e === 'utf-32');
  return supported ?? 'utf-16';
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Units one code point takes in `encoding` (code point given as its UTF-16 length and value). */
function unitsOf(codePoint: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-32') return 1;
  if (encoding === 'utf-16') return codePoint > 0xffff ? 2 : 1;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * A character offset in `line` counted in `encoding` → UTF-16. An offset inside a code point snaps to its
 * start; an offset past the end keeps its excess (so "past the end of the line" stays past the end).
 */
export function characterToUtf16(line: string, character: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-16' || character <= 0 || ASCII_ONLY.test(line)) return character;
  let units = 0;
  let index = 0;
  while (index < line.length) {
    const codePoint = line.codePointAt(index) ?? 0;
    const width = unitsOf(codePoint, encoding);
    if (units + width > character) return index;
    units += width;
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index + (character - units);
}

/** A UTF-16 offset in `line` → `encoding` (the inverse of characterToUtf16). */
export function characterFromUtf16(line: string, character: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-16' || character <= 0 || ASCII_ONLY.test(line)) return character;
  let units = 0;
  let index = 0;
  while (index < line.length && index < character) {
    const codePoint = line.codePointAt(index) ?? 0;
    const step = codePoint > 0xffff ? 2 : 1;
    if (index + step > character) break; // inside a surrogate pair: snap to its start
    units += unitsOf(codePoint, encoding);
    index += step;
  }
  return units + Math.max(0, character - Math.max(index, line.length));
}

function isPosition(value: object): value is Position {
  const candidate = value as Partial<Position>;
  return typeof candidate.line === 'number' && typeof candidate.character === 'number';
}

/**
 * A deep copy of `value` with every `{ line, character }` converted by `convert` (results and request
 * parameters of one document carry positions only in such objects).
 */
export function mapPositions<T>(value: T, convert: (position: Position) => number): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    if (isPosition(node)) return { ...node, character: convert(node) };
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) copy[key] = visit(child);
    return copy;
  };
  return visit(value) as T;
}
