// High-level ban management for one docker-mailserver container: list, ban, unban, log, status and
// "apply config" (validate, back up, copy, `fail2ban-client reload`, restore on failure).
// Every method resolves to an Outcome and never throws; no `vscode` import (unit-testable in Node).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineDiagnostic } from '../../../server/src/shared';
import { validateAddress } from '../../../server/src/shared';
import { coveringBans, type CoveringBan } from './cidrCover';
import {
  parseBanList,
  parseBanResult,
  parseLogResult,
  parseStatus,
  parseUnbanResult,
  type JailBans,
  type JailStatus,
  type JailUnban,
  type LogResult,
  withFailedJails,
} from './dmsOutput';
import { classifyRun, simpleFailure, unexpectedOutput, type DockerFailure, type FailureKind } from './errors';
import { t } from '../l10n';
import { isValidContainerName, skippedNameNote } from './names';
import { runInContainer, runRuntime, runSetupFail2ban, type OutputSink, type RunResult, type RuntimeTarget } from './runner';

export type Outcome<T> = { ok: true; value: T; notes: string[] } | { ok: false; failure: DockerFailure };

/** The two DMS user files and where DMS copies them at start-up (DMS target/scripts/startup/setup.d/security/misc.sh). */
export type ConfigKind = 'dms-jail' | 'dms-server';
export const CONFIG_TARGETS: Record<ConfigKind, { containerPath: string; volumeFile: string }> = {
  'dms-jail': { containerPath: '/etc/fail2ban/jail.d/user-jail.local', volumeFile: 'fail2ban-jail.cf' },
  'dms-server': { containerPath: '/etc/fail2ban/fail2ban.local', volumeFile: 'fail2ban-fail2ban.cf' },
};
/** The newest previous file after a successful apply (each run first backs up under its own unique name). */
const BACKUP_SUFFIX = '.dms-fail2ban.bak';
/** Applies in progress per runtime/connection/container: a second one waits for the first. */
const APPLY_QUEUES = new Map<string, Promise<void>>();
/** Failures after which the command certainly did not run in the container. */
const NEVER_RAN: ReadonlySet<FailureKind> = new Set([
  'runtime-not-found', 'daemon-unreachable', 'invalid-connection', 'permission-denied', 'no-such-container',
  'container-not-running', 'container-paused', 'not-dms-container', 'invalid-container-name',
]);

/**
 * Read directly when `setup fail2ban log` cannot help (it refuses while fail2ban is down, and DMS v12.0 has
 * no `log`): supervisord's capture of fail2ban-server's own output, where start-up configuration errors
 * land, then fail2ban's log (DMS target/supervisor/conf.d/dms-services.conf, target/bin/fail2ban).
 */
export const DIRECT_LOG_FILES = ['/var/log/supervisor/fail2ban.log', '/var/log/mail/fail2ban.log'] as const;
const DIRECT_LOG_LINES = 2000;
/** GNU tail's message for a file that is not there; tail still prints the other files and exits 1. */
const TAIL_MISSING_FILE = /^tail: cannot open '([^']+)' for reading: No such file or directory$/;

/** Validates a file before it is applied; the default wiring uses the project's engine (`checkDocument`). */
/** `container`: the one the file is for (checked against its live context when the language server holds it). */
export type ConfigValidator = (text: string, kind: ConfigKind, container?: string) => EngineDiagnostic[] | Promise<EngineDiagnostic[]>;

export interface Fail2banServiceOptions {
  target: RuntimeTarget;
  container: string;
  timeoutMs: number;
  /** Extra environment for the CLI (tests point PATH at a stand-in docker). */
  env?: Record<string, string | undefined>;
  sink?: OutputSink;
  validate?: ConfigValidator;
  /** Aborting it kills the running docker command (the user pressed Cancel); the outcome is 'cancelled'. */
  signal?: AbortSignal;
}

export interface BanReport {
  address: string;
  status: 'banned' | 'already-banned';
  /** Newly banned entries as DMS counts them. */
  count: number;
}

export interface UnbanReport {
  address: string;
  /** Every jail DMS reported, with the number of entries removed there. */
  jails: JailUnban[];
  total: number;
  /** false when the address was banned nowhere (every count 0). */
  wasBanned: boolean;
  /** Banned networks that still block the address (fail2ban removes only the exact entry). */
  stillBlockedBy: CoveringBan[];
}

