// Owns the server sessions, the tree view, auto-refresh (only while the view is visible) and the
// `dmsFail2ban.state` context key that picks the welcome view.
import * as vscode from 'vscode';
import { createValidator, type CheckText } from '../configValidator';
import type { ConfigValidator } from '../docker/fail2banService';
import { readSettings, readValidatorSettings, type ReadSettings } from '../settings';
import { resolveServers, type ClientSettings } from '../targets';
import { ServerSession, type SessionHost } from './session';
import { BanTreeProvider } from './tree';
import { workspaceFacts } from './workspaceFacts';

const REFRESH_DEBOUNCE_MS = 500;

/** The settings in force; bad values are replaced (readSettingsWithProblems says which). */
export function readClientSettings(): ClientSettings {
  return readSettingsWithProblems().settings;
}

function readSettingsWithProblems(): ReadSettings {
  const config = vscode.workspace.getConfiguration('dmsFail2ban');
  return readSettings((key) => config.get(key));
}

let languageServerCheck: CheckText | undefined;

/** The language server runs the engine (request dmsFail2ban/checkText); extension.ts wires it at activation. */
export function checkThroughLanguageServer(check: CheckText): void {
  languageServerCheck = check;
}

/** Validates with the language settings in force now, in the language server (started on first use). */
export const configuredValidator: ConfigValidator = async (text, kind) => {
  if (!languageServerCheck) throw new Error('the Fail2Ban language server is not available');
  const config = vscode.workspace.getConfiguration('dmsFail2ban');
  const validate = createValidator(languageServerCheck, readValidatorSettings((key) => config.get(key)));
  return validate(text, kind);
};

export class BanManager implements vscode.Disposable {
  private sessionList: ServerSession[] = [];
  readonly tree: BanTreeProvider;
  readonly view: vscode.TreeView<unknown>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting: Array<() => void> = [];
  private readonly host: SessionHost;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever a server's state changes (a refresh started or finished). */
  readonly onDidChange = this.changed.event;

  constructor(memento: vscode.Memento, readonly output: vscode.OutputChannel) {
    this.host = { settings: readClientSettings, memento, output, validator: configuredValidator, workspace: workspaceFacts };
    this.tree = new BanTreeProvider(() => this.sessionList);
    this.view = vscode.window.createTreeView('dmsFail2ban.bans', { treeDataProvider: this.tree, showCollapseAll: true });
    this.rebuildSessions();
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility(() => this.scheduleAutoRefresh()),
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
    );
    this.scheduleAutoRefresh();
  }

  sessions(): ServerSession[] {
    return this.sessionList;
  }

  /** Refreshes every server (debounced); resolves when the refresh has finished. */
  refresh(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.debounce = setTimeout(() => {
        this.debounce = undefined;
        const waiting = this.waiting.splice(0);
        void Promise.all(this.sessionList.map((session) => session.refresh())).then(() => waiting.forEach((done) => done()));
      }, REFRESH_DEBOUNCE_MS);
    });
  }

  private onChange(): void {
    void vscode.commands.executeCommand('setContext', 'dmsFail2ban.state', this.tree.viewState());
    this.tree.fire();
    this.changed.fire();
  }

  private rebuildSessions(): void {
    const read = readSettingsWithProblems();
    const resolved = resolveServers(read.settings);
    const servers = resolved.servers;
    const problems = [...read.problems, ...resolved.problems];
    for (const problem of problems) this.output.appendLine(`Settings: ${problem}`);
    if (problems.length > 0) void vscode.window.showWarningMessage(`Fail2Ban: ${problems[0]}`);
    this.sessionList = servers.map((server) => new ServerSession(server, this.host, () => this.onChange()));
    this.onChange();
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    const connection = ['containerRuntime', 'container', 'dockerContext', 'dockerHost', 'servers'].some((key) =>
      event.affectsConfiguration(`dmsFail2ban.${key}`),
    );
    if (connection) {
      // A changed setting is a new explicit choice: forget containers picked earlier.
      for (const session of this.sessionList) void session.rememberContainer(undefined);
      this.rebuildSessions();
      if (this.view.visible) void this.refresh();
    }
    if (event.affectsConfiguration('dmsFail2ban.autoRefreshSeconds')) this.scheduleAutoRefresh();
  }

  private scheduleAutoRefresh(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = readClientSettings().autoRefreshSeconds;
    if (!this.view.visible || !(seconds > 0)) return;
    this.timer = setInterval(() => void this.refresh(), Math.max(5, seconds) * 1000);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }
}
