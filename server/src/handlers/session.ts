// The language server's per-connection state and the small helpers every handler module shares:
// open documents (parsed once per version), settings per document, the client's capabilities and position
// encoding, and `guarded`/`quietly` so that no handler can fail the connection.
import type { Connection } from 'vscode-languageserver/lib/node/main';
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/lib/common/api';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userFilePath } from '../context';
import { clientProfile, type ClientProfile } from '../features/clientCompat';
import { characterFromUtf16, characterToUtf16, mapPositions, type PositionEncoding } from '../features/positionEncoding';
import type { FeatureOptions } from '../features/shared';
import { detectFileKind } from '../fileKind';
import type { ConfigDocument } from '../parser/model';
import { parseDocument, type ParsedDocument } from '../parser/parse';
import { reparse } from '../incrementalParse';
import { IncrementalChecker } from '../incremental';
import { fileTooLarge } from '../sizeCap';
import type { EngineDiagnostic, FileKind, Position, ProvidedFiles } from '../types';
import { LiveContextStore } from '../workspace/liveContext';
import { providedFiles } from '../workspace/provided';
import { CompletionDelivery } from './completionDocs';
import { applyChanges, isFinitePosition } from './documents';
import { normalizeSettings, SETTINGS_SECTION, type ServerSettings } from './settings';

// Types come from the deep path (tsconfig's node10 resolution ignores the package's "exports" map);
// the value comes from the exported 'vscode-languageserver/node', which esbuild resolves and bundles.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TextDocuments } = require('vscode-languageserver/node') as typeof LanguageServerModule;

/** A client that claims workspace/configuration but does not answer must not stall diagnostics. */
const CONFIGURATION_TIMEOUT_MS = 2000;

/** The local path of a file: URI, or undefined. */
export function filePathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Filters and actions the workspace adds to the container, for the file at `uri`: compose files next to or above
 * it (up to its workspace folder) and the extra folders (relative ones resolved against that workspace folder).
 */
export function workspaceProvided(uri: string, extraConfigDirs: readonly string[], workspaceRoots: readonly string[]): ProvidedFiles | undefined {
  const path = filePathOfUri(uri);
  if (!path) return undefined;
  const root = workspaceRoots.filter((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep)).sort((a, b) => b.length - a.length)[0];
  const base = root ?? dirname(path);
  return providedFiles(path, {
    roots: root ? [root] : [],
    extraConfigDirs: extraConfigDirs.map((dir) => (isAbsolute(dir) ? dir : resolve(base, dir))),
  });
}

/** File kind from the document URI's file name; anything unknown is read as a jail file. */
export function kindOfUri(uri: string): FileKind {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // not a URL: use it as a path
  }
  return detectFileKind(path) ?? 'jail';
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/** LSP: a character past the end of its line means the end of the line (lines past the end stay: nothing is there). */
function clampToLine(position: Position, lines: readonly string[]): Position {
  const line = lines[position.line];
  return line === undefined ? position : { line: position.line, character: Math.max(0, Math.min(position.character, line.length)) };
}

/** One line of a document without its terminator ('' outside the document). */
function lineOf(document: TextDocument, line: number): string {
  if (!(line >= 0 && line < document.lineCount)) return '';
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r\n$|[\r\n]$/, '');
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** What the client said about itself in `initialize`. */
export interface ClientCapabilities {
  canPullConfiguration: boolean;
  canWatchConfiguration: boolean;
  canRefreshDiagnostics: boolean;
  pullDiagnostics: boolean;
  /** completionItem/resolve may fill in `documentation` (then completion lists go without it). */
  resolvesCompletionDocumentation: boolean;
  /** A completion list may give its items' shared edit range once (`completionList.itemDefaults` has `editRange`). */
  completionEditRangeDefault: boolean;
  /** A completion list may give its items' shared `data` once (`completionList.itemDefaults` has `data`). */
  completionDataDefault: boolean;
  profile: ClientProfile;
}

