// One mail server (daemon + container) in the Fail2Ban view: resolves the container (remembered choice,
// then setting, then detection), runs the service and keeps the last snapshot for the tree.
// No `vscode` import: the host hands in a Memento-like store and the output channel, so this state
// machine is tested in Node against the stand-in docker.
import type { OutputSink } from '../docker/runner';
import { detectDmsContainer, startContainer } from '../docker/containers';
import type { DockerFailure } from '../docker/errors';
import { simpleFailure } from '../docker/errors';
import { Fail2banService, type ConfigValidator } from '../docker/fail2banService';
import type { JailStatus } from '../docker/dmsOutput';
import type { ContainerInfo } from '../docker/containers';
import type { ClientSettings, ServerTarget } from '../targets';
import { isValidContainerName, skippedNameNote } from '../docker/names';
import type { DmsVersion } from '../../../server/src/shared';
import { grantsNetAdmin, type ComposeFacts } from '../docker/composeFacts';
import { diagnoseFail2ban, explainFailure, inspectContainer, type ContainerFacts, type ProbeContext, type UserFileErrors } from '../docker/diagnose';
import { describeEnforcement, scanEnforcement, type UnenforcedJail } from '../docker/enforcement';
import { t } from '../l10n';

export interface JailView {
  jail: string;
  ips: string[];
  currentlyBanned?: number;
  totalBanned?: number;
  /** fail2ban did not answer for this jail (its words): the list is partial. */
  unavailable?: string;
  /** Its firewall action failed: the bans are listed but not enforced. */
  unenforced?: UnenforcedJail;
}

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'loading'; container?: string }
  /** `status`: `setup fail2ban status` as read (absent on DMS without `status`), for the status report. */
  | { kind: 'ready'; container: string; jails: JailView[]; notes: string[]; updated: Date; enforcement?: string; status?: JailStatus[] }
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
  /** The workspace's side of a diagnosis: its compose file and its two DMS files checked by the engine. */
  workspace?: {
    compose(container: string): Promise<ComposeFacts | undefined>;
    userFiles(): Promise<UserFileErrors[]>;
    /** The dmsVersion setting (the release to assume when the image label says nothing). */
    dmsVersion(): DmsVersion | undefined;
  };
}

/** Failures after which fail2ban itself is examined (read-only) to say why. */
const DIAGNOSED_FAILURES = new Set(['fail2ban-not-running', 'timeout']);

/** Failures that mean the container CLI itself cannot be used (the welcome view explains them). */
export const RUNTIME_UNAVAILABLE = new Set(['runtime-not-found', 'daemon-unreachable', 'permission-denied', 'invalid-connection']);

export class ServerSession {
  state: SessionState = { kind: 'idle' };
  private inFlight: Promise<SessionState> | undefined;
  /** The running load was started in this turn: a refresh asked for now can share it. */
  private joinable = false;
  /** The load queued behind the running one for refreshes asked for after it started. */
  private followUp: Promise<SessionState> | undefined;
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
    this.note(skippedNameNote(typeof value === 'string' ? value : String(value), t('the remembered container choice')));
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
            ? t('Several docker-mailserver containers are running ({0}); select one.', resolved.candidates.map((c) => c.name).join(', '))
            : t('No running docker-mailserver container was found; select one.'),
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

