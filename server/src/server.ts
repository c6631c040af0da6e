// LSP wiring only: documents, settings, and routing each request to a pure feature function.
// Settings are fetched per document (workspace/configuration with the document's URI) and never shared
// across documents; every handler answers with an empty result instead of failing.
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import type { Connection } from 'vscode-languageserver/lib/node/main';
import type * as ProtocolModule from 'vscode-languageserver-protocol/lib/common/api';
import type {
  CodeActionParams,
  DidChangeConfigurationParams,
  DocumentDiagnosticReport,
  InitializeParams,
  InitializeResult,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/lib/common/api';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userFilePath } from './context';
import { adaptCompletionItems, adaptHover, clientProfile, flattenSymbols, type ClientProfile } from './features/clientCompat';
import { computeCodeActions } from './features/codeActions';
import { computeCompletion } from './features/completion';
import { computeDefinition } from './features/definition';
import { computeDiagnostics, fixesOf } from './features/diagnostics';
import { computeEffectiveConfig, EFFECTIVE_CONFIG_REQUEST, type EffectiveConfigParams, type EffectiveConfigResult } from './features/effectiveConfig';
import { computeFoldingRanges } from './features/folding';
import { computeFormatting } from './features/formatting';
import { computeHover } from './features/hover';
import { computeInlayHints } from './features/inlayHints';
import { MessageGate } from './features/messageGate';
import { characterFromUtf16, characterToUtf16, mapPositions, negotiatePositionEncoding, type PositionEncoding } from './features/positionEncoding';
import type { FeatureOptions } from './features/shared';
import { computeDocumentSymbols } from './features/symbols';
import { detectFileKind } from './fileKind';
import { registerExtensionRequests } from './handlers/extensionRequests';
import { registerLiveHandlers } from './handlers/live';
import { LiveContextStore } from './workspace/liveContext';
import type { ConfigDocument } from './parser/model';
import { parseDocument } from './parser/parse';
import { DMS_VERSIONS, FAIL2BAN_VERSIONS, type DmsVersion, type Fail2banVersion, type FileKind, type Position, type ProvidedFiles, type Range, type SeveritySetting } from './types';
import { providedFiles } from './workspace/provided';

// Types come from the deep path (tsconfig's node10 resolution ignores the package's "exports" map);
// the value comes from the exported 'vscode-languageserver/node', which esbuild resolves and bundles.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lsp = require('vscode-languageserver/node') as typeof LanguageServerModule & typeof ProtocolModule;
const { createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = lsp;

const SETTINGS_SECTION = 'dmsFail2ban';
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
/** A client that claims workspace/configuration but does not answer must not stall diagnostics. */
const CONFIGURATION_TIMEOUT_MS = 2000;
/** Push diagnostics wait at most this long for more edits (the wait follows the document's last check time). */
const MAX_PUSH_DELAY_MS = 200;

export interface ServerSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules: Record<string, SeveritySetting>;
  /** Folders with the user's own filter.d/action.d files (absolute, or relative to the workspace folder). */
  extraConfigDirs: string[];
}

/** Keeps only values the engine understands (settings come from the user and may be anything). */
export function normalizeSettings(raw: unknown): ServerSettings {
  const value = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SeveritySetting> = {};
  if (value.rules && typeof value.rules === 'object' && !Array.isArray(value.rules)) {
    for (const [code, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (code !== '__proto__' && SEVERITY_SETTINGS.includes(severity as SeveritySetting)) rules[code] = severity as SeveritySetting;
    }
  }
  return {
    fail2banVersion: FAIL2BAN_VERSIONS.includes(value.fail2banVersion as Fail2banVersion) ? (value.fail2banVersion as Fail2banVersion) : undefined,
    dmsVersion: DMS_VERSIONS.includes(value.dmsVersion as DmsVersion) ? (value.dmsVersion as DmsVersion) : undefined,
    rules,
    extraConfigDirs: Array.isArray(value.extraConfigDirs)
      ? value.extraConfigDirs.filter((dir): dir is string => typeof dir === 'string' && dir.trim() !== '')
      : [],
  };
}

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


/** Settings a client pushes instead of answering workspace/configuration: `{ dmsFail2ban: {…} }` or the bare object. */
function pushedSettings(raw: unknown): ServerSettings {
  const holder = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return normalizeSettings(SETTINGS_SECTION in holder ? holder[SETTINGS_SECTION] : raw);
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

function isFinitePosition(position: unknown): position is Position {
  const p = position as Partial<Position> | null | undefined;
  return typeof p === 'object' && p !== null && Number.isFinite(p.line) && Number.isFinite(p.character);
}

function isFiniteRange(range: unknown): range is Range {
  const r = range as Partial<Range> | null | undefined;
  return typeof r === 'object' && r !== null && isFinitePosition(r.start) && isFinitePosition(r.end);
}

/** LSP: a character past the end of its line means the end of the line (lines past the end stay: nothing is there). */
function clampToLine(position: Position, lines: readonly string[]): Position {
  const line = lines[position.line];
  return line === undefined ? position : { line: position.line, character: Math.max(0, Math.min(position.character, line.length)) };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

let crashGuardsInstalled = false;

/** A language server must outlive its own bugs: log what escaped a handler instead of dying (and losing the client's documents). */
function installCrashGuards(): void {
  if (crashGuardsInstalled) return;
  crashGuardsInstalled = true;
  const log = (what: string) => (error: unknown) => {
    try {
      process.stderr.write(`dms-fail2ban language server: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    } catch {
      // stderr gone as well: nothing left to tell
    }
  };
  process.on('unhandledRejection', log('unhandled rejection'));
  process.on('uncaughtException', log('uncaught exception'));
}

export function startServer(existing?: Connection): Connection {
  installCrashGuards();
  const gate = new MessageGate();
  const connection = existing ?? createConnection(ProposedFeatures.all, { messageStrategy: gate });
  if (!existing) gate.attach(connection);
  let encoding: PositionEncoding = 'utf-16';

  /** One line of a document without its terminator ('' outside the document). */
  const lineOf = (document: TextDocument, line: number): string => {
    if (!(line >= 0 && line < document.lineCount)) return '';
    return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r\n$|[\r\n]$/, '');
  };

  /** Client positions → UTF-16 (the pipeline's unit); identity for UTF-16 clients. */
  const toServer = <T>(document: TextDocument | undefined, value: T): T =>
    encoding === 'utf-16' || !document ? value : mapPositions(value, (p) => characterToUtf16(lineOf(document, p.line), p.character, encoding));
  /** UTF-16 positions → the client's encoding. */
  const toClient = <T>(document: TextDocument | undefined, value: T): T =>
    encoding === 'utf-16' || !document ? value : mapPositions(value, (p) => characterFromUtf16(lineOf(document, p.line), p.character, encoding));

  /** Applies changes one by one (each range refers to the text after the previous change); malformed changes are skipped. */
  const applyChanges = (document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument => {
    let current = document;
    for (const change of Array.isArray(changes) ? changes : []) {
      if (typeof change?.text !== 'string') continue;
      if ('range' in change && change.range !== undefined) {
        if (!isFiniteRange(change.range)) continue;
        current = TextDocument.update(current, [{ range: toServer(current, change.range), text: change.text }], version);
      } else {
        current = TextDocument.update(current, [{ text: change.text }], version);
      }
    }
    return TextDocument.update(current, [], version);
  };

  const documents = new TextDocuments<TextDocument>({ create: TextDocument.create, update: applyChanges });
  const settingsByUri = new Map<string, Promise<ServerSettings>>();
  const parsed = new Map<string, { version: number; doc: ConfigDocument }>();
  /** A new number per opened TextDocument, so a result id never survives close + reopen. */
  const openSerial = new WeakMap<TextDocument, number>();
  let nextOpenSerial = 1;
  let settingsGeneration = 0;
  let defaultSettings = normalizeSettings({});
  let canPullConfiguration = false;
  let canWatchConfiguration = false;
  let canRefreshDiagnostics = false;
  let pullDiagnostics = false;
  let profile: ClientProfile = clientProfile(undefined, undefined);
  /** Local workspace folders: the search for compose files stops at the one holding the document. */
  let workspaceRoots: string[] = [];
  /** The selected container's context, when the client has read one (else the modelled release answers). */
  const live = new LiveContextStore();

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!canPullConfiguration) return Promise.resolve(defaultSettings);
    const cached = settingsByUri.get(uri);
    if (cached) return cached;
    const request = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(normalizeSettings);
    const settings = withTimeout(request, CONFIGURATION_TIMEOUT_MS, defaultSettings);
    settingsByUri.set(uri, settings);
    return settings;
  };

  const optionsFor = async (uri: string): Promise<FeatureOptions> => {
    const settings = await settingsFor(uri);
    const provided = workspaceProvided(uri, settings.extraConfigDirs, workspaceRoots);
    return live.apply({ kind: kindOfUri(uri), fail2banVersion: settings.fail2banVersion, dmsVersion: settings.dmsVersion, rules: settings.rules, provided });
  };

  const docFor = (uri: string): ConfigDocument | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const cached = parsed.get(uri);
    if (cached && cached.version === document.version) return cached.doc;
    const doc = parseDocument(document.getText(), { fail2banPath: userFilePath(kindOfUri(uri)) });
    parsed.set(uri, { version: document.version, doc });
    return doc;
  };

  const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  const guarded = async <T>(what: string, fallback: T, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      connection.console.error(`${what} failed: ${describe(error)}`);
      return fallback;
    }
  };

  /** Fire-and-forget messages to the client (it may have gone, or not implement them): log, never reject. */
  const quietly = (what: string, promise: Promise<unknown>) => {
    promise.catch((error: unknown) => connection.console.warn(`${what}: ${describe(error)}`));
  };

  /** Diagnostics of the document as it is now (UTF-16); undefined when it is not open. */
  const currentDiagnostics = async (uri: string): Promise<{ document: TextDocument; items: Diagnostic[] } | undefined> => {
    const options = await optionsFor(uri);
    // from here on synchronous: the text checked is the text whose version is reported
    const document = documents.get(uri);
    const doc = docFor(uri);
    if (!document || !doc) return undefined;
    return { document, items: computeDiagnostics(doc, options) };
  };

  /** A changed compose file or extra folder changes what is provided, and so the diagnostics. */
  const providedKey = (provided: ProvidedFiles | undefined): string =>
    provided ? `${provided.filters.join(',')}/${provided.actions.join(',')}` : '';

  const resultIdOf = (document: TextDocument): string => `${openSerial.get(document) ?? 0}.${document.version}.${settingsGeneration}.${live.generation}`;

  // Push diagnostics: one pending check per document; rapid edits coalesce (the wait is about as long as a check takes).
  const pendingPush = new Map<string, ReturnType<typeof setTimeout>>();
  const lastCheckMs = new Map<string, number>();

  const pushDiagnostics = async (uri: string): Promise<void> => {
    const started = Date.now();
    const current = await guarded('diagnostics', undefined, () => currentDiagnostics(uri));
    lastCheckMs.set(uri, Date.now() - started);
    if (!current || pendingPush.has(uri)) return; // closed, or a newer edit will report again
    const { document, items } = current;
    quietly('publishDiagnostics', connection.sendDiagnostics({ uri, version: document.version, diagnostics: toClient(document, items) }));
  };

  const schedulePush = (uri: string) => {
    const pending = pendingPush.get(uri);
    if (pending) clearTimeout(pending);
    const delay = Math.min(lastCheckMs.get(uri) ?? 0, MAX_PUSH_DELAY_MS);
    pendingPush.set(
      uri,
      setTimeout(() => {
        pendingPush.delete(uri);
        void pushDiagnostics(uri);
      }, delay),
    );
  };

  const refreshAllDiagnostics = () => {
    if (pullDiagnostics) {
      if (canRefreshDiagnostics) quietly('workspace/diagnostic/refresh', connection.languages.diagnostics.refresh());
    } else {
      for (const document of documents.all()) schedulePush(document.uri);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params?.capabilities ?? {};
    canPullConfiguration = capabilities.workspace?.configuration === true;
    canWatchConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRefreshDiagnostics = capabilities.workspace?.diagnostics?.refreshSupport === true;
    pullDiagnostics = typeof capabilities.textDocument?.diagnostic === 'object' && capabilities.textDocument.diagnostic !== null;
    encoding = negotiatePositionEncoding(capabilities.general?.positionEncodings);
    profile = clientProfile(capabilities, params?.clientInfo?.name);
    defaultSettings = pushedSettings(params?.initializationOptions);
    const folderUris = params?.workspaceFolders?.map((folder) => folder.uri) ?? (params?.rootUri ? [params.rootUri] : []);
    workspaceRoots = folderUris.map(filePathOfUri).filter((path): path is string => path !== undefined);
    return {
      capabilities: {
        positionEncoding: encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['[', '=', '(', '/', ',', ' '], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        definitionProvider: true,
        inlayHintProvider: true,
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'dms-fail2ban', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'dms-fail2ban' },
    };
  });

  connection.onInitialized(() => {
    if (canWatchConfiguration) quietly('client/registerCapability', connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }));
  });

  connection.onDidChangeConfiguration((params: DidChangeConfigurationParams) => {
    settingsByUri.clear();
    settingsGeneration++;
    if (!canPullConfiguration && params?.settings !== null && typeof params?.settings === 'object') defaultSettings = pushedSettings(params.settings);
    refreshAllDiagnostics();
  });

  // a compose file changed (the client watches them): what the workspace provides may have changed
  connection.onDidChangeWatchedFiles(() => refreshAllDiagnostics());

  documents.onDidOpen((event: { document: TextDocument }) => {
    openSerial.set(event.document, nextOpenSerial++);
  });

  documents.onDidChangeContent((event: { document: TextDocument }) => {
    if (!pullDiagnostics) schedulePush(event.document.uri);
  });

  documents.onDidClose((event: { document: TextDocument }) => {
    const uri = event.document.uri;
    const pending = pendingPush.get(uri);
    if (pending) clearTimeout(pending);
    pendingPush.delete(uri);
    lastCheckMs.delete(uri);
    settingsByUri.delete(uri);
    parsed.delete(uri);
    quietly('publishDiagnostics', connection.sendDiagnostics({ uri, diagnostics: [] }));
  });

  connection.languages.diagnostics.on((params) =>
    guarded<DocumentDiagnosticReport>('diagnostics', { kind: 'full', items: [] }, async () => {
      const uri = params.textDocument.uri;
      const options = await optionsFor(uri);
      // from here on synchronous (as in currentDiagnostics); an unchanged document is not checked again
      const document = documents.get(uri);
      const doc = docFor(uri);
      if (!document || !doc) return { kind: 'full', items: [] };
      const resultId = `${resultIdOf(document)}.${providedKey(options.provided)}`;
      if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
      return { kind: 'full', resultId, items: toClient(document, computeDiagnostics(doc, options)) };
    }),
  );

  /** Request positions in UTF-16, with the document open (undefined when it is not). */
  const open = <P extends { textDocument: { uri: string } }>(params: P): { params: P; document: TextDocument; doc: ConfigDocument } | undefined => {
    const uri = params?.textDocument?.uri;
    const document = typeof uri === 'string' ? documents.get(uri) : undefined;
    const doc = typeof uri === 'string' ? docFor(uri) : undefined;
    if (!document || !doc) return undefined;
    const converted = toServer(document, params);
    const position = (converted as { position?: unknown }).position;
    if (isFinitePosition(position)) Object.assign(converted, { position: clampToLine(position, doc.lines) });
    return { params: converted, document, doc };
  };

  connection.onCompletion((raw) =>
    guarded('completion', [], async () => {
      const request = open(raw);
      if (!request) return [];
      const items = computeCompletion(request.doc, request.params.position, await optionsFor(request.params.textDocument.uri));
      return toClient(request.document, adaptCompletionItems(items, profile));
    }),
  );

  connection.onHover((raw) =>
    guarded('hover', null, async () => {
      const request = open(raw);
      if (!request) return null;
      const hover = computeHover(request.doc, request.params.position, await optionsFor(request.params.textDocument.uri));
      return toClient(request.document, adaptHover(hover, profile));
    }),
  );

  /** Clients without `dataSupport` drop Diagnostic.data (where the fixes travel): find them again by code and range. */
  const withFixes = async (uri: string, diagnostics: Diagnostic[]): Promise<Diagnostic[]> => {
    if (!diagnostics.some((d) => fixesOf(d).length === 0)) return diagnostics;
    const current = (await currentDiagnostics(uri))?.items ?? [];
    return diagnostics.map((d) => (fixesOf(d).length > 0 ? d : (current.find((c) => c.code === d.code && sameRange(c.range, d.range)) ?? d)));
  };

  connection.onCodeAction((raw: CodeActionParams) =>
    guarded('code actions', [], async () => {
      const request = open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      const uri = request.params.textDocument.uri;
      const given = Array.isArray(request.params.context?.diagnostics) ? request.params.context.diagnostics.filter((d) => isFiniteRange(d?.range)) : [];
      const diagnostics = await withFixes(uri, given);
      const doc = docFor(uri);
      if (!doc) return [];
      return toClient(request.document, computeCodeActions(doc, request.params.range, diagnostics, uri));
    }),
  );

  connection.onDocumentSymbol((raw) =>
    guarded('document symbols', [], () => {
      const request = open(raw);
      if (!request) return [];
      const symbols = toClient(request.document, computeDocumentSymbols(request.doc));
      return profile.hierarchicalSymbols ? symbols : flattenSymbols(symbols, request.params.textDocument.uri);
    }),
  );

  connection.onFoldingRanges((raw) =>
    guarded('folding', [], () => {
      const request = open(raw);
      return request ? computeFoldingRanges(request.doc) : [];
    }),
  );

  connection.onDocumentFormatting((raw) =>
    guarded('formatting', [], () => {
      const request = open(raw);
      return request ? toClient(request.document, computeFormatting(request.doc)) : [];
    }),
  );

  connection.onDocumentRangeFormatting((raw) =>
    guarded('range formatting', [], () => {
      const request = open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      const { start, end } = request.params.range;
      // a range ending at column 0 of a line does not include that line
      const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
      const edits = computeFormatting(request.doc).filter((e) => e.range.start.line >= start.line && e.range.start.line <= lastLine);
      return toClient(request.document, edits);
    }),
  );

  connection.onDefinition((raw) =>
    guarded('definition', [], () => {
      const request = open(raw);
      return request ? toClient(request.document, computeDefinition(request.doc, request.params.position, request.params.textDocument.uri)) : [];
    }),
  );

  connection.languages.inlayHint.on((raw) =>
    guarded('inlay hints', [], async () => {
      const request = open(raw);
      if (!request || !isFiniteRange(request.params.range)) return [];
      return toClient(request.document, computeInlayHints(request.doc, request.params.range, await optionsFor(request.params.textDocument.uri)));
    }),
  );

  connection.onRequest(EFFECTIVE_CONFIG_REQUEST, (params: EffectiveConfigParams) =>
    guarded<EffectiveConfigResult>('effective configuration', { text: '' }, async () => {
      const uri = params?.uri;
      const doc = typeof uri === 'string' ? docFor(uri) : undefined;
      if (!doc) return { text: `; ${String(uri)} is not open in the editor.\n` };
      return computeEffectiveConfig(doc, await optionsFor(uri));
    }),
  );

  registerExtensionRequests({ connection, guarded, liveContextOf: (container) => live.forContainer(container) });
  registerLiveHandlers({
    connection,
    live,
    guarded,
    refreshAllDiagnostics,
    kindOfUri,
    dmsVersionFor: async (uri) => (uri ? (await settingsFor(uri)).dmsVersion : defaultSettings.dmsVersion),
    textOf: (uri) => documents.get(uri)?.getText(),
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