export class Session {
  readonly documents: InstanceType<typeof TextDocuments<TextDocument>>;
  encoding: PositionEncoding = 'utf-16';
  client: ClientCapabilities = {
    canPullConfiguration: false,
    canWatchConfiguration: false,
    canRefreshDiagnostics: false,
    pullDiagnostics: false,
    resolvesCompletionDocumentation: false,
    completionEditRangeDefault: false,
    completionDataDefault: false,
    profile: clientProfile(undefined, undefined),
  };
  /** Completion lists as the client takes them, and their documentation for completionItem/resolve. */
  readonly completionDelivery = new CompletionDelivery();
  /** Settings for clients that push them (initializationOptions / didChangeConfiguration) or do not answer. */
  defaultSettings: ServerSettings = normalizeSettings({});
  /** Bumped on every configuration change, so pull-diagnostics result ids change with the settings. */
  settingsGeneration = 0;
  /** Local workspace folders: the search for compose files stops at the one holding the document. */
  workspaceRoots: string[] = [];
  readonly settingsByUri = new Map<string, Promise<ServerSettings>>();
  /** The selected container's context, when the client has read one (else the modelled release answers). */
  readonly live = new LiveContextStore();
  /** Per open document and version: the parsed document, or the one finding of a document too large to check. */
  private readonly parsed = new Map<string, { version: number; doc?: ParsedDocument; tooLarge?: EngineDiagnostic }>();
  /** Per open document: the last check's findings per section, so an edit re-checks only what it touched. */
  private readonly checkers = new Map<string, IncrementalChecker>();
  /** Per open document: requestOptionsFor's answer and the version and generations it is for. */
  private readonly requestOptions = new Map<string, { key: string; options: Promise<FeatureOptions> }>();
  /** Bumped when a watched (compose) file changes: what the workspace provides may have changed. */
  watchedFilesGeneration = 0;
  /** A new number per opened TextDocument, so a result id never survives close + reopen. */
  private readonly openSerial = new WeakMap<TextDocument, number>();
  private nextOpenSerial = 1;
  /** Sees each didChange's changes as the client sent them, before they are applied (the typing hold). */
  changesSeen?: (uri: string, changes: readonly TextDocumentContentChangeEvent[]) => void;

  constructor(readonly connection: Connection) {
    this.documents = new TextDocuments<TextDocument>({
      create: TextDocument.create,
      update: (document, changes, version) => {
        this.changesSeen?.(document.uri, changes);
        return applyChanges(document, changes, version, (current, range) => this.toServer(current, range));
      },
    });
  }

  /** Client positions → UTF-16 (the pipeline's unit); identity for UTF-16 clients. */
  toServer<T>(document: TextDocument | undefined, value: T): T {
    const encoding = this.encoding;
    return encoding === 'utf-16' || !document ? value : mapPositions(value, (p) => characterToUtf16(lineOf(document, p.line), p.character, encoding));
  }