export type ApplyReport =
  | { status: 'refused'; message: string; diagnostics: EngineDiagnostic[] }
  /** `summary`: the message without the generic reminder (the caller may know from compose.yaml where the file lives). */
  | { status: 'applied'; message: string; summary: string; steps: string[]; reloadOutput: string }
  | { status: 'rolled-back'; message: string; steps: string[]; reloadOutput: string }
  /** Restoring the previous state failed, or the restored file did not reload: fail2ban may be broken. */
  | { status: 'rollback-failed'; message: string; steps: string[]; reloadOutput: string; restored: boolean }
  /** The reload did not answer in time; it may still complete in the container. `restored`: the file was put back. */
  | { status: 'timed-out'; message: string; steps: string[]; reloadOutput: string; restored: boolean }
  /** Not applied; the message says whether anything had to be (and was) put back. */
  | { status: 'failed'; message: string; steps: string[]; failure: DockerFailure };

export function persistenceReminder(kind: ConfigKind): string {
  const file = CONFIG_TARGETS[kind].volumeFile;
  return (
    t('Only the running container has it: DMS copies {0} from the config volume (/tmp/docker-mailserver/) at start-up, so keep that file up to date, or the change is lost when the container is recreated.', file)
  );
}

export class Fail2banService {
  constructor(private readonly options: Fail2banServiceOptions) {}

  /** The same service whose docker commands stop when `signal` aborts (a cancellable progress notification). */
  withSignal(signal: AbortSignal): Fail2banService {
    return new Fail2banService({ ...this.options, signal });
  }

  get container(): string {
    return this.options.container;
  }

  /** `setup fail2ban`: banned IPs per jail (jails without bans are omitted by DMS). */
  async listBans(): Promise<Outcome<JailBans[]>> {
    const run = await this.setup([]);
    const failure = this.classify(run, '');
    if (failure) return { ok: false, failure };
    const parsed = parseBanList(run.stdout, run.stderr);
    if (parsed.jails.length === 0 && parsed.unrecognised.length > 0 && parsed.failedJails.length === 0) return this.unexpected(run);
    const listed = withFailedJails(parsed.jails, parsed.failedJails, (jail, reason) => ({ jail, ips: [], unavailable: reason }));
    return { ok: true, value: listed.jails, notes: [...unrecognisedNotes(parsed.unrecognised), ...listed.notes] };
  }

  /** `setup fail2ban ban <IP>` (always the `custom` jail). "Already banned" is a result, not a failure. */
  async ban(input: string): Promise<Outcome<BanReport>> {
    const address = validateAddress(input);
    if (!address.ok) return { ok: false, failure: simpleFailure('invalid-address', address.reason) };
    const run = await this.setup(['ban', address.address]);
    const failure = this.classify(run, 'ban');
    if (failure) return { ok: false, failure };
    const parsed = parseBanResult(run.stdout, run.stderr);
    const notes = unrecognisedNotes(parsed.unrecognised);
    switch (parsed.outcome.kind) {
      case 'banned':
        return { ok: true, value: { address: address.address, status: 'banned', count: parsed.outcome.count }, notes };
      case 'already-banned':
        return { ok: true, value: { address: address.address, status: 'already-banned', count: 0 }, notes };
      case 'custom-jail-missing':
        return {
          ok: false,
          failure: simpleFailure(
            'custom-jail-missing',
            t('The manual-ban jail [custom] does not exist in the container (is it disabled in fail2ban-jail.cf?). Enable it to ban by hand.'),
            ['edit-jail-file', 'show-output'],
            rawOutput(run),
          ),
        };
      default:
        return this.unexpected(run);
    }
  }

  /** `setup fail2ban unban <IP>`: one count per jail; all zero means it was not banned. */
  async unban(input: string): Promise<Outcome<UnbanReport>> {
    const address = validateAddress(input);
    if (!address.ok) return { ok: false, failure: simpleFailure('invalid-address', address.reason) };
    const run = await this.setup(['unban', address.address]);
    const failure = this.classify(run, 'unban');
    if (failure) return { ok: false, failure };
    const parsed = parseUnbanResult(run.stdout, run.stderr);
    if (parsed.jails.length === 0 && parsed.unrecognised.length > 0) return this.unexpected(run);
    // DMS prints the same counts whether or not a banned network still covers the address: look at the list.
    const remaining = await this.listBans();
    const stillBlockedBy = remaining.ok ? coveringBans(address.address, remaining.value) : [];
    return {
      ok: true,
      value: { address: address.address, jails: parsed.jails, total: parsed.total, wasBanned: parsed.total > 0, stillBlockedBy },
      notes: unrecognisedNotes(parsed.unrecognised),
    };
  }

