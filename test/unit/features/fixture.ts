// Cursor-marked fixtures: '|' marks the cursor (fixtures never use '|' otherwise).
import { parseDocument, type ParsedDocument } from '../../../server/src/parser/parse';
import type { Position } from '../../../server/src/types';

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