  /** UTF-16 positions → the client's encoding. */
  toClient<T>(document: TextDocument | undefined, value: T): T {
    const encoding = this.encoding;
    return encoding === 'utf-16' || !document ? value : mapPositions(value, (p) => characterFromUtf16(lineOf(document, p.line), p.character, encoding));
  }

  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.client.canPullConfiguration) return Promise.resolve(this.defaultSettings);
    const cached = this.settingsByUri.get(uri);
    if (cached) return cached;
    const request = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(normalizeSettings);
    const settings = withTimeout(request, CONFIGURATION_TIMEOUT_MS, this.defaultSettings);
    this.settingsByUri.set(uri, settings);
    return settings;
  }

  /**
   * The options for requests other than diagnostics (completion, hover, …), looked up once per document version:
   * finding the compose files costs file-system probes on every call. Diagnostics use optionsFor, which always
   * looks again (a compose file edited without a file watcher is seen at the next pull).
   */
  requestOptionsFor(uri: string): Promise<FeatureOptions> {
    const version = this.documents.get(uri)?.version;
    if (version === undefined) return this.optionsFor(uri);
    const key = `${version}.${this.settingsGeneration}.${this.live.generation}.${this.watchedFilesGeneration}`;
    const cached = this.requestOptions.get(uri);
    if (cached?.key === key) return cached.options;
    const options = this.optionsFor(uri);
    this.requestOptions.set(uri, { key, options });
    return options;
  }

  async optionsFor(uri: string): Promise<FeatureOptions> {
    const settings = await this.settingsFor(uri);
    const provided = workspaceProvided(uri, settings.extraConfigDirs, this.workspaceRoots);
    return this.live.apply({ kind: kindOfUri(uri), fail2banVersion: settings.fail2banVersion, dmsVersion: settings.dmsVersion, rules: settings.rules, provided, documentUri: uri });
  }

  /**
   * The parsed document (parsed once per version), or undefined when it is not open or too large to check
   * (then every feature answers empty and diagnostics carry `tooLargeFor`'s one finding).
   */
  docFor(uri: string): ConfigDocument | undefined {
    return this.analysed(uri)?.doc;
  }

  /** The `file-too-large` finding of an open document over the size cap (server/src/sizeCap.ts). */
  tooLargeFor(uri: string): EngineDiagnostic | undefined {
    return this.analysed(uri)?.tooLarge;
  }

  private analysed(uri: string): { doc?: ConfigDocument; tooLarge?: EngineDiagnostic } | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const cached = this.parsed.get(uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    // the open document knows its line count: a file of few lines needs no count of its non-empty ones
    const tooLarge = fileTooLarge(text, document.lineCount);
    const parseOptions = { fail2banPath: userFilePath(kindOfUri(uri)) };
    // the previous version's parse is reused where the edit did not reach (server/src/incrementalParse.ts)
    const entry = tooLarge
      ? { version: document.version, tooLarge }
      : { version: document.version, doc: cached?.doc ? reparse(cached.doc, text, parseOptions).doc : parseDocument(text, parseOptions) };
    this.parsed.set(uri, entry);
    return entry;
  }

  opened(document: TextDocument): void {
    this.openSerial.set(document, this.nextOpenSerial++);
  }

  checkerFor(uri: string): IncrementalChecker {
    let checker = this.checkers.get(uri);
    if (!checker) this.checkers.set(uri, (checker = new IncrementalChecker()));
    return checker;
  }

  /** Drops everything kept for a closed document. */
  forget(uri: string): void {
    this.checkers.delete(uri);
    this.requestOptions.delete(uri);
    this.settingsByUri.delete(uri);
    this.parsed.delete(uri);
  }

  resultIdOf(document: TextDocument): string {
    return `${this.openSerial.get(document) ?? 0}.${document.version}.${this.settingsGeneration}.${this.live.generation}`;
  }

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  async guarded<T>(what: string, fallback: T, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.connection.console.error(`${what} failed: ${describeError(error)}`);
      return fallback;
    }
  }

  /** Fire-and-forget messages to the client (it may have gone, or not implement them): log, never reject. */
  quietly(what: string, promise: Promise<unknown>): void {
    promise.catch((error: unknown) => this.connection.console.warn(`${what}: ${describeError(error)}`));
  }

  /** Request positions in UTF-16, with the document open (undefined when it is not). */
  open<P extends { textDocument: { uri: string } }>(params: P): { params: P; document: TextDocument; doc: ConfigDocument } | undefined {
    const uri = params?.textDocument?.uri;
    const document = typeof uri === 'string' ? this.documents.get(uri) : undefined;
    const doc = typeof uri === 'string' ? this.docFor(uri) : undefined;
    if (!document || !doc) return undefined;
    const converted = this.toServer(document, params);
    const position = (converted as { position?: unknown }).position;
    if (isFinitePosition(position)) Object.assign(converted, { position: clampToLine(position, doc.lines) });
    return { params: converted, document, doc };
  }
}