  /** `setup fail2ban log`: the whole fail2ban log (DMS v12.1.0 and later). */
  async log(): Promise<Outcome<LogResult>> {
    const run = await this.setup(['log'], 4);
    const failure = this.classify(run, 'log');
    if (failure) return { ok: false, failure };
    const parsed = parseLogResult(run.stdout, run.stderr);
    return { ok: true, value: parsed, notes: parsed.missingFile ? [t('The container has no fail2ban log file yet.')] : [] };
  }

  /**
   * The end of the log files, read with `tail` instead of `setup fail2ban log`: works while fail2ban is not
   * running (exactly when its log says why) and on DMS releases without `log`.
   */
  async readLogFiles(fail2banLog: string = DIRECT_LOG_FILES[1], options: { lines?: number; onlyFail2banLog?: boolean } = {}): Promise<Outcome<LogResult>> {
    // the fail2ban log moved in DMS v12.1.0 (the caller passes the release's path, server/src/knowledge/dms.ts)
    const files = options.onlyFail2banLog ? [fail2banLog] : [DIRECT_LOG_FILES[0], fail2banLog];
    const lines = Math.max(1, Math.floor(options.lines ?? DIRECT_LOG_LINES));
    const run = await this.exec(['tail', '-n', String(lines), ...files], 4);
    const stderrLines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    const missing = stderrLines.map((line) => TAIL_MISSING_FILE.exec(line)?.[1]).filter((file): file is string => file !== undefined);
    const onlyMissingFiles = run.exitCode === 1 && !run.timedOut && missing.length > 0 && missing.length === stderrLines.length;
    if (!onlyMissingFiles) {
      const failure = this.classify(run, undefined);
      if (failure) return { ok: false, failure };
    }
    const notes = missing.map((file) => t('The container has no {0}.', file));
    return { ok: true, value: { text: run.stdout, missingFile: missing.length === files.length }, notes };
  }

  /** `setup fail2ban status`: per-jail counters, watched files and banned IPs (DMS v13.0.0 and later). */
  async status(): Promise<Outcome<JailStatus[]>> {
    const run = await this.setup(['status']);
    const failure = this.classify(run, 'status');
    if (failure) return { ok: false, failure };
    const parsed = parseStatus(run.stdout, run.stderr);
    if (parsed.jails.length === 0 && parsed.unrecognised.length > 0 && parsed.failedJails.length === 0) return this.unexpected(run);
    const listed = withFailedJails(parsed.jails, parsed.failedJails, (jail, reason) => ({ jail, fileList: [], bannedIps: [], unavailable: reason }));
    return { ok: true, value: listed.jails, notes: [...unrecognisedNotes(parsed.unrecognised), ...listed.notes] };
  }

  /**
   * Validates `text`, backs up the container's copy under a name unique to this run, copies the new file next to
   * the target and renames it into place (so a copy that fails half-way never becomes the target), reloads
   * fail2ban, and restores the backup when anything fails after that (then reloads again when fail2ban rejected
   * the new file). Runs for the same container are serialised.
   */
  applyConfig(kind: ConfigKind, text: string): Promise<ApplyReport> {
    const { target, container } = this.options;
    const key = JSON.stringify([target.runtime, target.context ?? '', target.host ?? '', container]);
    const run = (APPLY_QUEUES.get(key) ?? Promise.resolve()).then(() => this.applyConfigNow(kind, text));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    APPLY_QUEUES.set(key, tail);
    void tail.then(() => {
      if (APPLY_QUEUES.get(key) === tail) APPLY_QUEUES.delete(key);
    });
    return run;
  }

