// The ban-management commands. Thin glue: every decision about output, addresses and edits lives in
// the pure modules (docker/*, format.ts) and the language server (ignoreip edits); this file asks, runs, reports and refreshes.
import * as vscode from 'vscode';
import { t } from '../l10n';
import { basename, dirname } from 'node:path';
import { detectFileKind } from '../../../server/src/shared';
import { validateAddress, wideNetworkConfirmation, type AddToIgnoreIpParams, type AddToIgnoreIpResult } from '../../../server/src/shared';
import { listDmsContainers, type ContainerInfo } from '../docker/containers';
import type { DockerFailure, FailureKind, SuggestedAction } from '../docker/errors';
import { CONFIG_TARGETS, DIRECT_LOG_FILES, type ConfigKind, type Fail2banService } from '../docker/fail2banService';
import { restartFail2ban } from '../docker/diagnose';
import { confirmBanIsSafe } from '../lab/lockoutGuard';
import { preflightRefusal } from '../docker/applyChecks';
import { isValidContainerName } from '../targets';
import type { ReadOnlyDocuments } from './documents';
import { describeBan, describeUnban, describeValidation, formatStatusReport, type ValidatedFile } from './format';
import { configuredValidator, readClientSettings, type BanManager } from './manager';
import type { ServerSession } from './session';
import { configVolumeVerdict } from './workspaceFacts';
import { FOLLOW_MAX_LINES, LogFollower } from './logFollow';
import type { BanNode } from './tree';

/** `setup fail2ban log` failures after which the log files are read directly (see showLog). */
const DIRECT_LOG_REASONS: ReadonlySet<FailureKind> = new Set(['fail2ban-not-running', 'unknown-subcommand']);

/** DMS's compose.yaml mounts this folder as /tmp/docker-mailserver/ (the config volume). */
const DMS_CONFIG_FOLDER = 'docker-data/dms/config';

export interface CommandDeps {
  manager: BanManager;
  documents: ReadOnlyDocuments;
  /** Sends `dmsFail2ban/effectiveConfig` to the language server (starting it if needed). */
  effectiveConfig(uri: vscode.Uri): Promise<string>;
  /** Sends `dmsFail2ban/addToIgnoreIp` to the language server: the edit that adds an address to ignoreip. */
  addToIgnoreIp(params: AddToIgnoreIpParams): Promise<AddToIgnoreIpResult>;
}

export function registerBanCommands(deps: CommandDeps): vscode.Disposable[] {
  const commands = new BanCommands(deps);
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'dmsFail2ban.listBanned': (node) => commands.listBanned(asNode(node)),
    'dmsFail2ban.unban': (node) => commands.unban(asNode(node)),
    'dmsFail2ban.ban': (node) => commands.ban(asNode(node)),
    'dmsFail2ban.showLog': (node) => commands.showLog(asNode(node)),
    'dmsFail2ban.showStatus': (node) => commands.showStatus(asNode(node)),
    'dmsFail2ban.selectContainer': (node) => commands.selectContainer(asNode(node)),
    'dmsFail2ban.refresh': () => deps.manager.refresh(),
    'dmsFail2ban.addToIgnoreIp': (node) => commands.addToIgnoreIp(asNode(node)),
    'dmsFail2ban.applyConfig': (arg) => commands.applyConfig(arg),
    'dmsFail2ban.showEffectiveConfig': (arg) => commands.showEffectiveConfig(arg instanceof vscode.Uri ? arg : undefined),
    'dmsFail2ban.copyAddress': (node) => commands.copyAddress(asNode(node)),
    'dmsFail2ban.showOutput': () => deps.manager.output.show(true),
    'dmsFail2ban.startContainer': (node) => commands.startContainer(asNode(node)),
    'dmsFail2ban.followLog': (arg) => commands.followLog(arg),
  };
  return [...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler)), commands];
}

function asNode(value: unknown): BanNode | undefined {
  return typeof value === 'object' && value !== null && 'kind' in value && 'session' in value ? (value as BanNode) : undefined;
}