  /**
   * Reloads bans (status first; `setup fail2ban` on DMS older than v13 without `status`). Calls in the turn that
   * starts a load share it; a call after that may follow a change (a ban, an unban) the running load has already
   * read past, so it gets one more load after the running one — later calls join that one.
   */
  refresh(): Promise<SessionState> {
    if (!this.inFlight) {
      this.inFlight = this.load().finally(() => (this.inFlight = undefined));
      this.joinable = true;
      void Promise.resolve().then(() => (this.joinable = false));
      return this.inFlight;
    }
    if (this.joinable) return this.inFlight;
    this.followUp ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.followUp = undefined;
        return this.refresh();
      });
    return this.followUp;
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
      const jails: JailView[] = status.value.map((jail) => ({
        jail: jail.jail,
        ips: jail.bannedIps,
        currentlyBanned: jail.currentlyBanned,
        totalBanned: jail.totalBanned,
        ...(jail.unavailable !== undefined ? { unavailable: jail.unavailable } : {}),
      }));
      return this.ready(service, jails, status.notes, status.value);
    }
    if (status.failure.kind !== 'unknown-subcommand') return this.failed(service.container, status.failure);
    const list = await service.listBans();
    if (!list.ok) return this.failed(service.container, list.failure);
    const jails: JailView[] = list.value.map((jail) => ({
      jail: jail.jail,
      ips: jail.ips,
      currentlyBanned: jail.ips.length,
      ...(jail.unavailable !== undefined ? { unavailable: jail.unavailable } : {}),
    }));
    return this.ready(service, jails, list.notes);
  }

  private async ready(service: Fail2banService, jails: JailView[], notes: string[], status?: JailStatus[]): Promise<SessionState> {
    const enforcement = await this.checkEnforcement(service, jails);
    return this.setState({
      kind: 'ready',
      container: service.container,
      jails,
      notes,
      updated: new Date(),
      ...(enforcement ? { enforcement } : {}),
      ...(status ? { status } : {}),
    });
  }

  private async failed(container: string, failure: DockerFailure): Promise<SessionState> {
    return this.setState({ kind: 'failed', container, failure: await this.explain(failure, container) });
  }

  /** The read-only probes' context for a container. */
  probeContext(container: string): ProbeContext {
    return { target: this.server.target, container, timeoutMs: this.timeoutMs(), env: this.host.env, sink: this.host.output };
  }

  /** `docker inspect` facts (release, log path, capabilities), or undefined when inspect fails. */
  async containerFacts(container: string): Promise<ContainerFacts | undefined> {
    const inspected = await inspectContainer(this.probeContext(container), this.host.workspace?.dmsVersion());
    return 'facts' in inspected ? inspected.facts : undefined;
  }

  /**
   * "Fail2ban not running" (or a hang): examines the container read-only and replaces the message with the
   * first cause found and its fix. Other failures, and probes that fail themselves, are returned unchanged.
   */
  async explain(failure: DockerFailure, container: string | undefined = this.currentContainer()): Promise<DockerFailure> {
    if (!container || !DIAGNOSED_FAILURES.has(failure.kind)) return failure;
    const workspace = this.host.workspace;
    const diagnosis = await diagnoseFail2ban(this.probeContext(container), {
      compose: await workspace?.compose(container).catch(() => undefined),
      userFiles: workspace ? () => workspace.userFiles() : undefined,
      dmsVersion: workspace?.dmsVersion(),
    });
    return 'failure' in diagnosis ? failure : explainFailure(failure, diagnosis);
  }

  /**
   * Starts (or, when paused, resumes) the container the last refresh found not running, then refreshes.
   * Callers confirm first: this is a write to the daemon.
   */
  async startContainer(signal?: AbortSignal): Promise<{ ok: true; container: string } | { ok: false; failure: DockerFailure }> {
    const state = this.state;
    const container = this.currentContainer();
    if (!container || state.kind !== 'failed') return { ok: false, failure: simpleFailure('no-container-selected', t('There is no stopped container to start; refresh the view first.'), []) };
    const paused = state.failure.kind === 'container-paused';
    const started = await startContainer(this.server.target, container, paused, { timeoutMs: this.timeoutMs(), sink: this.host.output, env: this.host.env, signal });
    if (!started.ok) return started;
    await this.refresh();
    return { ok: true, container };
  }

  private currentContainer(): string | undefined {
    const state = this.state;
    return state.kind === 'ready' || state.kind === 'failed' || state.kind === 'loading' ? state.container : undefined;
  }

  /** Bans that fail2ban lists but whose firewall action failed (its log says so); marks those jails. */
  private async checkEnforcement(service: Fail2banService, jails: JailView[]): Promise<string | undefined> {
    if (!jails.some((jail) => jail.ips.length > 0)) return undefined;
    const facts = await this.containerFacts(service.container);
    const log = await service.readLogFiles(facts?.fail2banLog);
    if (!log.ok) return undefined;
    const findings = scanEnforcement(log.value.text).filter((finding) => jails.some((jail) => jail.jail === finding.jail && jail.ips.length > 0));
    if (findings.length === 0) return undefined;
    for (const finding of findings) {
      const jail = jails.find((candidate) => candidate.jail === finding.jail);
      if (jail) jail.unenforced = finding;
    }
    const compose = await this.host.workspace?.compose(service.container).catch(() => undefined);
    const containerHasNetAdmin = facts ? grantsNetAdmin(facts.capAdd) : undefined;
    return describeEnforcement(findings, { containerHasNetAdmin, compose });
  }

  private setState(state: SessionState): SessionState {
    this.state = state;
    this.onChange();
    return state;
  }
}

/** Welcome-view states (package.json viewsWelcome `dmsFail2ban.state`), one text and first button per reason. */
export type ViewState = 'loading' | 'ready' | 'noContainer' | 'stopped' | 'paused' | 'daemonDown' | 'dockerUnavailable';

/** With a single server, an unusable CLI or a missing container is explained by a welcome view. */
export function viewState(sessions: readonly ServerSession[]): ViewState {
  if (sessions.length !== 1) return 'ready';
  const state = sessions[0].state;
  if (state.kind === 'idle' || (state.kind === 'loading' && !state.container)) return 'loading';
  if (state.kind === 'no-container') return 'noContainer';
  if (state.kind !== 'failed') return 'ready';
  if (state.failure.kind === 'container-not-running') return 'stopped';
  if (state.failure.kind === 'container-paused') return 'paused';
  if (state.failure.kind === 'daemon-unreachable') return 'daemonDown';
  if (RUNTIME_UNAVAILABLE.has(state.failure.kind)) return 'dockerUnavailable';
  return 'ready';
}
