// The stock and DMS files parsed at build time (dist/stock-documents.json, written by scripts/build.mjs): a CLI run
// reads the documents it needs instead of parsing jail.conf with a cold parser (several ms of a `check`).
// Each document is parseDocument's result for its path and text, stored as JSON (the model is plain data). A text
// the file does not hold (other knowledge than the build's) is simply parsed, as without the file.
// Layout: one line with the index [[path, text length, start, end], …] (byte offsets after that line), then the
// documents' JSON one after the other; a run parses only the JSON of the documents it asks for.
import { closeSync, openSync, readSync } from 'node:fs';
import type { ConfigDocument } from '../parser/model';
import { parseDocument } from '../parser/parse';
import { surroundingFiles } from '../context/sources';
import { DMS_VERSIONS, FAIL2BAN_VERSIONS, FILE_KINDS } from '../types';

type IndexEntry = [path: string, textLength: number, start: number, end: number];

export type StockDocumentLookup = (path: string, text: string) => ConfigDocument | undefined;

/** Every stock and DMS file the modelled versions lay out around a user file (a live container's files excluded). */
export function stockFiles(): { path: string; text: string }[] {
  const seen = new Set<string>();
  const files: { path: string; text: string }[] = [];
  for (const kind of FILE_KINDS) {
    for (const fail2banVersion of FAIL2BAN_VERSIONS) {
      for (const dmsVersion of DMS_VERSIONS) {
        for (const { path, text } of surroundingFiles(kind, fail2banVersion, dmsVersion)) {
          const key = `${path}\u0000${text}`;
          if (seen.has(key)) continue;
          seen.add(key);
          files.push({ path, text });
        }
      }
    }
  }
  return files;
}

/** The file's bytes: the index line, then each document's JSON. */
export function serializeStockDocuments(files = stockFiles()): Buffer {
  const index: IndexEntry[] = [];
  const bodies: Buffer[] = [];
  let offset = 0;
  for (const { path, text } of files) {
    const body = Buffer.from(JSON.stringify(parseDocument(text, { fail2banPath: path })), 'utf8');
    index.push([path, text.length, offset, offset + body.length]);
    bodies.push(body);
    offset += body.length;
  }
  return Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`, 'utf8'), ...bodies]);
}

/** Reads `length` bytes of a stock documents file from `offset`. */
type ReadBytes = (offset: number, length: number) => Buffer;

/** The index line and where the documents start; undefined when `head` (the file's start) has none. */
function readIndex(head: Buffer): { index: IndexEntry[]; bodyStart: number } | undefined {
  const lineEnd = head.indexOf(10);
  if (lineEnd < 0) return undefined;
  let index: unknown;
  try {
    index = JSON.parse(head.toString('utf8', 0, lineEnd));
  } catch {
    return undefined;
  }
  return Array.isArray(index) ? { index: index as IndexEntry[], bodyStart: lineEnd + 1 } : undefined;
}

function lookupOver(index: IndexEntry[], bodyStart: number, read: ReadBytes): StockDocumentLookup {
  return (path, text) => {
    for (const [entryPath, textLength, start, end] of index) {
      if (entryPath !== path || textLength !== text.length) continue;
      try {
        const doc = JSON.parse(read(bodyStart + start, end - start).toString('utf8')) as ConfigDocument;
        // the same length is not the same text (DMS releases differ in a value or two)
        if (doc.text === text) return doc;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}

/** A lookup over the file's bytes; undefined when they are not such a file. */
export function stockDocumentLookup(bytes: Buffer): StockDocumentLookup | undefined {
  const found = readIndex(bytes);
  return found && lookupOver(found.index, found.bodyStart, (offset, length) => bytes.subarray(offset, offset + length));
}

/** What the index line may take (a dozen documents take about 1 KB). */
const INDEX_READ_BYTES = 64 * 1024;

/** `length` bytes of `file` from `offset` (fewer at its end). */
function readRange(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const got = readSync(fd, bytes, filled, length - filled, offset + filled);
      if (got === 0) break;
      filled += got;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * The lookup over a file written at build time; undefined when it is missing or unreadable (then everything is
 * parsed). It reads the index, then only the documents asked for: a check needs a third of the file.
 */
export function readStockDocuments(file: string): StockDocumentLookup | undefined {
  try {
    const found = readIndex(readRange(file, 0, INDEX_READ_BYTES));
    if (!found) return undefined;
    return lookupOver(found.index, found.bodyStart, (offset, length) => {
      const bytes = readRange(file, offset, length);
      if (bytes.length !== length) throw new Error('stock documents file shorter than its index');
      return bytes;
    });
  } catch {
    return undefined;
  }
}