class BanCommands implements vscode.Disposable {
  /** Open log tabs (by document name) with their server, for Follow from the editor title. */
  private readonly logSessions = new Map<string, ServerSession>();
  private readonly followers = new Map<string, LogFollower>();
  /** Open status reports: re-rendered whenever the view refreshes that server. */
  private readonly statusReports = new Map<string, ServerSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: CommandDeps) {
    this.subscriptions = [
      deps.manager.onDidChange(() => this.refreshStatusReports()),
      vscode.workspace.onDidCloseTextDocument((document) => this.stopFollowing(document.uri.path.slice(1))),
      vscode.workspace.onDidChangeTextDocument((event) => this.revealFollowedEnd(event.document)),
    ];
  }

  dispose(): void {
    for (const follower of this.followers.values()) follower.stop();
    this.followers.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private get manager(): BanManager {
    return this.deps.manager;
  }

  // ---------------------------------------------------------------- helpers

  private async pickSession(node?: BanNode): Promise<ServerSession | undefined> {
    if (node) return node.session;
    const sessions = this.manager.sessions();
    if (sessions.length <= 1) {
      if (sessions.length === 0) void vscode.window.showErrorMessage(t('Fail2Ban: no usable server in the settings; see the Fail2Ban output.'));
      return sessions[0];
    }
    const picked = await vscode.window.showQuickPick(
      sessions.map((session) => ({ label: session.server.label, description: session.server.target.context ?? session.server.target.host, session })),
      { placeHolder: t('Which mail server?') },
    );
    return picked?.session;
  }

  private async serviceFor(session: ServerSession): Promise<Fail2banService | undefined> {
    const got = await session.service();
    if ('failure' in got) {
      await this.showFailure(got.failure, session);
      return undefined;
    }
    return got.service;
  }

  private async showFailure(failure: DockerFailure, session?: ServerSession): Promise<void> {
    const labels: Record<SuggestedAction, string> = {
      'configure-runtime': t('Configure Runtime'),
      'configure-connection': t('Connection Settings'),
      'select-container': t('Select Container'),
      'validate-config': t('Validate Config Files'),
      'show-log': t('Show Log'),
      'show-output': t('Show Output'),
      'increase-timeout': t('Timeout Setting'),
      'edit-jail-file': t('Open fail2ban-jail.cf'),
      'restart-fail2ban': t('Restart fail2ban…'),
      'start-container': t('Start Container…'),
    };
    if (failure.kind === 'cancelled') {
      // the user pressed Cancel: nothing to explain
      void vscode.window.setStatusBarMessage(t('Fail2Ban: cancelled'), 5000);
      return;
    }
    // "Fail2ban not running" / a hang: say why (read-only checks in the container) before showing it
    if (session) failure = await session.explain(failure);
    const choice = await vscode.window.showErrorMessage(t('Fail2Ban: {0}', failure.message), ...failure.actions.map((action) => labels[action]));
    const action = failure.actions.find((candidate) => labels[candidate] === choice);
    switch (action) {
      case 'configure-runtime':
        return void vscode.commands.executeCommand('workbench.action.openSettings', 'dmsFail2ban.containerRuntime');
      case 'configure-connection':
        return void vscode.commands.executeCommand('workbench.action.openSettings', 'dmsFail2ban.docker');
      case 'increase-timeout':
        return void vscode.commands.executeCommand('workbench.action.openSettings', 'dmsFail2ban.commandTimeoutSeconds');
      case 'select-container':
        return this.selectContainer(session ? { kind: 'server', session } : undefined);
      case 'validate-config':
        return this.validateWorkspaceFiles(session);
      case 'edit-jail-file':
        return this.openConfigFiles(['fail2ban-jail.cf'], false);
      case 'show-log':
        return this.showLog(session ? { kind: 'server', session } : undefined);
      case 'show-output':
        return this.manager.output.show(true);
      case 'restart-fail2ban':
        return session ? this.restartFail2ban(session) : undefined;
      case 'start-container':
        return this.startContainer(session ? { kind: 'server', session } : undefined);
    }
  }

  /** `supervisorctl restart fail2ban` — a write, so always confirmed (even with confirmActions off). */
  private async restartFail2ban(session: ServerSession): Promise<void> {
    const service = await this.serviceFor(session);
    if (!service) return;
    const question = t('Restart fail2ban in {0} with `supervisorctl restart fail2ban`? Its bans are kept in its database and restored when it starts.', service.container);
    const restart = t('Restart');
    if ((await vscode.window.showWarningMessage(question, { modal: true }, restart)) !== restart) return;
    // not cancellable: killing the CLI would not stop the restart inside the container
    const result = await this.steadyProgress(t('restarting fail2ban in {0}…', service.container), () => restartFail2ban(session.probeContext(service.container)));
    void this.manager.refresh();
    if (!result.ok) return this.showFailure(result.failure);
    void vscode.window.showInformationMessage(t('Fail2Ban: fail2ban was restarted in {0} and answers again.', service.container));
  }

  /**
   * "Fail2ban not running": checks the workspace's two DMS files with the engine and says whether they
   * explain it; the files are opened (the language server then lists every problem in Problems).
   */
  private async validateWorkspaceFiles(session?: ServerSession): Promise<void> {
    const names = ['fail2ban-jail.cf', 'fail2ban-fail2ban.cf'];
    const files = (await Promise.all(names.map((name) => vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 10)))).flat();
    if (files.length === 0) {
      void vscode.window.showInformationMessage(t('Fail2Ban: no {0} in this workspace to validate.', names.join(t(' or '))));
      return;
    }
    const validated: ValidatedFile[] = [];
    for (const uri of files) {
      const kind = detectFileKind(uri.path);
      if (kind !== 'dms-jail' && kind !== 'dms-server') continue;
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const diagnostics = await configuredValidator(document.getText(), kind);
      validated.push({
        name: vscode.workspace.asRelativePath(uri),
        errors: diagnostics
          .filter((diagnostic) => diagnostic.severity === 'error')
          .map((diagnostic) => ({ line: diagnostic.range.start.line + 1, code: diagnostic.code, message: diagnostic.message })),
      });
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const summary = describeValidation(validated);
    if (summary.ok) {
      if (await vscode.window.showInformationMessage(t('Fail2Ban: {0}', summary.message), t('Show Log'))) {
        await this.showLog(session ? { kind: 'server', session } : undefined);
      }
    } else {
      void vscode.window.showErrorMessage(t('Fail2Ban: {0}', summary.message));
    }
  }

  /** Opening the workspace's DMS files makes the language server validate them; the Problems panel lists the result. */
  private async openConfigFiles(names: string[], showProblems: boolean): Promise<void> {
    const files = (await Promise.all(names.map((name) => vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 10)))).flat();
    if (files.length === 0) {
      void vscode.window.showInformationMessage(t('Fail2Ban: no {0} in this workspace.', names.join(t(' or '))));
      return;
    }
    for (const file of files) await vscode.window.showTextDocument(file, { preview: false });
    if (showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  /**
   * A network that covers everything (or nearly) is confirmed explicitly, whatever dmsFail2ban.confirmActions
   * says: a modal that says what it does, with a button of its own. 'ordinary' when there is nothing to confirm.
   */
  private async confirmWideNetwork(address: string, action: 'ban' | 'ignore'): Promise<'ordinary' | 'confirmed' | 'declined'> {
    const wide = wideNetworkConfirmation(address, action);
    if (!wide) return 'ordinary';
    const choice = await vscode.window.showWarningMessage(t('Fail2Ban: {0}', wide.message), { modal: true }, wide.button);
    return choice === wide.button ? 'confirmed' : 'declined';
  }

  private async confirm(question: string, action: string): Promise<boolean> {
    if (!readClientSettings().confirmActions) return true;
    return (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action;
  }

  /** A notification with Cancel: aborting the signal kills the running docker command (its outcome: 'cancelled'). */
  private progress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Fail2Ban: {0}', title), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        return task(controller.signal).finally(() => subscription.dispose());
      },
    );
  }

  /** For the writes a kill cannot undo halfway (Apply Config's copy/reload/rollback, restarts): no Cancel button. */
  private steadyProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Fail2Ban: {0}', title) }, task);
  }

  private notes(notes: string[]): void {
    for (const note of notes) this.manager.output.appendLine(t('Note: {0}', note));
  }

  // ---------------------------------------------------------------- commands

  async listBanned(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    const service = session && (await this.serviceFor(session));
    if (!session || !service) return;
    const result = await this.progress(t('listing bans in {0}…', service.container), (signal) => service.withSignal(signal).listBans());
    if (!result.ok) return this.showFailure(result.failure, session);
    this.notes(result.notes);
    const partial = result.notes.find((note) => note.startsWith('Partial list'));
    if (partial) void vscode.window.showWarningMessage(t('Fail2Ban: {0}', partial));
    if (result.value.length === 0) {
      void vscode.window.showInformationMessage(t('Fail2Ban: no IPs are banned in {0}.', service.container));
      return;
    }
    type Item = vscode.QuickPickItem & { address?: string; jail?: string };
    const items: Item[] = result.value.flatMap((jail) => [
      { label: `${jail.jail} (${jail.ips.length})`, kind: vscode.QuickPickItemKind.Separator },
      ...jail.ips.map((address) => ({ label: address, description: jail.jail, address, jail: jail.jail })),
    ]);
    const picked = await vscode.window.showQuickPick(items, { placeHolder: t('Banned in {0} — pick an address', service.container), matchOnDescription: true });
    if (!picked?.address) return;
    const ipNode: BanNode = { kind: 'ip', session, jail: picked.jail ?? '', address: picked.address };
    const [unban, copy, ignore] = [t('Unban'), t('Copy Address'), t('Never Ban This Address (add to ignoreip)')];
    const action = await vscode.window.showQuickPick([unban, copy, ignore], { placeHolder: picked.address });
    if (action === unban) await this.unban(ipNode);
    else if (action === copy) await this.copyAddress(ipNode);
    else if (action) await this.addToIgnoreIp(ipNode);
  }

  private async askAddress(session: ServerSession, prompt: string): Promise<string | undefined> {
    const banned = session.state.kind === 'ready' ? session.state.jails.flatMap((jail) => jail.ips.map((ip) => ({ ip, jail: jail.jail }))) : [];
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem>();
    quickPick.placeholder = prompt;
    const known = banned.map(({ ip, jail }) => ({ label: ip, description: jail }));
    quickPick.items = known;
    quickPick.onDidChangeValue((value) => {
      const check = validateAddress(value);
      const typed = check.ok && !known.some((item) => item.label === check.address) ? [{ label: check.address, description: t('typed') }] : [];
      quickPick.items = [...typed, ...known];
      quickPick.title = value.trim() !== '' && !check.ok ? check.reason : undefined;
    });
    return new Promise((resolve) => {
      quickPick.onDidAccept(() => {
        const value = quickPick.selectedItems[0]?.label ?? quickPick.value;
        const check = validateAddress(value);
        if (!check.ok) {
          quickPick.title = check.reason;
          return;
        }
        resolve(check.address);
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        resolve(undefined);
        quickPick.dispose();
      });
      quickPick.show();
    });
  }

  async unban(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    if (!session) return;
    const address = node?.kind === 'ip' ? node.address : await this.askAddress(session, t('IP address or CIDR network to unban'));
    if (!address) return;
    const service = await this.serviceFor(session);
    if (!service) return;
    if (!(await this.confirm(t('Unban {0} from every jail in {1}?', address, service.container), t('Unban')))) return;
    const result = await this.progress(t('unbanning {0}…', address), (signal) => service.withSignal(signal).unban(address));
    void this.manager.refresh();
    if (!result.ok) return this.showFailure(result.failure, session);
    this.notes(result.notes);
    const message = t('Fail2Ban: {0}', describeUnban(result.value));
    const cover = result.value.stillBlockedBy[0];
    if (cover) {
      // DMS printed 0 (or the own entry) but a banned network still drops the address: offer that network
      const unbanNetwork = t('Unban {0}', cover.network);
      if ((await vscode.window.showWarningMessage(message, unbanNetwork)) === unbanNetwork) {
        await this.unban({ kind: 'ip', session, jail: cover.jail, address: cover.network });
      }
      return;
    }
    const choice = result.value.wasBanned
      ? await vscode.window.showInformationMessage(message, t('Never Ban This Address'))
      : await vscode.window.showWarningMessage(message);
    if (choice) await this.addToIgnoreIp({ kind: 'ip', session, jail: '', address });
  }

  async ban(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    if (!session) return;
    const input = await vscode.window.showInputBox({
      prompt: t('IP address or CIDR network to ban (DMS bans by hand in its custom jail, 180 days by default)'),
      placeHolder: t('192.0.2.7, 2001:db8::1 or 198.51.100.0/24'),
      validateInput: (value) => (value.trim() === '' ? undefined : validateAddress(value).ok ? undefined : (validateAddress(value) as { reason: string }).reason),
    });
    if (!input) return;
    const check = validateAddress(input);
    if (!check.ok) return void vscode.window.showErrorMessage(t('Fail2Ban: {0}', check.reason));
    const service = await this.serviceFor(session);
    if (!service) return;
    if (!(await confirmBanIsSafe(session, service.container, check.address))) return;
    const wide = await this.confirmWideNetwork(check.address, 'ban');
    if (wide === 'declined') return;
    if (wide === 'ordinary' && !(await this.confirm(t('Ban {0} in {1}?', check.address, service.container), t('Ban')))) return;
    const result = await this.progress(t('banning {0}…', check.address), (signal) => service.withSignal(signal).ban(check.address));
    void this.manager.refresh();
    if (!result.ok) return this.showFailure(result.failure, session);
    this.notes(result.notes);
    const message = t('Fail2Ban: {0}', describeBan(result.value));
    if (result.value.status === 'already-banned') void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }

  async showLog(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    const service = session && (await this.serviceFor(session));
    if (!session || !service) return;
    const viaSetup = await this.progress(t('reading the log of {0}…', service.container), (signal) => service.withSignal(signal).log());
    // `setup fail2ban log` refuses while fail2ban is down — exactly when the log explains why — and
    // DMS v12.0 has no `log`: then the files are read directly.
    const direct = !viaSetup.ok && DIRECT_LOG_REASONS.has(viaSetup.failure.kind);
    // the fail2ban log's path depends on the release (v12.0.0: /var/log/fail2ban.log; server/src/knowledge/dms.ts)
    const logPath = direct ? ((await session.containerFacts(service.container))?.fail2banLog ?? DIRECT_LOG_FILES[1]) : DIRECT_LOG_FILES[1];
    const result = direct ? await this.progress(t('reading the log files of {0}…', service.container), (signal) => service.withSignal(signal).readLogFiles(logPath)) : viaSetup;
    if (!result.ok) return this.showFailure(result.failure, session);
    this.notes(result.notes);
    const text = result.value.missingFile
      ? `${t('(the container has no {0} yet)', direct ? `${DIRECT_LOG_FILES[0]} ${t('or')} ${logPath}` : DIRECT_LOG_FILES[1])}\n`
      : result.value.text;
    if (direct && !viaSetup.ok) this.manager.output.appendLine(t('Log read directly: {0}', viaSetup.failure.message));
    const name = `${service.container}/fail2ban.log`;
    this.logSessions.set(name, session);
    await this.deps.documents.show(name, text, { languageId: 'log', scrollToEnd: true });
  }

  /**
   * Follow (toggle): the log tab is re-read every few seconds (`tail -n`, at most FOLLOW_MAX_LINES lines) until it
   * is closed or Follow is pressed again. From the view it opens the log first; from the log tab's title it follows it.
   */
  async followLog(arg: unknown): Promise<void> {
    const fromTab = arg instanceof vscode.Uri ? this.logSessions.get(arg.path.slice(1)) : undefined;
    const session = fromTab ?? (await this.pickSession(asNode(arg)));
    const service = session && (await this.serviceFor(session));
    if (!session || !service) return;
    const name = `${service.container}/fail2ban.log`;
    if (this.stopFollowing(name)) {
      void vscode.window.setStatusBarMessage(t('Fail2Ban: stopped following the log of {0}', service.container), 5000);
      return;
    }
    const logPath = (await session.containerFacts(service.container))?.fail2banLog ?? DIRECT_LOG_FILES[1];
    const follower = new LogFollower(service, logPath, {
      text: (text) => this.deps.documents.update(name, text),
      failed: (failure) => {
        this.followers.delete(name);
        void this.showFailure(failure, session);
      },
    });
    const first = await this.progress(t('reading the log of {0}…', service.container), (signal) =>
      service.withSignal(signal).readLogFiles(logPath, { lines: FOLLOW_MAX_LINES, onlyFail2banLog: true }),
    );
    if (!first.ok) return this.showFailure(first.failure, session);
    this.logSessions.set(name, session);
    await this.deps.documents.show(name, first.value.text, { languageId: 'log', scrollToEnd: true });
    this.followers.set(name, follower);
    follower.start();
    void vscode.window.setStatusBarMessage(t('Fail2Ban: following the log of {0} (last {1} lines); close the tab or press Follow again to stop', service.container, FOLLOW_MAX_LINES), 8000);
  }

  /** Stops following `name`; true when it was followed. */
  private stopFollowing(name: string): boolean {
    const follower = this.followers.get(name);
    if (!follower) return false;
    follower.stop();
    this.followers.delete(name);
    return true;
  }

  /** A followed log scrolls to its newest line in every editor that shows it. */
  private revealFollowedEnd(document: vscode.TextDocument): void {
    if (!this.followers.has(document.uri.path.slice(1))) return;
    const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === document) editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
    }
  }

  /** Open status reports follow the view: re-rendered from the refresh's own `setup fail2ban status`. */
  private refreshStatusReports(): void {
    for (const [name, session] of this.statusReports) {
      if (!this.deps.documents.isOpen(name)) {
        this.statusReports.delete(name);
        continue;
      }
      const state = session.state;
      if (state.kind === 'ready' && state.status && name === `${state.container}/status.txt`) {
        this.deps.documents.update(name, formatStatusReport(state.container, state.status, state.updated));
      }
    }
  }

  async showStatus(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    const service = session && (await this.serviceFor(session));
    if (!session || !service) return;
    const result = await this.progress(t('reading jail status in {0}…', service.container), (signal) => service.withSignal(signal).status());
    if (!result.ok) return this.showFailure(result.failure, session);
    this.notes(result.notes);
    const name = `${service.container}/status.txt`;
    this.statusReports.set(name, session);
    await this.deps.documents.show(name, formatStatusReport(service.container, result.value, new Date()));
  }

  async selectContainer(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    if (!session) return;
    const settings = readClientSettings();
    const listed = await this.progress(t('looking for docker-mailserver containers…'), (signal) =>
      listDmsContainers(session.server.target, { timeoutMs: settings.commandTimeoutSeconds * 1000, sink: this.manager.output, signal }),
    );
    if (!listed.ok) return this.showFailure(listed.failure, session);
    this.notes(listed.skipped);
    type Item = vscode.QuickPickItem & { container?: ContainerInfo; action?: 'type' | 'detect' };
    const current = session.rememberedContainer();
    const items: Item[] = [
      ...listed.containers.map((container) => ({
        label: container.name,
        description: container.image,
        detail: `${container.status}${container.name === current ? ` · ${t('selected')}` : ''}`,
        container,
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(edit) ${t('Enter a container name…')}`, action: 'type' as const },
      { label: `$(search) ${t('Detect automatically')}`, description: t('forget the remembered choice'), action: 'detect' as const },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      placeHolder: listed.containers.length > 0 ? t('Running docker-mailserver containers') : t('No running container has the docker-mailserver label'),
    });
    if (!picked) return;
    let name: string | undefined = picked.container?.name;
    if (picked.action === 'type') {
      name = await vscode.window.showInputBox({
        prompt: t('Name of the docker-mailserver container'),
        value: current ?? session.server.container ?? 'mailserver',
        validateInput: (value) => (isValidContainerName(value.trim()) ? undefined : t('Letters, digits, _ . - only, starting with a letter or digit.')),
      });
      if (!name) return;
      name = name.trim();
    }
    await session.rememberContainer(picked.action === 'detect' ? undefined : name);
    await this.manager.refresh();
  }

  /** `docker start` (or `unpause`) the container the view found stopped: always confirmed, it is a write to the daemon. */
  async startContainer(node?: BanNode): Promise<void> {
    const session = await this.pickSession(node);
    if (!session) return;
    const state = session.state;
    const stopped = state.kind === 'failed' && (state.failure.kind === 'container-not-running' || state.failure.kind === 'container-paused') ? state : undefined;
    if (!stopped?.container) {
      void vscode.window.showInformationMessage(t('Fail2Ban: no stopped mail server container to start; refresh the view first.'));
      return;
    }
    const container = stopped.container;
    const runtime = session.server.target.runtime;
    const paused = stopped.failure.kind === 'container-paused';
    const question = paused
      ? t('Resume the paused container {0} (`{1} unpause {0}`)? Mail delivery and fail2ban continue where they stopped.', container, runtime)
      : t('Start the container {0} (`{1} start {0}`)? DMS starts all its services, fail2ban included, with the files in its config volume.', container, runtime);
    const button = paused ? t('Resume') : t('Start');
    if ((await vscode.window.showWarningMessage(question, { modal: true }, button)) !== button) return;
    const started = await this.progress(paused ? t('resuming {0}…', container) : t('starting {0}…', container), (signal) => session.startContainer(signal));
    if (!started.ok) return this.showFailure(started.failure, session);
    void this.manager.refresh();
    void vscode.window.setStatusBarMessage(paused ? t('Fail2Ban: {0} resumed', container) : t('Fail2Ban: {0} started', container), 5000);
  }

  /** Opens the document and the Problems panel (the language server lists its problems there). */
  private async showProblemsOf(document: vscode.TextDocument): Promise<void> {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  async copyAddress(node?: BanNode): Promise<void> {
    if (node?.kind !== 'ip') return;
    await vscode.env.clipboard.writeText(node.address);
    void vscode.window.setStatusBarMessage(t('Copied {0}', node.address), 3000);
  }

  /** Finds (or offers to create) the workspace's fail2ban-jail.cf. */
  private async findJailFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && basename(active.path) === 'fail2ban-jail.cf') return active;
    const found = await vscode.workspace.findFiles('**/fail2ban-jail.cf', '**/node_modules/**', 20);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      const picked = await vscode.window.showQuickPick(
        found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
        { placeHolder: t('Which fail2ban-jail.cf?') },
      );
      return picked?.uri;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showErrorMessage(t('Fail2Ban: open the folder that holds your DMS config (with fail2ban-jail.cf) first.'));
      return undefined;
    }
    const dmsFolder = vscode.Uri.joinPath(folder.uri, DMS_CONFIG_FOLDER);
    const hasDmsFolder = await vscode.workspace.fs.stat(dmsFolder).then(
      () => true,
      () => false,
    );
    const target = vscode.Uri.joinPath(hasDmsFolder ? dmsFolder : folder.uri, 'fail2ban-jail.cf');
    const create = await vscode.window.showInformationMessage(
      t('Fail2Ban: this workspace has no fail2ban-jail.cf. Create {0}? (It must be in the DMS config volume, /tmp/docker-mailserver/ in the container.)', vscode.workspace.asRelativePath(target)),
      t('Create'),
    );
    return create ? target : undefined;
  }

  async addToIgnoreIp(node?: BanNode): Promise<void> {
    const address =
      node?.kind === 'ip'
        ? node.address
        : await vscode.window.showInputBox({
            prompt: t('IP address or CIDR network that fail2ban must never ban (added to ignoreip in [DEFAULT])'),
            validateInput: (value) => (value.trim() === '' || validateAddress(value).ok ? undefined : (validateAddress(value) as { reason: string }).reason),
          });
    if (!address) return;
    if ((await this.confirmWideNetwork(address, 'ignore')) === 'declined') return;
    const uri = await this.findJailFile();
    if (!uri) return;
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    const text = exists ? (await vscode.workspace.openTextDocument(uri)).getText() : '';
    const result = await this.deps.addToIgnoreIp({ text, address, kind: 'dms-jail' });
    if (result.status === 'invalid-address') return void vscode.window.showErrorMessage(t('Fail2Ban: {0}', result.message));
    if (result.status === 'already-present') return void vscode.window.showInformationMessage(t('Fail2Ban: {0}', result.message));
    const edit = new vscode.WorkspaceEdit();
    if (!exists) edit.createFile(uri, { ignoreIfExists: true });
    for (const change of result.edits) {
      const range = new vscode.Range(change.range.start.line, change.range.start.character, change.range.end.line, change.range.end.character);
      edit.replace(uri, range, change.newText);
    }
    if (!(await vscode.workspace.applyEdit(edit))) return void vscode.window.showErrorMessage(t('Fail2Ban: the edit could not be applied.'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    this.notes(result.notes);
    const notes = result.notes.length > 0 ? ` ${result.notes.join(' ')}` : '';
    const saveAndApply = t('Save and Apply');
    const choice = await vscode.window.showInformationMessage(
      t('Fail2Ban: {0}{1} DMS reads the file at start-up; apply it to the running container now?', result.message, notes),
      saveAndApply,
      t('Save'),
    );
    if (!choice) return;
    await document.save();
    if (choice === saveAndApply) await this.applyConfig(node?.kind === 'ip' ? node : uri);
  }

  /** Resolves which DMS file to apply: a Uri argument, the active editor, or a workspace file. */
  private async configDocument(arg: unknown): Promise<{ document: vscode.TextDocument; kind: ConfigKind } | undefined> {
    let uri = arg instanceof vscode.Uri ? arg : undefined;
    const isDmsFile = (candidate: vscode.Uri | undefined) => {
      const kind = candidate ? detectFileKind(candidate.path) : undefined;
      return kind === 'dms-jail' || kind === 'dms-server';
    };
    if (!uri && isDmsFile(vscode.window.activeTextEditor?.document.uri)) uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      const found = [
        ...(await vscode.workspace.findFiles('**/fail2ban-jail.cf', '**/node_modules/**', 10)),
        ...(await vscode.workspace.findFiles('**/fail2ban-fail2ban.cf', '**/node_modules/**', 10)),
      ];
      if (found.length === 0) {
        void vscode.window.showErrorMessage(t('Fail2Ban: no fail2ban-jail.cf or fail2ban-fail2ban.cf in this workspace.'));
        return undefined;
      }
      const picked =
        found.length === 1
          ? { uri: found[0] }
          : await vscode.window.showQuickPick(
              found.map((candidate) => ({ label: vscode.workspace.asRelativePath(candidate), uri: candidate })),
              { placeHolder: t('Which file should the running container use?') },
            );
      uri = picked?.uri;
    }
    if (!uri) return undefined;
    const kind = detectFileKind(uri.path);
    if (kind !== 'dms-jail' && kind !== 'dms-server') {
      void vscode.window.showErrorMessage(t('Fail2Ban: only fail2ban-jail.cf and fail2ban-fail2ban.cf can be applied (not {0}).', basename(uri.path)));
      return undefined;
    }
    return { document: await vscode.workspace.openTextDocument(uri), kind };
  }

  async applyConfig(arg: unknown): Promise<void> {
    const node = asNode(arg);
    const target = await this.configDocument(node ? undefined : arg);
    if (!target) return;
    // validated before anything is asked: a file fail2ban would refuse is never offered for applying
    const refusal = preflightRefusal(vscode.workspace.asRelativePath(target.document.uri), await configuredValidator(target.document.getText(), target.kind));
    if (refusal) {
      if (await vscode.window.showErrorMessage(t('Fail2Ban: {0}', refusal), t('Show Problems'))) await this.showProblemsOf(target.document);
      return;
    }
    const session = await this.pickSession(node);
    const service = session && (await this.serviceFor(session));
    if (!session || !service) return;
    const { containerPath, volumeFile } = CONFIG_TARGETS[target.kind];
    const unsaved = target.document.isDirty ? t(' (including unsaved changes)') : '';
    if (!(await this.confirm(t('Copy {0}{1} to {2} in {3} and reload fail2ban? The previous file is backed up and restored if fail2ban rejects the new one.', volumeFile, unsaved, containerPath, service.container), t('Apply')))) {
      return;
    }
    // not cancellable: a kill between copy, reload and rollback could leave a half-applied file behind
    const report = await this.steadyProgress(t('applying {0} to {1}…', volumeFile, service.container), () => service.applyConfig(target.kind, target.document.getText()));
    void this.manager.refresh();
    for (const step of 'steps' in report ? report.steps : []) this.manager.output.appendLine(t('apply: {0}', step));
    switch (report.status) {
      case 'applied': {
        // compose.yaml says whether the file is the one DMS copies at start-up; without one, the generic reminder
        const verdict = await configVolumeVerdict(service.container, target.document.uri).catch(() => undefined);
        const message = verdict ? `${report.summary} ${verdict.message}` : report.message;
        if (verdict && !verdict.inVolume) void vscode.window.showWarningMessage(t('Fail2Ban: {0}', message));
        else void vscode.window.showInformationMessage(t('Fail2Ban: {0}', message));
        return;
      }
      case 'refused': {
        const choice = await vscode.window.showErrorMessage(t('Fail2Ban: {0}', report.message), t('Show Problems'));
        if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
      }
      case 'failed':
        // The report's message also says whether anything had to be put back.
        return this.showFailure({ ...report.failure, message: report.message }, session);
      default: {
        if (report.reloadOutput) this.manager.output.appendLine(report.reloadOutput);
        const show = report.status === 'rolled-back' || report.status === 'timed-out' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
        if (await show(t('Fail2Ban: {0}', report.message), t('Show Output'))) this.manager.output.show(true);
      }
    }
  }

  async showEffectiveConfig(uri?: vscode.Uri): Promise<void> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'fail2ban') {
      void vscode.window.showErrorMessage(t('Fail2Ban: open a fail2ban file (fail2ban-jail.cf, fail2ban-fail2ban.cf, jail.local…) first.'));
      return;
    }
    try {
      const text = await this.deps.effectiveConfig(document.uri);
      const name = basename(document.uri.path);
      await this.deps.documents.show(`${basename(dirname(document.uri.path)) || 'workspace'}/effective ${name}`, text, { languageId: 'fail2ban' });
    } catch (error) {
      void vscode.window.showErrorMessage(t('Fail2Ban: the language server could not compute the effective configuration: {0}', error instanceof Error ? error.message : String(error)));
    }
  }
}
