// initialize / initialized: read the client's capabilities into the session and declare the server's.
import { COMPLETION_TRIGGER_CHARACTERS } from '../features/completion';
import type * as LanguageServerModule from 'vscode-languageserver/lib/node/main';
import type * as ProtocolModule from 'vscode-languageserver-protocol/lib/common/api';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver-protocol/lib/common/api';
import { clientProfile } from '../features/clientCompat';
import { FIX_ALL_KIND } from '../features/fixAll';
import { negotiatePositionEncoding } from '../features/positionEncoding';
import { filePathOfUri, type Session } from './session';
import { pushedSettings, SETTINGS_SECTION } from './settings';
import { setServerLocale } from '../l10n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DidChangeConfigurationNotification, TextDocumentSyncKind } = require('vscode-languageserver/node') as typeof LanguageServerModule & typeof ProtocolModule;

/** The completion item properties the client can have filled in later by completionItem/resolve. */
function resolvableProperties(capabilities: InitializeParams['capabilities']): unknown[] {
  const properties = capabilities?.textDocument?.completion?.completionItem?.resolveSupport?.properties;
  return Array.isArray(properties) ? properties : [];
}

/** The CompletionList.itemDefaults properties the client applies to items that leave them out (LSP 3.17). */
function listDefaults(capabilities: InitializeParams['capabilities']): unknown[] {
  const properties = capabilities?.textDocument?.completion?.completionList?.itemDefaults;
  return Array.isArray(properties) ? properties : [];
}

export function registerInitializeHandlers(session: Session): void {
  const { connection } = session;
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params?.capabilities ?? {};
    // VS Code sends its display language: messages follow it where l10n/ has a bundle (else English)
    setServerLocale(params?.locale);
    const pullDiagnostics = typeof capabilities.textDocument?.diagnostic === 'object' && capabilities.textDocument.diagnostic !== null;
    session.client = {
      canPullConfiguration: capabilities.workspace?.configuration === true,
      canWatchConfiguration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      canRefreshDiagnostics: capabilities.workspace?.diagnostics?.refreshSupport === true,
      pullDiagnostics,
      resolvesCompletionDocumentation: resolvableProperties(capabilities).includes('documentation'),
      completionEditRangeDefault: listDefaults(capabilities).includes('editRange'),
      completionDataDefault: listDefaults(capabilities).includes('data'),
      profile: clientProfile(capabilities, params?.clientInfo?.name),
    };
    session.encoding = negotiatePositionEncoding(capabilities.general?.positionEncodings);
    session.defaultSettings = pushedSettings(params?.initializationOptions);
    const folderUris = params?.workspaceFolders?.map((folder) => folder.uri) ?? (params?.rootUri ? [params.rootUri] : []);
    session.workspaceRoots = folderUris.map(filePathOfUri).filter((path): path is string => path !== undefined);
    return {
      capabilities: {
        positionEncoding: session.encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [...COMPLETION_TRIGGER_CHARACTERS], resolveProvider: session.client.resolvesCompletionDocumentation },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
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
    if (session.client.canWatchConfiguration) {
      session.quietly('client/registerCapability', connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }));
    }
  });
}
