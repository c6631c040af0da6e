// "Listed as banned but not blocked": fail2ban records a ban, then runs the firewall action; when that
// fails (no NET_ADMIN capability, or a host kernel without nftables) the IP is still listed and `setup
// fail2ban ban` still prints `Banned custom IP: 1` (DMS issues #3897, #2637, #3238). Only fail2ban's log
// shows it. The lines matched are the ones fail2ban writes (fail2ban 1.0.2/1.1.0 server/actions.py and
// server/utils.py):
//   <ts> fail2ban.actions [pid]: ERROR   Failed to execute ban jail 'custom' action 'nftables-allports' info '…': …
//   <ts> fail2ban.actions [pid]: ERROR   Failed to start jail 'custom' action 'nftables-allports': …
//   <ts> fail2ban.utils   [pid]: ERROR   7ff9… -- stderr: 'Error: Could not process rule: Operation not supported'
// Pure: log text in, one finding per jail out.
import { t } from '../l10n';
import type { ComposeFacts } from './composeFacts';

export interface UnenforcedJail {
  jail: string;
  /** The ban action that failed, e.g. nftables-allports. */
  action: string;
  /** How many ban/start failures since fail2ban last started. */
  failures: number;
  /** The firewall tool's own error lines (distinct), e.g. `Error: Could not process rule: Operation not supported`. */
  errors: string[];
  /** What the error says about the cause. */
  cause: FirewallCause;
}

/** `no-permission`: EPERM (the container lacks NET_ADMIN); `no-kernel-support`: EOPNOTSUPP (kernel/NAS without nftables). */
export type FirewallCause = 'no-permission' | 'no-kernel-support' | 'iptables-missing' | 'unknown';

const SERVER_START = /fail2ban\.server\s+\[\d+\]:\s+INFO\s+Starting Fail2ban v/;
const ACTION_FAILED = /ERROR\s+Failed to (?:execute ban|start) jail '([^']+)' action '([^']+)'/;
const TOOL_STDERR = /ERROR\s+[0-9a-f]+ -- stderr: '(.*)'\s*$/;

const CAUSES: ReadonlyArray<readonly [RegExp, FirewallCause]> = [
  [/Operation not permitted|Permission denied|you must be root/i, 'no-permission'],
  [/Operation not supported|Protocol not supported|No such file or directory.*nf_tables|does not exist \(do you need to insmod/i, 'no-kernel-support'],
  [/iptables: No chain\/target\/match|can't initialize iptables table|iptables.*not found/i, 'iptables-missing'],
];

function causeOf(errors: readonly string[]): FirewallCause {
  for (const [pattern, cause] of CAUSES) if (errors.some((error) => pattern.test(error))) return cause;
  return 'unknown';
}

/** Jails whose firewall action failed since fail2ban last started (earlier failures may have been fixed). */
export function scanEnforcement(logText: string): UnenforcedJail[] {
  const lines = logText.split(/\r?\n/);
  let start = 0;
  lines.forEach((line, index) => {
    if (SERVER_START.test(line)) start = index;
  });
  const byJail = new Map<string, { action: string; failures: number; errors: Set<string> }>();
  let pendingErrors: string[] = [];
  for (const line of lines.slice(start)) {
    const stderr = TOOL_STDERR.exec(line);
    if (stderr) {
      pendingErrors.push(stderr[1]);
      continue;
    }
    const failed = ACTION_FAILED.exec(line);
    if (!failed) continue;
    const entry = byJail.get(failed[1]) ?? { action: failed[2], failures: 0, errors: new Set<string>() };
    entry.failures += 1;
    for (const error of pendingErrors) entry.errors.add(error);
    pendingErrors = [];
    byJail.set(failed[1], entry);
  }
  return [...byJail.entries()].map(([jail, entry]) => {
    const errors = [...entry.errors];
    return { jail, action: entry.action, failures: entry.failures, errors, cause: causeOf(errors) };
  });
}

/** Runtime facts from `docker inspect` (HostConfig.CapAdd); undefined when unknown. */
export interface EnforcementContext {
  containerHasNetAdmin?: boolean;
  compose?: ComposeFacts;
}

/** What is wrong and what to do, for one or more unenforced jails. */
export function describeEnforcement(findings: readonly UnenforcedJail[], context: EnforcementContext = {}): string {
  if (findings.length === 0) return '';
  const jails = findings.map((finding) => finding.jail).join(', ');
  const error = findings.flatMap((finding) => finding.errors)[0];
  const head = error
    ? t("Bans in {0} are listed but not enforced: fail2ban's firewall action failed (the firewall said: {1}).", jails, error)
    : t("Bans in {0} are listed but not enforced: fail2ban's firewall action failed.", jails);
  const composeSays = context.compose
    ? context.compose.netAdmin
      ? t(' {0} grants NET_ADMIN to {1}.', context.compose.file, context.compose.service)
      : t(' {0} has no `cap_add: [NET_ADMIN]` for {1}.', context.compose.file, context.compose.service)
    : '';
  const missingNetAdmin = context.containerHasNetAdmin === false || (context.containerHasNetAdmin === undefined && context.compose?.netAdmin === false);
  const causes = new Set(findings.map((finding) => finding.cause));
  if (missingNetAdmin || causes.has('no-permission')) {
    return t("{0}{1} Add `cap_add: - NET_ADMIN` to the mail server service in the compose file and recreate the container (`docker compose up -d`), as DMS's fail2ban documentation requires.", head, composeSays);
  }
  if (causes.has('iptables-missing')) {
    return t("{0}{1} An iptables banaction is set but the container's iptables cannot work; DMS uses nftables: remove the iptables banaction from fail2ban-jail.cf.", head, composeSays);
  }
  return context.containerHasNetAdmin === true
    ? t('{0}{1} The container has NET_ADMIN, so the host kernel most likely lacks nftables support (older kernels, NAS systems): DMS documents switching fail2ban back to iptables in fail2ban-jail.cf (e.g. `banaction = iptables-allports` in [DEFAULT]).', head, composeSays)
    : t('{0}{1} With NET_ADMIN granted, this means a host kernel without nftables support (older kernels, NAS systems): DMS documents switching fail2ban back to iptables in fail2ban-jail.cf (e.g. `banaction = iptables-allports` in [DEFAULT]).', head, composeSays);
}
