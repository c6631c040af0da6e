// LSP wiring only: documents, settings, and routing each request to a pure feature function.
// Settings are fetched per document (workspace/configuration with the document's URI) and never shared
// across documents; every handler answers with an empty result instead of failing.
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import type { Connection } from 'vscode-languageserver/lib/node/main';
import type * as ProtocolModule from 'vscode-languageserver-protocol/lib/common/api';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver-protocol/lib/common/api';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { userFilePath } from './context';
import { computeCodeActions } from './features/codeActions';
import { computeCompletion } from './features/completion';
import { computeDefinition } from './features/definition';
import { computeDiagnostics } from './features/diagnostics';
import { computeEffectiveConfig, EFFECTIVE_CONFIG_REQUEST, type EffectiveConfigParams, type EffectiveConfigResult } from './features/effectiveConfig';
import { computeFoldingRanges } from './features/folding';
import { computeFormatting } from './features/formatting';
import { computeHover } from './features/hover';
import { computeInlayHints } from './features/inlayHints';
import type { FeatureOptions } from './features/shared';
import { computeDocumentSymbols } from './features/symbols';
import { detectFileKind } from './fileKind';
import type { ConfigDocument } from './parser/model';
import { parseDocument } from './parser/parse';
import { FAIL2BAN_VERSIONS, type DmsVersion, type Fail2banVersion, type FileKind, type SeveritySetting } from './types';

// Types come from the deep path (tsconfig's node10 resolution ignores the package's "exports" map);
// the value comes from the exported 'vscode-languageserver/node', which esbuild resolves and bundles.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lsp = require('vscode-languageserver/node') as typeof LanguageServerModule & typeof ProtocolModule;
const { createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = lsp;

const SETTINGS_SECTION = 'dmsFail2ban';
const DMS_VERSIONS: readonly DmsVersion[] = ['v15.1.0', 'edge', 'v15.0', 'v14', 'v13', 'v12.0'];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ServerSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules: Record<string, SeveritySetting>;
}

/** Keeps only values the engine understands (settings come from the user and may be anything). */
export function normalizeSettings(raw: unknown): ServerSettings {
  const value = (raw ?? {}) as Record<string, unknown>;
  const rules: Record<string, SeveritySetting> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [code, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (SEVERITY_SETTINGS.includes(severity as SeveritySetting)) rules[code] = severity as SeveritySetting;
    }
  }
  return {
    fail2banVersion: FAIL2BAN_VERSIONS.includes(value.fail2banVersion as Fail2banVersion) ? (value.fail2banVersion as Fail2banVersion) : undefined,
    dmsVersion: DMS_VERSIONS.includes(value.dmsVersion as DmsVersion) ? (value.dmsVersion as DmsVersion) : undefined,
    rules,
  };
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

export function startServer(existing?: Connection): Connection {
  const connection = existing ?? createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const settingsByUri = new Map<string, Promise<ServerSettings>>();
  const parsed = new Map<string, { version: number; doc: ConfigDocument }>();
  let canPullConfiguration = false;
  let canWatchConfiguration = false;
  let pullDiagnostics = false;

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!canPullConfiguration) return Promise.resolve(normalizeSettings({}));
    const cached = settingsByUri.get(uri);
    if (cached) return cached;
    const settings: Promise<ServerSettings> = connection.workspace
      .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
      .then(normalizeSettings, () => normalizeSettings({}));
    settingsByUri.set(uri, settings);
    return settings;
  };

  const optionsFor = async (uri: string): Promise<FeatureOptions> => {
    const settings = await settingsFor(uri);
    return { kind: kindOfUri(uri), fail2banVersion: settings.fail2banVersion, dmsVersion: settings.dmsVersion, rules: settings.rules };
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

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  const guarded = async <T>(what: string, fallback: T, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };

  const diagnosticsFor = async (uri: string) => {
    const doc = docFor(uri);
    return doc ? computeDiagnostics(doc, await optionsFor(uri)) : [];
  };

  const pushDiagnostics = async (uri: string): Promise<void> => {
    const items = await guarded('diagnostics', [], () => diagnosticsFor(uri));
    const document = documents.get(uri);
    if (document) await connection.sendDiagnostics({ uri, version: document.version, diagnostics: items });
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    canPullConfiguration = capabilities.workspace?.configuration === true;
    canWatchConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['[', '=', '(', '/', ',', ' '], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        definitionProvider: true,
        inlayHintProvider: true,
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'dms-fail2ban', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'dms-fail2ban' },
    };
  });

  connection.onInitialized(() => {
    if (canWatchConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  });

  connection.onDidChangeConfiguration(() => {
    settingsByUri.clear();
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) void pushDiagnostics(document.uri);
  });

  documents.onDidChangeContent((event: { document: TextDocument }) => {
    if (!pullDiagnostics) void pushDiagnostics(event.document.uri);
  });

  documents.onDidClose((event: { document: TextDocument }) => {
    const uri = event.document.uri;
    settingsByUri.delete(uri);
    parsed.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) =>
    guarded('diagnostics', { kind: 'full' as const, items: [] }, async () => ({ kind: 'full' as const, items: await diagnosticsFor(params.textDocument.uri) })),
  );

  connection.onCompletion((params) =>
    guarded('completion', [], async () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeCompletion(doc, params.position, await optionsFor(params.textDocument.uri)) : [];
    }),
  );

  connection.onHover((params) =>
    guarded('hover', null, async () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeHover(doc, params.position, await optionsFor(params.textDocument.uri)) : null;
    }),
  );

  connection.onCodeAction((params) =>
    guarded('code actions', [], () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeCodeActions(doc, params.range, params.context.diagnostics, params.textDocument.uri) : [];
    }),
  );

  connection.onDocumentSymbol((params) =>
    guarded('document symbols', [], () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeDocumentSymbols(doc) : [];
    }),
  );

  connection.onFoldingRanges((params) =>
    guarded('folding', [], () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeFoldingRanges(doc) : [];
    }),
  );

  connection.onDocumentFormatting((params) =>
    guarded('formatting', [], () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeFormatting(doc) : [];
    }),
  );

  connection.onDefinition((params) =>
    guarded('definition', [], () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeDefinition(doc, params.position, params.textDocument.uri) : [];
    }),
  );

  connection.languages.inlayHint.on((params) =>
    guarded('inlay hints', [], async () => {
      const doc = docFor(params.textDocument.uri);
      return doc ? computeInlayHints(doc, params.range, await optionsFor(params.textDocument.uri)) : [];
    }),
  );

  connection.onRequest(EFFECTIVE_CONFIG_REQUEST, (params: EffectiveConfigParams) =>
    guarded<EffectiveConfigResult>('effective configuration', { text: '' }, async () => {
      const doc = docFor(params.uri);
      if (!doc) return { text: `; ${params.uri} is not open in the editor.\n` };
      return computeEffectiveConfig(doc, await optionsFor(params.uri));
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
