// Classifies a failed container-CLI run into a clear message and a suggested next step
// (as each CLI prints them; DMS: target/bin/fail2ban, target/bin/setup). The table holds the messages
// docker 24–28, podman 4–5 and DMS v12–edge print; first match wins.
import type { RunResult } from './runner';
import { mentionsNotRunning, mentionsUnknownCommand } from './dmsOutput';
import { t } from '../l10n';

export type FailureKind =
  | 'runtime-not-found'
  | 'daemon-unreachable'
  | 'invalid-connection'
  | 'permission-denied'
  | 'no-such-container'
  | 'container-not-running'
  | 'container-paused'
  | 'not-dms-container'
  | 'fail2ban-not-running'
  | 'unknown-subcommand'
  | 'custom-jail-missing'
  | 'invalid-address'
  | 'no-container-selected'
  | 'invalid-container-name'
  | 'invalid-config'
  | 'timeout'
  | 'cancelled'
  | 'unexpected-output';

/** What the UI can offer as a button next to the message. */
export type SuggestedAction =
  | 'configure-runtime'
  | 'configure-connection'
  | 'select-container'
  | 'validate-config'
  | 'show-log'
  | 'show-output'
  | 'increase-timeout'
  | 'edit-jail-file'
  /** `supervisorctl restart fail2ban`, only after the user confirms (a hung or crashed fail2ban-server). */
  | 'restart-fail2ban'
  /** `docker start` (or `docker unpause` for a paused one), only after the user confirms. */
  | 'start-container';

export interface DockerFailure {
  kind: FailureKind;
  /** One sentence: what went wrong and what to do. */
  message: string;
  actions: SuggestedAction[];
  /** The raw output (stdout then stderr), shown when the user asks for details. */
  detail: string;
  exitCode?: number;
}

export interface ClassifyContext {
  runtime: string;
  container?: string;
  /** The `setup fail2ban` subcommand, when that was what ran ('' for the listing). */
  subcommand?: string;
  timeoutMs?: number;
}

interface StderrPattern {
  kind: FailureKind;
  pattern: RegExp;
  message: (context: ClassifyContext) => string;
  actions: SuggestedAction[];
}

const RUNTIME_MESSAGES: readonly StderrPattern[] = [
  {
    kind: 'permission-denied',
    pattern: /permission denied[^\n]*(docker\.sock|docker daemon socket|podman\.sock)/i,
    message: (c) =>
      t("{0} cannot open the daemon socket: permission denied. Add your user to the 'docker' group (then log in again) or use rootless Docker, or set dmsFail2ban.dockerHost / dmsFail2ban.dockerContext.", c.runtime),
    actions: ['configure-connection', 'show-output'],
  },
  {
    kind: 'invalid-connection',
    pattern: /context "[^"]*" does not exist|context not found|unable to parse docker host|invalid (?:docker )?host|no such connection|connection "[^"]*" not found/i,
    message: (c) =>
      t('{0} rejected the configured context or host. Check dmsFail2ban.dockerContext / dmsFail2ban.dockerHost (`{0} context ls` lists the contexts).', c.runtime),
    actions: ['configure-connection', 'show-output'],
  },
  {
    kind: 'daemon-unreachable',
    pattern:
      /Cannot connect to the Docker daemon|Is the docker daemon running\?|error during connect|Cannot connect to Podman|unable to connect to Podman/i,
    message: (c) => t('{0} is installed but cannot reach its daemon. Start Docker (or check dmsFail2ban.dockerHost / dmsFail2ban.dockerContext) and try again.', c.runtime),
    actions: ['configure-connection', 'show-output'],
  },
  {
    kind: 'no-such-container',
    pattern: /No such container|no container with name or ID/i,
    message: (c) => t("No container named '{0}' exists. Select the mail server container.", c.container ?? ''),
    actions: ['select-container'],
  },
  {
    kind: 'container-paused',
    pattern: /Error response from daemon:[^\n]*is paused|container state improper[^\n]*paused/i,
    message: (c) =>
      t("The container '{0}' is paused: fail2ban and mail delivery are frozen. Resume it (`{1} unpause {0}`), or select another one.", c.container ?? '', c.runtime),
    actions: ['start-container', 'select-container', 'show-output'],
  },
  {
    kind: 'container-not-running',
    pattern: /Error response from daemon:[^\n]*is (?:not running|restarting)|container state improper|container is not running/i,
    message: (c) => t("The container '{0}' is stopped. Start it (`{1} start {0}`), or select another one.", c.container ?? '', c.runtime),
    actions: ['start-container', 'select-container', 'show-output'],
  },
  {
    kind: 'not-dms-container',
    pattern: /executable file not found in \$PATH|exec: "setup"|"setup": executable file not found|no such file or directory: OCI/i,
    message: (c) => t("'{0}' has no `setup` command: it is not a docker-mailserver container. Select the mail server container.", c.container ?? ''),
    actions: ['select-container', 'show-output'],
  },
];

