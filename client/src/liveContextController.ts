// Keeps the language server's context on the running mail server: reads the selected container's context
// (docker/liveContext.ts) once the language server runs, hands it over (dmsFail2ban/liveContext), shows which
// context is in force in the status bar, and reads again when the container restarts (StartedAt changes) or another
// container is selected. Reads are cached per container and never block the editor: the modelled release answers
// until the live context arrives.
import * as vscode from 'vscode';
import type { ContainerContext, ContextStatusResult, LiveContextParams } from '../../server/src/shared';
import type { BanManager } from './bans/manager';
import { containerStartedAt, readContainerContext } from './docker/liveContext';
import type { RuntimeTarget } from './docker/runner';
import type { LazyLanguageClient } from './languageClient';
import { t } from './l10n';

/** How often the selected container is asked whether it restarted (one `docker inspect`). */
const RESTART_CHECK_MS = 60_000;

export const LIVE_CONTEXT_SETTING = 'liveContext';
export const REFRESH_CONTEXT_COMMAND = 'dmsFail2ban.refreshContainerContext';

interface Selected {
  key: string;
  target: RuntimeTarget;
  container: string;
  timeoutMs: number;
}

export class LiveContextController implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dmsFail2ban.liveContext', vscode.StatusBarAlignment.Right, 99);
  private readonly disposables: vscode.Disposable[] = [];
  /** Contexts read, per runtime target + container. */
  private readonly cache = new Map<string, ContainerContext>();
  private current: Selected | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private readonly said = new Set<string>();
  /** The status bar text (for the extension-host tests). */
  statusText = '';

  constructor(
    private readonly manager: BanManager,
    private readonly languageClient: LazyLanguageClient,
    private readonly output: vscode.OutputChannel,
  ) {
    this.item.name = 'Fail2Ban Context';
    this.item.command = REFRESH_CONTEXT_COMMAND;
    this.disposables.push(
      this.item,
      languageClient.onDidStart(() => void this.refresh(false)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dmsFail2ban') && this.languageClient.running) void this.refresh(false);
      }),
      // a selected container shows up as a tree change: follow it (no docker call unless the name changed)
      manager.tree.onDidChangeTreeData(() => {
        if (this.languageClient.running && this.current && this.selected()?.key !== this.current.key) void this.refresh(false);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.showStatus()),
      vscode.commands.registerCommand(REFRESH_CONTEXT_COMMAND, async () => {
        await this.languageClient.start();
        await this.refresh(true);
      }),
    );
    if (languageClient.running) void this.refresh(false);
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('dmsFail2ban').get<boolean>(LIVE_CONTEXT_SETTING, true) !== false;
  }

  /** The container the first server of the Fail2Ban view talks to, without running docker when it is known. */
  private selected(): Selected | undefined {
    const session = this.manager.sessions()[0];
    if (!session) return undefined;
    const state = session.state;
    const container = session.rememberedContainer() ?? session.server.container ?? ('container' in state ? state.container : undefined);
    if (!container) return undefined;
    const probe = session.probeContext(container);
    const target = session.server.target;
    return { key: `${target.runtime}\u0000${target.context ?? ''}\u0000${target.host ?? ''}\u0000${container}`, target, container, timeoutMs: probe.timeoutMs };
  }

  /** Reads (or re-uses) the selected container's context and hands it to the language server. */
  refresh(force: boolean): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.update(force)).catch((error: unknown) => {
      this.output.appendLine(`Live context: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.running = run;
    return run;
  }

  private async update(force: boolean): Promise<void> {
    this.scheduleRestartChecks();
    if (!this.enabled()) return this.send({ context: null, reason: 'live context off (dmsFail2ban.liveContext)' });
    let selected = this.selected();
    if (!selected) {
      // nothing known yet: let the view find the container (one detection), then use it
      const session = this.manager.sessions()[0];
      const resolved = session ? await session.resolveContainer() : undefined;
      if (resolved && 'container' in resolved) selected = this.selected() ?? this.selectedFrom(resolved.container);
    }
    if (!selected) return this.send({ context: null, reason: 'no container reachable' });
    this.current = selected;
    const cached = this.cache.get(selected.key);
    if (cached && !force) {
      const startedAt = await containerStartedAt(selected.target, selected.container, { timeoutMs: selected.timeoutMs });
      if (startedAt !== undefined && startedAt === cached.startedAt) return this.send({ context: cached });
    }
    this.setText('$(sync~spin) Fail2Ban: reading the container context…');
    const read = await readContainerContext(selected.target, selected.container, { timeoutMs: selected.timeoutMs, sink: this.output });
    if (!read.ok) {
      this.cache.delete(selected.key);
      this.output.appendLine(t('Live context: {0} The modelled release is used.', read.reason));
      return this.send({ context: null, reason: `container ${selected.container} not reachable` });
    }
    for (const note of read.notes) this.output.appendLine(`Live context: ${note}`);
    this.cache.set(selected.key, read.context);
    return this.send({ context: read.context });
  }

  private selectedFrom(container: string): Selected | undefined {
    const session = this.manager.sessions()[0];
    if (!session) return undefined;
    const target = session.server.target;
    return { key: `${target.runtime}\u0000${target.context ?? ''}\u0000${target.host ?? ''}\u0000${container}`, target, container, timeoutMs: session.probeContext(container).timeoutMs };
  }

  private async send(params: LiveContextParams): Promise<void> {
    await this.languageClient.sendLiveContext(params);
    await this.showStatus();
  }

  /** Shown next to the file-kind item while a fail2ban document is active (the text is kept for the tests). */
  private setText(text: string): void {
    this.statusText = text;
    this.item.text = text;
    if (vscode.window.activeTextEditor?.document.languageId === 'fail2ban') this.item.show();
    else this.item.hide();
  }

  /** The server's words for the context in force; its notes (unmodelled versions, a differing running copy) once each. */
  private async showStatus(): Promise<void> {
    if (!this.languageClient.running) return;
    const document = vscode.window.activeTextEditor?.document;
    const uri = document?.languageId === 'fail2ban' ? document.uri.toString() : undefined;
    const status = await this.languageClient.contextStatus({ ...(uri ? { uri } : {}) });
    if (!status) return;
    this.setText(`${status.source === 'container' ? '$(server-environment)' : '$(circle-slash)'} ${status.summary}`);
    this.item.tooltip =
      status.source === 'container' ? t('Checked against the running container. Click to read it again.') : t('Checked against the modelled release. Click to read the container again.');
    this.tell(status, document?.uri);
  }

  private tell(status: ContextStatusResult, uri: vscode.Uri | undefined): void {
    for (const note of status.notes) {
      if (this.said.has(note)) continue;
      this.said.add(note);
      this.output.appendLine(`Live context: ${note}`);
      if (/runs a different/.test(note) && uri) {
        void vscode.window.showWarningMessage(`Fail2Ban: ${note}`, t('Apply Config')).then((choice) => {
          if (choice) void vscode.commands.executeCommand('dmsFail2ban.applyConfig', uri);
        });
      } else {
        void vscode.window.showInformationMessage(`Fail2Ban: ${note}`);
      }
    }
  }

  /** A restarted container may run another image or files: ask for StartedAt now and then while a server runs. */
  private scheduleRestartChecks(): void {
    if (this.timer || !this.enabled()) return;
    this.timer = setInterval(() => {
      if (this.languageClient.running && this.current) void this.refresh(false);
    }, RESTART_CHECK_MS);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
