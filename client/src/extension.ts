// Extension entry point: wiring only. Activation comes from a fail2ban document (implicit onLanguage),
// the Fail2Ban view or a command; nothing runs a container command until the view, a command or (with
// dmsFail2ban.liveContext) an open fail2ban document asks.
import * as vscode from 'vscode';
import { detectFileKind } from '../../server/src/shared';
import { DEFAULT_DMS_VERSION, type DmsVersion } from '../../server/src/shared';
import { registerBanCommands } from './bans/commands';
import { ReadOnlyDocuments } from './bans/documents';
import { registerBannedNowLens } from './bans/jailLens';
import { registerCheckTask } from './checkTask';
import { BanManager, checkThroughLanguageServer } from './bans/manager';
import type { SessionState } from './bans/session';
import { LazyLanguageClient } from './languageClient';
import { LiveContextController } from './liveContextController';
import { labTestHooks, registerJailLab } from './lab/jailLab';
import { lastReportRendered } from './lab/reportPanel';
import { statusText, statusTooltip } from './statusText';
import { effectiveFail2banVersion, isExplicitlySet } from './versionSetting';

/** Returned from activate() for the extension-host tests. */
export interface ExtensionApi {
  serverStates(): Array<{ label: string; state: SessionState }>;
  refresh(): Promise<void>;
  startLanguageClient(): Promise<unknown>;
  /** The status bar text of the context in force (modelled or the live container). */
  contextStatusText(): string;
  /** The latest jail test report and what its webview rendered. */
  lastJailReport: typeof lastReportRendered;
  /** The jail lab's other views (why banned, ban activity, log document), for the tests. */
  lab: ReturnType<typeof labTestHooks>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const output = vscode.window.createOutputChannel('Fail2Ban');
  const documents = new ReadOnlyDocuments();
  const languageClient = new LazyLanguageClient(context);
  checkThroughLanguageServer((params) => languageClient.checkText(params));
  const manager = new BanManager(context.globalState, output);
  const statusItem = createStatusItem();
  const liveContext = new LiveContextController(manager, languageClient, output);

  context.subscriptions.push(
    output,
    documents,
    languageClient,
    manager,
    statusItem,
    liveContext,
    ...registerBanCommands({
      manager,
      documents,
      effectiveConfig: (uri) => languageClient.effectiveConfig(uri),
      addToIgnoreIp: (params) => languageClient.addToIgnoreIp(params),
    }),
    ...registerJailLab(manager),
    registerBannedNowLens(manager),
    registerCheckTask((params) => languageClient.checkText(params)),
  );

  return {
    serverStates: () => manager.sessions().map((session) => ({ label: session.server.label, state: session.state })),
    refresh: () => manager.refresh(),
    startLanguageClient: () => languageClient.start(),
    contextStatusText: () => liveContext.statusText,
    lastJailReport: lastReportRendered,
    lab: labTestHooks(manager),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function createStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('dmsFail2ban.fileKind', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Fail2Ban File Kind';
  item.command = 'dmsFail2ban.showEffectiveConfig';
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'fail2ban' || document.uri.scheme === 'dms-fail2ban') {
      item.hide();
      return;
    }
    const config = vscode.workspace.getConfiguration('dmsFail2ban', document.uri);
    const kind = detectFileKind(document.uri.path) ?? 'jail';
    const dmsVersion = config.get<DmsVersion>('dmsVersion', DEFAULT_DMS_VERSION);
    const explicit = isExplicitlySet(config.inspect<string>('fail2banVersion')) ? config.get<string>('fail2banVersion') : undefined;
    const fail2banVersion = effectiveFail2banVersion(kind, explicit, dmsVersion);
    item.text = `$(shield) ${statusText(kind, fail2banVersion)}`;
    item.tooltip = statusTooltip(kind, fail2banVersion, dmsVersion);
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('dmsFail2ban')) update();
    }),
  );
}
