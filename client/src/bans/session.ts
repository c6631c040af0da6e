// One mail server (daemon + container) in the Fail2Ban view: resolves the container (remembered choice,
// then setting, then detection), runs the service and keeps the last snapshot for the tree.
// No `vscode` import: the host hands in a Memento-like store and the output channel, so this state
// machine is tested in Node against the stand-in docker.
import type { OutputSink } from '../docker/runner';
import { detectDmsContainer } from '../docker/containers';
import type { DockerFailure } from '../docker/errors';
import { simpleFailure } from '../docker/errors';
import { Fail2banService, type ConfigValidator } from '../docker/fail2banService';
import type { ContainerInfo } from '../docker/containers';
import type { ClientSettings, ServerTarget } from '../targets';
import { isValidContainerName, skippedNameNote } from '../docker/names';

export interface JailView {
  jail: string;
  ips: string[];
  currentlyBanned?: number;
  totalBanned?: number;
}

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'loading'; container?: string }
  | { kind: 'ready'; container: string; jails: JailView[]; notes: string[]; updated: Date }
  | { kind: 'no-container'; candidates: ContainerInfo[] }
  | { kind: 'failed'; container?: string; failure: DockerFailure };

/** The part of vscode.Memento sessions use (globalState: choices are per machine). */
export interface ChoiceStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What sessions need from the extension: settings, remembered choices, the output channel. */
export interface SessionHost {
  settings(): ClientSettings;
  memento: ChoiceStore;
  output: OutputSink;
  /** Extra environment for the container CLI (tests: the stand-in's PATH). */
  env?: Record<string, string | undefined>;
  /** Validates with the current language settings; loads the engine on first use. */
  validator: ConfigValidator;
}

/** Failures that mean the container CLI itself cannot be used (the welcome view explains them). */
export const RUNTIME_UNAVAILABLE = new Set(['runtime-not-found', 'daemon-unreachable', 'permission-denied', 'invalid-connection']);

export class ServerSession {
  state: SessionState = { kind: 'idle' };
  private inFlight: Promise<SessionState> | undefined;
  /** True while a refresh looks for the container again (so a stopped one is not reused). */
  private detecting = false;
  private readonly noted = new Set<string>();

  constructor(
    readonly server: ServerTarget,
    private readonly host: SessionHost,
    private readonly onChange: () => void,
  ) {}

  private get memoKey(): string {
    return `dmsFail2ban.selectedContainer:${this.server.id}`;
  }

  rememberedContainer(): string | undefined {
    const value: unknown = this.host.memento.get(this.memoKey);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' && isValidContainerName(value)) return value;
    this.note(skippedNameNote(typeof value === 'string' ? value : String(value), 'the remembered container choice'));
    return undefined;
  }

  /** A note in the output channel, once per text for this session. */
  private note(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.host.output.appendLine(`Note: ${text}`);
  }

  async rememberContainer(name: string | undefined): Promise<void> {
    await this.host.memento.update(this.memoKey, name);
  }

  private timeoutMs(): number {
    return Math.max(1, this.host.settings().commandTimeoutSeconds) * 1000;
  }

  /** The container to talk to, or why there is none. */
  async resolveContainer(): Promise<{ container: string } | { failure: DockerFailure } | { candidates: ContainerInfo[] }> {
    // A container found by an earlier detection is reused until the next refresh re-detects.
    const detected = this.state.kind === 'ready' && !this.detecting ? this.state.container : undefined;
    const chosen = this.rememberedContainer() ?? this.server.container ?? detected;
    if (chosen) return { container: chosen };
    const detection = await detectDmsContainer(this.server.target, { timeoutMs: this.timeoutMs(), sink: this.host.output, env: this.host.env });
    for (const skipped of detection.skipped ?? []) this.note(skipped);
    switch (detection.kind) {
      case 'found':
        return { container: detection.container.name };
      case 'several':
        return { candidates: detection.containers };
      case 'none':
        return { candidates: [] };
      default:
        return { failure: detection.failure };
    }
  }

  /** A service for the resolved container, or a failure that says why there is none. */
  async service(): Promise<{ service: Fail2banService } | { failure: DockerFailure }> {
    const resolved = await this.resolveContainer();
    if ('failure' in resolved) return resolved;
    if ('candidates' in resolved) {
      const several = resolved.candidates.length > 1;
      return {
        failure: simpleFailure(
          'no-container-selected',
          several
            ? `Several docker-mailserver containers are running (${resolved.candidates.map((c) => c.name).join(', ')}); select one.`
            : 'No running docker-mailserver container was found; select one.',
          ['select-container'],
        ),
      };
    }
    return { service: this.createService(resolved.container) };
  }

  private createService(container: string): Fail2banService {
    return new Fail2banService({
      target: this.server.target,
      container,
      timeoutMs: this.timeoutMs(),
      sink: this.host.output,
      env: this.host.env,
      validate: this.host.validator,
    });
  }

  /** Reloads bans (status first; `setup fail2ban` on DMS older than v13 without `status`). */
  refresh(): Promise<SessionState> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<SessionState> {
    this.detecting = true;
    const resolved = await this.resolveContainer().finally(() => (this.detecting = false));
    this.setState({ kind: 'loading', container: 'container' in resolved ? resolved.container : undefined });
    if ('failure' in resolved) return this.setState({ kind: 'failed', failure: resolved.failure });
    if ('candidates' in resolved) return this.setState({ kind: 'no-container', candidates: resolved.candidates });
    const service = this.createService(resolved.container);
    const status = await service.status();
    if (status.ok) {
      const jails = status.value.map((jail) => ({
        jail: jail.jail,
        ips: jail.bannedIps,
        currentlyBanned: jail.currentlyBanned,
        totalBanned: jail.totalBanned,
      }));
      return this.setState({ kind: 'ready', container: service.container, jails, notes: status.notes, updated: new Date() });
    }
    if (status.failure.kind !== 'unknown-subcommand') return this.setState({ kind: 'failed', container: service.container, failure: status.failure });
    const list = await service.listBans();
    if (!list.ok) return this.setState({ kind: 'failed', container: service.container, failure: list.failure });
    const jails = list.value.map((jail) => ({ jail: jail.jail, ips: jail.ips, currentlyBanned: jail.ips.length }));
    return this.setState({ kind: 'ready', container: service.container, jails, notes: list.notes, updated: new Date() });
  }

  private setState(state: SessionState): SessionState {
    this.state = state;
    this.onChange();
    return state;
  }
}

/** Welcome-view states (package.json viewsWelcome `dmsFail2ban.state`). */
export type ViewState = 'loading' | 'ready' | 'noContainer' | 'dockerUnavailable';

/** With a single server, an unusable CLI or a missing container is explained by a welcome view. */
export function viewState(sessions: readonly ServerSession[]): ViewState {
  if (sessions.length !== 1) return 'ready';
  const state = sessions[0].state;
  if (state.kind === 'idle' || (state.kind === 'loading' && !state.container)) return 'loading';
  if (state.kind === 'no-container') return 'noContainer';
  if (state.kind === 'failed' && RUNTIME_UNAVAILABLE.has(state.failure.kind)) return 'dockerUnavailable';
  return 'ready';
}