  private async applyConfigNow(kind: ConfigKind, text: string): Promise<ApplyReport> {
    const { containerPath } = CONFIG_TARGETS[kind];
    const container = this.options.container;
    const reminder = persistenceReminder(kind);
    const diagnostics = await this.validate(text, kind);
    if (!Array.isArray(diagnostics)) return { status: 'refused', message: t('Not applied: the file could not be validated ({0}).', diagnostics.error), diagnostics: [] };
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0];
      return {
        status: 'refused',
        message: t('Not applied: the file has {0} error(s) that would break fail2ban (line {1}: {2}).', errors.length, first.range.start.line + 1, first.message),
        diagnostics: errors,
      };
    }

    const steps: string[] = [];
    const fail = (failure: DockerFailure, what: string, after = ''): ApplyReport => ({
      status: 'failed',
      message: t('Not applied: {0} failed. {1}{2}', what, failure.message, after),
      steps,
      failure,
    });

    const ping = await this.exec(['fail2ban-client', 'ping']);
    // A docker-level failure explains itself; any other failed ping means the server is down.
    const pingFailure = this.classify(ping, undefined);
    if (pingFailure && pingFailure.kind !== 'unexpected-output') return fail(pingFailure, t('checking that fail2ban runs'));
    if (ping.exitCode !== 0) return fail(this.notRunning(ping), t('checking that fail2ban runs'));
    // fail2ban answers `Server replied: pong`; anything else is not a fail2ban we can reload.
    if (!/\bpong\b/.test(ping.stdout)) return fail(unexpectedOutput(ping, 'fail2ban-client ping'), t('checking that fail2ban runs'));
    steps.push(t('fail2ban is running'));

    const exists = await this.exec(['test', '-f', containerPath]);
    const existed = exists.exitCode === 0;
    if (!existed && !(exists.exitCode === 1 && exists.stderr.trim() === '')) {
      return fail(this.classify(exists, undefined) ?? unexpectedOutput(exists, 'test -f'), t('checking {0}', containerPath));
    }
    // Unique per run (two windows may apply at once); neither ends in .conf or .local, so fail2ban never reads them.
    const runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const backupPath = `${containerPath}.dms-fail2ban-${runId}.bak`;
    const stagingPath = `${containerPath}.dms-fail2ban-${runId}.part`;
    if (existed) {
      const backup = await this.exec(['cp', '-p', containerPath, backupPath]);
      const failure = this.classify(backup, undefined);
      if (failure) return fail(failure, t('backing up {0}', containerPath), t(' Nothing was changed in {0}.', container));
      steps.push(t('backed up {0} to {1}', containerPath, backupPath));
    } else {
      steps.push(t('{0} did not exist (nothing to back up)', containerPath));
    }

    // The copy goes next to the target first: a copy that fails half-way leaves the target as it was.
    const copy = await this.copyIntoContainer(text, stagingPath);
    if (copy) {
      const cleanup = await this.removeFiles([stagingPath, ...(existed ? [backupPath] : [])]);
      steps.push(cleanup ? t('removing the partial copy failed: {0}', cleanup.message) : t('removed the partial copy {0}', stagingPath));
      const left = cleanup ? t(' A partial copy may remain at {0} (fail2ban does not read it).', stagingPath) : '';
      return fail(copy, t('copying the file into {0}', container), t(' {0} was not changed.{1}', containerPath, left));
    }
    steps.push(t('copied the file to {0}', stagingPath));

    const move = await this.exec(['mv', '-f', stagingPath, containerPath]);
    const moveFailure = this.classify(move, undefined);
    if (moveFailure) {
      steps.push(t('moving it to {0} failed', containerPath));
      const restore = await this.restore(existed, containerPath, backupPath, [stagingPath]);
      steps.push(restore.step);
      if (restore.failure) return this.rollbackFailed(t('putting the new file in place failed ({0})', moveFailure.message), restore.failure, containerPath, existed, backupPath, steps, '');
      return fail(moveFailure, t('putting the new file in place at {0}', containerPath), ` ${restore.done}`);
    }
    steps.push(t('moved it to {0}', containerPath));

    const reload = await this.exec(['fail2ban-client', 'reload']);
    const reloadOutput = rawOutput(reload);
    if (reloadSucceeded(reload)) {
      steps.push(t('fail2ban-client reload succeeded'));
      if (existed) {
        // The newest previous file stays under one stable name, for going back by hand.
        const keep = this.classify(await this.exec(['mv', '-f', backupPath, containerPath + BACKUP_SUFFIX]), undefined);
        steps.push(keep ? t('keeping the backup as {0} failed; it is at {1}', containerPath + BACKUP_SUFFIX, backupPath) : t('kept the previous file as {0}', containerPath + BACKUP_SUFFIX));
      }
      const summary = t('Applied to {0} and reloaded fail2ban.', container);
      return { status: 'applied', message: `${summary} ${reminder}`, summary, steps, reloadOutput };
    }

    if (reload.timedOut) {
      steps.push(t('fail2ban-client reload did not answer within {0} s and was stopped here', Math.round(this.options.timeoutMs / 1000)));
      // No second reload: the first may still be running in the container, and another would race it.
      const restore = await this.restore(existed, containerPath, backupPath);
      steps.push(restore.step);
      const restored = !restore.failure
        ? t('{0} It was not reloaded, so fail2ban uses it from the next reload or restart.', restore.done)
        : existed
          ? t('Restoring the previous file failed too ({0}); {1} holds the new file and the previous one is at {2}.', restore.failure.message, containerPath, backupPath)
          : t('Restoring the previous file failed too ({0}); {1} holds the new file.', restore.failure.message, containerPath);
      return {
        status: 'timed-out',
        message: t(
          'Not confirmed: fail2ban-client reload did not answer within {0} s and was stopped here, but it may still complete inside {1} and load the new file. {2} Check the jails (Fail2Ban: Show Status) or the fail2ban log before applying again; raise dmsFail2ban.commandTimeoutSeconds if reloads take this long.',
          Math.round(this.options.timeoutMs / 1000),
          container,
          restored,
        ),
        steps,
        reloadOutput,
        restored: !restore.failure,
      };
    }

    const reloadFailure = this.classify(reload, undefined);
    if (reloadFailure && NEVER_RAN.has(reloadFailure.kind)) {
      // docker could not run the reload at all (container stopped, daemon gone): fail2ban never saw the new file.
      steps.push(t('fail2ban-client reload could not run: {0}', reloadFailure.message));
      const restore = await this.restore(existed, containerPath, backupPath);
      steps.push(restore.step);
      if (restore.failure) return this.rollbackFailed(t('fail2ban could not be reloaded ({0})', reloadFailure.message), restore.failure, containerPath, existed, backupPath, steps, reloadOutput);
      return fail(reloadFailure, t('reloading fail2ban'), ` ${restore.done}`);
    }

    steps.push(t('fail2ban-client reload failed (exit {0})', String(reload.exitCode)));
    const restore = await this.restore(existed, containerPath, backupPath);
    steps.push(restore.step);
    if (restore.failure) return this.rollbackFailed(t('fail2ban rejected the new file'), restore.failure, containerPath, existed, backupPath, steps, reloadOutput);
    const secondReload = await this.exec(['fail2ban-client', 'reload']);
    if (!reloadSucceeded(secondReload)) {
      steps.push(t('the second fail2ban-client reload failed too'));
      return {
        status: 'rollback-failed',
        message: t('fail2ban rejected the new file; the previous file was restored but reloading it failed too. Check the fail2ban log in {0}.', container),
        steps,
        reloadOutput: `${reloadOutput}\n${rawOutput(secondReload)}`.trim(),
        restored: true,
      };
    }
    steps.push(t('reloaded the previous configuration'));
    return {
      status: 'rolled-back',
      message: t('fail2ban rejected the new file, so the previous one was restored and reloaded; nothing changed in {0}. fail2ban said: {1}', container, firstLine(reloadOutput)),
      steps,
      reloadOutput,
    };
  }

  /** Puts the previous state back: the backup over the target, or no target when there was none. */
  private async restore(existed: boolean, containerPath: string, backupPath: string, alsoRemove: string[] = []): Promise<{ failure?: DockerFailure; step: string; done: string }> {
    const put = existed
      ? this.classify(await this.exec(['cp', '-p', backupPath, containerPath]), undefined)
      : this.classify(await this.exec(['rm', '-f', containerPath]), undefined);
    if (put) return { failure: put, step: t('restoring {0} failed: {1}', containerPath, put.message), done: '' };
    // Leftovers are only tidied; the restore itself has already worked.
    await this.removeFiles([...alsoRemove, ...(existed ? [backupPath] : [])]);
    return existed
      ? { step: t('restored {0} from {1}', containerPath, backupPath), done: t('The previous {0} was restored.', containerPath) }
      : { step: t('removed {0} (it did not exist before)', containerPath), done: t('{0} was removed again (it did not exist before).', containerPath) };
  }

  private rollbackFailed(what: string, failure: DockerFailure, containerPath: string, existed: boolean, backupPath: string, steps: string[], reloadOutput: string): ApplyReport {
    const previous = existed ? t('the previous file is at {0}', backupPath) : t('there was no file before');
    return {
      status: 'rollback-failed',
      message: t(
        '{0}, and restoring the previous state failed ({1}). {2} in {3} may still hold the new file; {4}. Restart the container after fixing the file: DMS copies it from the config volume at start-up.',
        what,
        failure.message,
        containerPath,
        this.options.container,
        previous,
      ),
      steps,
      reloadOutput,
      restored: false,
    };
  }

  /** `rm -f` in the container; the failure, if any. */
  private async removeFiles(paths: string[]): Promise<DockerFailure | undefined> {
    if (paths.length === 0) return undefined;
    return this.classify(await this.exec(['rm', '-f', ...paths]), undefined);
  }

  // ------------------------------------------------------------------ plumbing

  /** Runs the validator; a crashing validator refuses the apply rather than skipping validation. */
  private async validate(text: string, kind: ConfigKind): Promise<EngineDiagnostic[] | { error: string }> {
    try {
      return (await this.options.validate?.(text, kind, this.options.container)) ?? [];
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  private runOptions(timeoutFactor = 1) {
    return { timeoutMs: this.options.timeoutMs * timeoutFactor, env: this.options.env, sink: this.options.sink, signal: this.options.signal };
  }

  private setup(args: string[], timeoutFactor = 1): Promise<RunResult> {
    return runSetupFail2ban(this.options.target, this.options.container, args, this.runOptions(timeoutFactor));
  }

  private exec(command: string[], timeoutFactor = 1): Promise<RunResult> {
    return runInContainer(this.options.target, this.options.container, command, this.runOptions(timeoutFactor));
  }

  private classify(run: RunResult, subcommand: string | undefined): DockerFailure | undefined {
    return classifyRun(run, {
      runtime: this.options.target.runtime,
      container: this.options.container,
      subcommand,
      timeoutMs: this.options.timeoutMs,
    });
  }

  private notRunning(run: RunResult): DockerFailure {
    return simpleFailure(
      'fail2ban-not-running',
      t("Fail2ban is not running in '{0}', so the file cannot be reloaded. Fix the config volume file and restart the container.", this.options.container),
      ['validate-config', 'show-log', 'show-output'],
      rawOutput(run),
    );
  }

  private unexpected<T>(run: RunResult): Outcome<T> {
    return { ok: false, failure: unexpectedOutput(run, `'${this.options.container}'`) };
  }

  /** `docker cp <tmp> <container>:<path>`; returns the failure, if any. */
  private async copyIntoContainer(text: string, containerPath: string): Promise<DockerFailure | undefined> {
    if (!isValidContainerName(this.options.container)) {
      this.options.sink?.appendLine(t('Not run: {0}', skippedNameNote(this.options.container, t('the caller'))));
      return simpleFailure('invalid-container-name', t('{0} Select the mail server container.', skippedNameNote(this.options.container, t('the caller'))), ['select-container']);
    }
    const dir = await mkdtemp(join(tmpdir(), 'dms-fail2ban-'));
    try {
      const file = join(dir, containerPath.split('/').pop() ?? 'config.local');
      await writeFile(file, text, { mode: 0o644 });
      const copy = await runRuntime(this.options.target, ['cp', file, `${this.options.container}:${containerPath}`], this.runOptions());
      return this.classify(copy, undefined);
    } catch (error) {
      return simpleFailure('unexpected-output', t('Could not write a temporary file: {0}', String(error)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function reloadSucceeded(run: RunResult): boolean {
  return !run.timedOut && run.exitCode === 0 && !/\bERROR\b|Failed during configuration/.test(run.stderr + run.stdout);
}

function rawOutput(run: RunResult): string {
  return [run.stdout.trimEnd(), run.stderr.trimEnd()].filter((part) => part !== '').join('\n');
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? t('(no output)');
}

function unrecognisedNotes(lines: string[]): string[] {
  return lines.length > 0 ? [t('Unrecognised output: {0}', lines.join(' | '))] : [];
}