function rawDetail(result: RunResult): string {
  const parts: string[] = [];
  if (result.stdout.trim() !== '') parts.push(result.stdout.trimEnd());
  if (result.stderr.trim() !== '') parts.push(result.stderr.trimEnd());
  if (parts.length === 0 && result.failureMessage) parts.push(result.failureMessage);
  return parts.join('\n');
}

/**
 * The failure in a run, or undefined when the run looks healthy enough to parse its output.
 * Exit status alone never means success for `setup fail2ban` (a failed ban exits 0); the parsers decide that.
 */
export function classifyRun(result: RunResult, context: ClassifyContext): DockerFailure | undefined {
  const detail = rawDetail(result);
  const base = { detail, exitCode: result.exitCode };
  if (result.refused !== undefined) {
    return {
      kind: 'invalid-container-name',
      message: t('{0} Select the mail server container.', result.refused),
      actions: ['select-container', 'show-output'],
      ...base,
    };
  }
  if (result.timedOut) {
    return {
      kind: 'timeout',
      message:
        context.timeoutMs !== undefined
          ? t('{0} did not answer after {1} s; the command was stopped. Check the container, or raise dmsFail2ban.commandTimeoutSeconds.', context.runtime, Math.round(context.timeoutMs / 1000))
          : t('{0} did not answer; the command was stopped. Check the container, or raise dmsFail2ban.commandTimeoutSeconds.', context.runtime),
      actions: ['increase-timeout', 'show-output'],
      ...base,
    };
  }
  if (result.spawnErrorCode === 'ENOENT' || result.spawnErrorCode === 'EACCES') {
    return {
      kind: 'runtime-not-found',
      message:
        result.spawnErrorCode === 'ENOENT'
          ? t("The container CLI '{0}' was not found. Install Docker or Podman, or set dmsFail2ban.containerRuntime to its path.", context.runtime)
          : t("The container CLI '{0}' cannot be executed. Install Docker or Podman, or set dmsFail2ban.containerRuntime to its path.", context.runtime),
      actions: ['configure-runtime'],
      ...base,
    };
  }
  if (result.exitCode === undefined) {
    return {
      kind: 'cancelled',
      message: t('{0} was stopped before it finished ({1}).', context.runtime, result.failureMessage ?? t('no exit status')),
      actions: ['show-output'],
      ...base,
    };
  }
  // docker's own messages come first: a DMS message can only appear once exec has worked.
  if (result.exitCode !== 0) {
    // docker prints some exec errors ("OCI runtime exec failed …") on stdout, so both streams are searched.
    const output = `${result.stderr}\n${result.stdout}`;
    for (const entry of RUNTIME_MESSAGES) {
      if (entry.pattern.test(output)) return { kind: entry.kind, message: entry.message(context), actions: entry.actions, ...base };
    }
  }
  if (mentionsNotRunning(result.stdout, result.stderr)) {
    return {
      kind: 'fail2ban-not-running',
      message: t(
        "Fail2ban is not running in '{0}': ENABLE_FAIL2BAN is not 1, or a configuration error stopped it (DMS restarts it in a loop). Validate fail2ban-jail.cf / fail2ban-fail2ban.cf and check the fail2ban log.",
        context.container ?? '',
      ),
      actions: ['validate-config', 'show-log', 'show-output'],
      ...base,
    };
  }
  if (context.subcommand !== undefined && context.subcommand !== 'help' && mentionsUnknownCommand(result.stdout, result.stderr)) {
    return {
      kind: 'unknown-subcommand',
      message: t('This docker-mailserver does not know `setup fail2ban {0}` (`log` needs DMS v12.1.0, `status` needs v13.0.0). Update the mail server image.', context.subcommand),
      actions: ['show-output'],
      ...base,
    };
  }
  if (result.exitCode !== 0) {
    return {
      kind: 'unexpected-output',
      message: t('{0} exited with status {1}. The raw output is in the Fail2Ban output channel.', context.runtime, result.exitCode),
      actions: ['show-output'],
      ...base,
    };
  }
  return undefined;
}

/** A failure found by a parser after the run itself looked fine (unparseable stdout and the like). */
export function unexpectedOutput(result: RunResult, what: string): DockerFailure {
  return {
    kind: 'unexpected-output',
    message: t('Unexpected output from {0}; it is shown raw in the Fail2Ban output channel.', what),
    actions: ['show-output'],
    detail: rawDetail(result),
    exitCode: result.exitCode,
  };
}

export function simpleFailure(kind: FailureKind, message: string, actions: SuggestedAction[] = [], detail = ''): DockerFailure {
  return { kind, message, actions, detail };
}
