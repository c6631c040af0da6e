// The stock and DMS files read at build time (dist/stock-documents.json, written by scripts/build.mjs): a CLI run
// takes the documents it needs from there instead of parsing jail.conf with a cold parser (several ms of a `check`).
// A check reads a stock document only through its sections' names and their options' names and values (the
// context merges them; ranges, lines and comments are only ever read of the user's file), so that is what the file
// holds, with the text: a fraction of the whole model's JSON, which took a tenth of a `check` to parse. Any other
// field is still there to read: the first such read parses the text (parseDocument's own result, field for field).
// A text the file does not hold (other knowledge than the build's) is simply parsed, as without the file.
// Layout: one line with the index [[path, text length, start, end], …] (byte offsets after that line), then the
// documents' JSON one after the other; a run parses only the JSON of the documents it asks for.
import { readFileSync } from 'node:fs';
import type { Range } from '../types';
import type { CommentNode, ConfigDocument, OptionNode, ParseProblem, SectionNode, ValueLine } from '../parser/model';
import { parseDocument, type ParsedDocument } from '../parser/parse';
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

/** What the file holds of a document: its text, and each section's name with its options' names and values in turn. */
type StoredDocument = [text: string, sections: [name: string, namesAndValues: string[]][]];

function stored(doc: ConfigDocument): StoredDocument {
  return [doc.text, doc.sections.map((section) => [section.name, section.options.flatMap((option) => [option.name, option.value])])];
}

/** The file's bytes: the index line, then each document's JSON. */
export function serializeStockDocuments(files = stockFiles()): Buffer {
  const index: IndexEntry[] = [];
  const bodies: Buffer[] = [];
  let offset = 0;
  for (const { path, text } of files) {
    const body = Buffer.from(JSON.stringify(stored(parseDocument(text, { fail2banPath: path }))), 'utf8');
    index.push([path, text.length, offset, offset + body.length]);
    bodies.push(body);
    offset += body.length;
  }
  return Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`, 'utf8'), ...bodies]);
}

let fullParses = 0;

/** How many stored documents were parsed in full because a field the file does not hold was read (tests count them). */
export function storedDocumentsParsedInFull(): number {
  return fullParses;
}

/** The parse of a stored document's text, made on the first read of a field the file does not hold. */
class FullParse {
  #doc: ParsedDocument | undefined;
  constructor(
    private readonly path: string,
    private readonly text: string,
  ) {}

  get doc(): ParsedDocument {
    if (!this.#doc) {
      fullParses++;
      this.#doc = parseDocument(this.text, { fail2banPath: this.path });
    }
    return this.#doc;
  }
}

/** An option of a stored document: name and value as stored, the rest from the full parse. */
class StoredOption implements OptionNode {
  readonly #source: FullParse;
  readonly #section: number;
  readonly #index: number;

  constructor(
    readonly name: string,
    readonly value: string,
    source: FullParse,
    section: number,
    index: number,
  ) {
    this.#source = source;
    this.#section = section;
    this.#index = index;
  }

  #full(): OptionNode {
    return this.#source.doc.sections[this.#section].options[this.#index];
  }
  get kind(): 'option' {
    return 'option';
  }
  get key(): string {
    return this.#full().key;
  }
  get keyRange(): Range {
    return this.#full().keyRange;
  }
  get delimiter(): '=' | ':' {
    return this.#full().delimiter;
  }
  get delimiterRange(): Range {
    return this.#full().delimiterRange;
  }
  get lines(): ValueLine[] {
    return this.#full().lines;
  }
  get valueRange(): Range {
    return this.#full().valueRange;
  }
  get range(): Range {
    return this.#full().range;
  }
  get indent(): number {
    return this.#full().indent;
  }
}

/** A section of a stored document: name and options as stored, the rest from the full parse. */
class StoredSection implements SectionNode {
  readonly #source: FullParse;
  readonly #index: number;
  readonly options: OptionNode[] = [];

  constructor(
    readonly name: string,
    namesAndValues: readonly string[],
    source: FullParse,
    index: number,
  ) {
    this.#source = source;
    this.#index = index;
    for (let at = 0; at < namesAndValues.length; at += 2) {
      this.options.push(new StoredOption(namesAndValues[at], namesAndValues[at + 1], source, index, at / 2));
    }
  }

  #full(): SectionNode {
    return this.#source.doc.sections[this.#index];
  }
  get kind(): 'section' {
    return 'section';
  }
  get nameRange(): Range {
    return this.#full().nameRange;
  }
  get headerRange(): Range {
    return this.#full().headerRange;
  }
  get range(): Range {
    return this.#full().range;
  }
  get trailing(): SectionNode['trailing'] {
    return this.#full().trailing;
  }
}

/** A stored document: text and sections as stored, the rest from the full parse. */
class StoredConfigDocument implements ConfigDocument {
  readonly #source: FullParse;
  readonly sections: SectionNode[];

  constructor(
    readonly text: string,
    sections: StoredDocument[1],
    path: string,
  ) {
    this.#source = new FullParse(path, text);
    this.sections = sections.map(([name, namesAndValues], index) => new StoredSection(name, namesAndValues, this.#source, index));
  }

  get lines(): string[] {
    return this.#source.doc.lines;
  }
  get lineStarts(): number[] {
    return this.#source.doc.lineStarts;
  }
  get comments(): CommentNode[] {
    return this.#source.doc.comments;
  }
  get problems(): ParseProblem[] {
    return this.#source.doc.problems;
  }
  get hasBom(): boolean {
    return this.#source.doc.hasBom;
  }
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
        const [storedText, sections] = JSON.parse(read(bodyStart + start, end - start).toString('utf8')) as StoredDocument;
        // the same length is not the same text (DMS releases differ in a value or two)
        if (storedText === text) return new StoredConfigDocument(storedText, sections, path);
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

/**
 * The lookup over a file written at build time; undefined when it is missing or unreadable (then everything is
 * parsed). The whole file (~80 KB) in one read: a read per document asked for took more system calls than bytes.
 */
export function readStockDocuments(file: string): StockDocumentLookup | undefined {
  try {
    return stockDocumentLookup(readFileSync(file));
  } catch {
    return undefined;
  }
}
