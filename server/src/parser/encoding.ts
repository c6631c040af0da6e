// Bytes → text the way fail2ban opens config files: strict UTF-8 ('utf-8', not 'utf-8-sig', so a
// BOM stays in the text and the parser reports it). On an invalid byte fail2ban 1.1.0 logs
// "Error decoding config file …" and ignores the WHOLE file; 1.1.1 refuses to start.
import type { ParseProblem } from './model';
import { pythonRepr } from './messages';
import { positionAt, splitLines } from './text';

export interface DecodedConfig {
  /** The decoded text; after an invalid byte, decoded with U+FFFD replacements so the rest can be checked. */
  text: string;
  /** At most one problem: the first invalid byte (where Python's decoder stops). */
  problems: ParseProblem[];
}

interface Utf8Error {
  /** Offset of the first byte of the bad sequence. */
  start: number;
  /** Bytes Python includes in the error (the valid lead-in of the sequence). */
  length: number;
  reason: 'invalid start byte' | 'invalid continuation byte' | 'unexpected end of data';
}

// Python's decoder reads files in 8 KiB chunks and reports positions relative to the chunk, so the
// absolute offset matches Python's message only inside the first chunk.
const PYTHON_TEXT_CHUNK = 8192;

function inRange(byte: number | undefined, low: number, high: number): boolean {
  return byte !== undefined && byte >= low && byte <= high;
}

/** Second-byte range per lead byte (RFC 3629; same table as CPython's and WHATWG's decoders). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The first UTF-8 error, described as CPython describes it. */
export function findUtf8Error(bytes: Uint8Array): Utf8Error | undefined {
  let i = 0;
  const length = bytes.length;
  while (i < length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const needed = sequenceLength(lead);
    if (needed === 0) return { start: i, length: 1, reason: 'invalid start byte' };
    const [low, high] = secondByteRange(lead);
    for (let k = 1; k < needed; k++) {
      const byte = i + k < length ? bytes[i + k] : undefined;
      if (byte === undefined) return { start: i, length: length - i, reason: 'unexpected end of data' };
      const ok = k === 1 ? inRange(byte, low, high) : inRange(byte, 0x80, 0xbf);
      if (!ok) return { start: i, length: k, reason: 'invalid continuation byte' };
    }
    i += needed;
  }
  return undefined;
}

/** CPython's UnicodeDecodeError text, e.g. "'utf-8' codec can't decode byte 0xe9 in position 23: invalid continuation byte". */
function pythonDecodeErrorText(bytes: Uint8Array, error: Utf8Error): string {
  const end = error.start + error.length;
  const inFirstChunk = end <= PYTHON_TEXT_CHUNK;
  if (error.length === 1) {
    const where = inFirstChunk ? ` in position ${error.start}` : '';
    return `'utf-8' codec can't decode byte 0x${bytes[error.start].toString(16).padStart(2, '0')}${where}: ${error.reason}`;
  }
  const where = inFirstChunk ? ` in position ${error.start}-${end - 1}` : '';
  return `'utf-8' codec can't decode bytes${where}: ${error.reason}`;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function decodeConfigBytes(bytes: Uint8Array, fail2banPath = '<file>'): DecodedConfig {
  try {
    return { text: strictDecoder.decode(bytes), problems: [] };
  } catch {
    // fall through: locate the byte and describe it as Python does
  }
  const text = lenientDecoder.decode(bytes);
  const error = findUtf8Error(bytes);
  if (!error) return { text, problems: [] };
  // The valid prefix decodes identically, so its length is the UTF-16 offset of the U+FFFD.
  const offset = lenientDecoder.decode(bytes.subarray(0, error.start)).length;
  const { lines, lineStarts } = splitLines(text);
  const start = positionAt({ text, lineStarts }, offset);
  const range = { start, end: { line: start.line, character: start.character + 1 } };
  const lineText = lines[start.line];
  const message =
    `Not valid UTF-8 (line ${start.line + 1}: ${pythonRepr(lineText.slice(0, 80))}): fail2ban 1.1.0 logs ` +
    `"Error decoding config file '${fail2banPath}': ${pythonDecodeErrorText(bytes, error)}" and ignores this WHOLE ` +
    `file (nothing in it takes effect); fail2ban 1.1.1 refuses to start. Save the file as UTF-8.`;
  return { text, problems: [{ code: 'invalid-encoding', range, message }] };
}
