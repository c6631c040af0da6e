// Starts the Fail2Ban language server (dist/server.js over node IPC) the first time a fail2ban
// document is open, so opening the Fail2Ban view alone does not start a server process.
import * as vscode from 'vscode';
import type * as LanguageClientModule from 'vscode-languageclient/lib/node/main';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/lib/node/main';
import type { ConfigurationParams, ConfigurationRequest } from 'vscode-languageserver-protocol/lib/common/api';
import {
  ADD_TO_IGNORE_IP_REQUEST,
  CHECK_TEXT_REQUEST,
  CONTEXT_STATUS_REQUEST,
  EFFECTIVE_CONFIG_REQUEST,
  LANGUAGE_SERVER_NODE_FLAGS,
  LIVE_CONTEXT_NOTIFICATION,
  type AddToIgnoreIpParams,
  type AddToIgnoreIpResult,
  type CheckTextParams,
  type CheckTextResult,
  type ContextStatusParams,
  type ContextStatusResult,
  type EffectiveConfigParams,
  type EffectiveConfigResult,
  type LiveContextParams,
} from '../../server/src/shared';
import { t } from './l10n';
import { isExplicitlySet, withoutDefaultedVersion } from './versionSetting';

// Types come from the deep path (tsconfig's node10 resolution ignores the package's "exports" map);
// the value comes from the exported 'vscode-languageclient/node', which esbuild resolves and bundles. It is
// evaluated when the server starts, not when the extension activates (the library and the protocol are the
// largest part of the extension's code, and activation blocks the extension host).
let languageClientModule: typeof LanguageClientModule | undefined;
function languageClientLibrary(): typeof LanguageClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (languageClientModule ??= require('vscode-languageclient/node') as typeof LanguageClientModule);
}

export class LazyLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly watch: vscode.Disposable;
  private readonly output = vscode.window.createOutputChannel('Fail2Ban Language Server', { log: true });
  /** The live context last handed over: sent again to a server that starts (or restarts) later. */
  private liveContext: LiveContextParams | undefined;
  private readonly started = new vscode.EventEmitter<void>();
  /** Fires once the server runs (a fail2ban document was opened, or a request needed it). */
  readonly onDidStart = this.started.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.watch = vscode.workspace.onDidOpenTextDocument((document) => {
      if (document.languageId === 'fail2ban') this.startInBackground();
    });
    if (vscode.workspace.textDocuments.some((document) => document.languageId === 'fail2ban')) this.startInBackground();
  }

  private startInBackground(): void {
    this.start().catch((error) => this.output.error(t('The Fail2Ban language server did not start: {0}', error instanceof Error ? error.message : String(error))));
  }

  /** The running client (started on demand). */
  start(): Promise<LanguageClient> {
    this.starting ??= this.create().catch((error) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async create(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const languageClient = languageClientLibrary();
    const serverOptions: ServerOptions = {
      run: { module, transport: languageClient.TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS] } },
      debug: {
        module,
        transport: languageClient.TransportKind.ipc,
        options: { execArgv: [...LANGUAGE_SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: 'fail2ban', scheme: 'file' },
        { language: 'fail2ban', scheme: 'untitled' },
      ],
      synchronize: {
        configurationSection: 'dmsFail2ban',
        // compose files say which filter.d/action.d files the user mounts into the container
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{compose,docker-compose}.{yaml,yml}'),
      },
      outputChannel: this.output,
      middleware: {
        workspace: {
          // A fail2banVersion left at its default is not sent, so the server follows the DMS release.
          configuration: async (params: ConfigurationParams, token: vscode.CancellationToken, next: ConfigurationRequest.HandlerSignature) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            return result.map((value: unknown, index) => {
              const item = params.items[index];
              if (item?.section !== 'dmsFail2ban') return value;
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const inspection = vscode.workspace.getConfiguration('dmsFail2ban', scope).inspect<string>('fail2banVersion');
              return withoutDefaultedVersion(value, isExplicitlySet(inspection));
            });
          },
        },
      },
    };
    // The id 'dmsFail2ban' makes the `dmsFail2ban.trace.server` setting apply.
    const client = new languageClient.LanguageClient('dmsFail2ban', 'Fail2Ban Language Server', serverOptions, clientOptions);
    await client.start();
    this.client = client;
    if (this.liveContext) await client.sendNotification(LIVE_CONTEXT_NOTIFICATION, this.liveContext);
    this.started.fire();
    return client;
  }

  async effectiveConfig(uri: vscode.Uri): Promise<string> {
    const client = await this.start();
    const params: EffectiveConfigParams = { uri: uri.toString() };
    const result = await client.sendRequest<EffectiveConfigResult>(EFFECTIVE_CONFIG_REQUEST, params);
    return result.text;
  }

  async checkText(params: CheckTextParams): Promise<CheckTextResult> {
    const client = await this.start();
    return client.sendRequest<CheckTextResult>(CHECK_TEXT_REQUEST, params);
  }

  async addToIgnoreIp(params: AddToIgnoreIpParams): Promise<AddToIgnoreIpResult> {
    const client = await this.start();
    return client.sendRequest<AddToIgnoreIpResult>(ADD_TO_IGNORE_IP_REQUEST, params);
  }

  /** Hands the live container context to a running server (none running: nothing to tell; it asks when it starts). */
  async sendLiveContext(params: LiveContextParams): Promise<void> {
    this.liveContext = params;
    const client = this.client ?? (this.starting ? await this.starting.catch(() => undefined) : undefined);
    await client?.sendNotification(LIVE_CONTEXT_NOTIFICATION, params);
  }

  /** True once the server runs (nothing is read from a container before a fail2ban document needs it). */
  get running(): boolean {
    return this.client !== undefined;
  }

  /** Which context the server checks against (undefined while no server runs). */
  async contextStatus(params: ContextStatusParams): Promise<ContextStatusResult | undefined> {
    const client = this.client ?? (this.starting ? await this.starting.catch(() => undefined) : undefined);
    return client?.sendRequest<ContextStatusResult>(CONTEXT_STATUS_REQUEST, params);
  }

  async dispose(): Promise<void> {
    this.watch.dispose();
    this.started.dispose();
    await this.client?.stop();
    this.output.dispose();
  }
}
