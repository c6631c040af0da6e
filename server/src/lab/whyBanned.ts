// "Why was this banned?": for one banned address, fail2ban's own log lines about it (Found, Ban, Unban),
// the lines of the jail's log that mention it around those times, its ban count, the ban fail2ban holds
// now with its remaining time (`fail2ban-client get JAIL banip --with-time`) and the lock-out guard.
import { grepAddress, readBanTimes, readFail2banLog, type LogLineHit } from './container';
import { remainingSeconds, type BanEvent, type BanTime } from './fail2banLog';
import { lockoutWarnings } from './lockout';
import { parseWallTime, type WallSeconds } from './regexOutput';
import { globalDockerArgs, readNetworks, streamProcess, validateDockerTarget, type DockerTarget } from './run';
import type { LabWarning } from './types';

/** DMS's jails all read the mail log; used when fail2ban does not say (`get JAIL logpath`). */
export const DMS_MAIL_LOG = '/var/log/mail/mail.log';
const MAX_EVENTS = 200;
const MAX_LOG_LINES = 200;
/** Lines of the watched log this long before the first Found line still count as "around". */
const AROUND_SECONDS = 3600;

export interface WhyBannedReport {
  ip: string;
  jail: string;
  container: string;
  /** fail2ban's log that was read, and its Found/Ban/Unban lines for the address (newest last, at most 200). */
  fail2banLog?: string;
  events: BanEvent[];
  /** Ban lines for the address in this jail in the whole log. */
  banCount: number;
  /** The ban fail2ban holds now, if any. */
  current?: BanTime & { remainingSeconds?: number };
  /** The jail's log and its lines mentioning the address around the Found/Ban times. */
  logPath: string;
  logLines: LogLineHit[];
  warnings: LabWarning[];
}

const JAIL_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** `fail2ban-client get JAIL logpath`: "Current monitored log file(s):\n`- /var/log/mail/mail.log". */
async function jailLogPath(target: DockerTarget, jail: string, env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const paths: string[] = [];
  const result = await streamProcess(target.runtime, [...globalDockerArgs(target), 'exec', target.container, 'fail2ban-client', 'get', jail, 'logpath'], env, (line, stream) => {
    const match = stream === 'out' ? /^[|`]- (\/\S.*)$/.exec(line.trim()) : null;
    if (match) paths.push(match[1]);
  }, signal);
  return result.exitCode === 0 ? paths[0] : undefined;
}

/** The wall time at the start of a log line (RFC 3339 as DMS writes, or `YYYY-MM-DD HH:MM:SS`). */
function lineTime(text: string): WallSeconds | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(text);
  return match ? parseWallTime(`${match[1]} ${match[2]}`) : undefined;
}

export async function whyBanned(options: { docker: DockerTarget; jail: string; ip: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; now?: WallSeconds }): Promise<{ ok: true; report: WhyBannedReport } | { ok: false; message: string }> {
  const { docker, jail, ip, env, signal } = options;
  const invalid = validateDockerTarget(docker);
  if (invalid) return { ok: false, message: invalid };
  if (!JAIL_NAME.test(jail)) return { ok: false, message: `'${jail}' is not a jail name` };
  const [log, times, watched, networks] = await Promise.all([
    readFail2banLog(docker, env, signal, ip),
    readBanTimes(docker, jail, env, signal),
    jailLogPath(docker, jail, env, signal),
    readNetworks(docker, env, signal),
  ]);
  const mine = (log?.reader.events ?? []).filter((event) => event.ip === ip && (event.jail === jail || event.kind !== 'found'));
  const events = mine.slice(-MAX_EVENTS);
  const banCount = mine.filter((event) => event.kind === 'ban' && event.jail === jail).length;
  const held = times?.find((ban) => ban.ip === ip);
  const now = options.now ?? Date.now() / 1000;
  const logPath = watched ?? DMS_MAIL_LOG;
  const hits = (await grepAddress(docker, logPath, ip, 5000, env, signal)) ?? [];
  const relevant = mine.filter((event) => event.jail === jail);
  const foundTimes = relevant.map((event) => (event.failureTime ? parseWallTime(event.failureTime) : event.seconds));
  const from = foundTimes.length ? Math.min(...foundTimes) - AROUND_SECONDS : -Infinity;
  const to = foundTimes.length ? Math.max(...relevant.map((event) => event.seconds)) + 60 : Infinity;
  const logLines = hits.filter((hit) => {
    const time = lineTime(hit.text);
    return time === undefined || (time >= from && time <= to);
  }).slice(-MAX_LOG_LINES);
  const warnings: LabWarning[] = lockoutWarnings([ip], networks ?? [], docker.container);
  if (!log) warnings.push({ code: 'fail2ban-log', message: `fail2ban's own log could not be read in ${docker.container}.` });
  return {
    ok: true,
    report: {
      ip,
      jail,
      container: docker.container,
      ...(log ? { fail2banLog: log.path } : {}),
      events,
      banCount,
      ...(held ? { current: { ...held, ...(remainingSeconds(held, now) !== undefined ? { remainingSeconds: remainingSeconds(held, now) } : {}) } } : {}),
      logPath,
      logLines,
      warnings,
    },
  };
}

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${Math.floor(seconds % 60)}s`;
}

/**
 * The report as a plain-text document. Lines that point into a log end in `(<log>:<line>)`, which the
 * editor turns into links (whyBannedLinks).
 */
export function formatWhyBanned(report: WhyBannedReport): string {
  const out: string[] = [`Why was ${report.ip} banned in [${report.jail}]? (${report.container})`, ''];
  for (const warning of report.warnings) out.push(`! ${warning.message}`, '');
  if (report.current) {
    const left = report.current.remainingSeconds !== undefined ? `${duration(report.current.remainingSeconds)} left` : 'permanent';
    out.push(`Banned since ${report.current.bannedAt} for ${report.current.banSeconds < 0 ? 'ever' : duration(report.current.banSeconds)}${report.current.until ? `, until ${report.current.until}` : ''} (${left}).`);
  } else {
    out.push(`fail2ban does not hold a ban for ${report.ip} in [${report.jail}] now.`);
  }
  out.push(`Bans in fail2ban's log: ${report.banCount}.`, '');
  out.push(`fail2ban's log${report.fail2banLog ? ` (${report.fail2banLog})` : ''}:`);
  if (report.events.length === 0) out.push('  (no Found/Ban lines for this address)');
  for (const event of report.events) out.push(`  ${event.text}  (${report.fail2banLog}:${event.line})`);
  out.push('', `Lines of ${report.logPath} mentioning ${report.ip} around those times:`);
  if (report.logLines.length === 0) out.push('  (none)');
  for (const hit of report.logLines) out.push(`  ${hit.text}  (${report.logPath}:${hit.line})`);
  return `${out.join('\n')}\n`;
}

/** Where each `(<log>:<line>)` of formatWhyBanned's text points: [document line, start, end, path, log line]. */
export function whyBannedLinks(text: string): { line: number; start: number; end: number; path: string; logLine: number }[] {
  const links: { line: number; start: number; end: number; path: string; logLine: number }[] = [];
  text.split('\n').forEach((lineText, line) => {
    const match = /\((\/[^\s():]+):(\d+)\)$/.exec(lineText);
    if (match) links.push({ line, start: match.index + 1, end: match.index + match[0].length - 1, path: match[1], logLine: Number(match[2]) });
  });
  return links;
}
