// The stock and DMS files parsed at build time (dist/stock-documents.json, written by scripts/build.mjs): a CLI run
// reads the documents it needs instead of parsing jail.conf with a cold parser (several ms of a `check`).
// Each document is parseDocument's result for its path and text, stored as JSON (the model is plain data). A text
// the file does not hold (other knowledge than the build's) is simply parsed, as without the file.
// Layout: one line with the index [[path, text length, start, end], …] (byte offsets after that line), then the
// documents' JSON one after the other; a run parses only the JSON of the documents it asks for.
import { readFileSync } from 'node:fs';
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

/** A lookup over the file's bytes; undefined when they are not such a file. */
export function stockDocumentLookup(bytes: Buffer): StockDocumentLookup | undefined {
  const lineEnd = bytes.indexOf(10);
  if (lineEnd < 0) return undefined;
  let index: IndexEntry[];
  try {
    index = JSON.parse(bytes.toString('utf8', 0, lineEnd)) as IndexEntry[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(index)) return undefined;
  const bodyStart = lineEnd + 1;
  return (path, text) => {
    for (const [entryPath, textLength, start, end] of index) {
      if (entryPath !== path || textLength !== text.length) continue;
      try {
        const doc = JSON.parse(bytes.toString('utf8', bodyStart + start, bodyStart + end)) as ConfigDocument;
        // the same length is not the same text (DMS releases differ in a value or two)
        if (doc.text === text) return doc;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}

/** The lookup over a file written at build time; undefined when it is missing or unreadable (then everything is parsed). */
export function readStockDocuments(file: string): StockDocumentLookup | undefined {
  try {
    return stockDocumentLookup(readFileSync(file));
  } catch {
    return undefined;
  }
}
