// Parsers for what `setup fail2ban …` prints, across every DMS variant (DMS target/bin/fail2ban and target/scripts/helpers/log.sh per release):
// v13-and-older `[   INF   ]  msg` log tags, v14+ `<ts> LEVEL fail2ban: msg` lines (ANSI colours already
// stripped by the runner), edge's all-stderr logs, LOG_LEVEL hiding the "No IPs have been banned" line,
// and fail2ban-client's own log lines that leak through. Data lines are matched per line by regex.
// Pure functions: text in, typed result out, never throws. Jail names and addresses come out free of control
// characters and unique (a jail or address printed twice would give two tree items the same id, and VS Code
// then refuses to render the view: "Element with id … is already registered").
import { t } from '../l10n';
import { cleanLabel } from './controlText';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LogLine {
  level: LogLevel;
  message: string;
}

/** A line of DMS's `_log` (any version) or of fail2ban-client's logger, with its level and message. */
interface LogFormat {
  /** DMS versions (or program) that print it; for the reader. */
  source: string;
  pattern: RegExp;
  levels: Record<string, LogLevel>;
}

const LOG_FORMATS: readonly LogFormat[] = [
  {
    source: 'DMS v14.0.0 and later (helpers/log.sh, PR #4035): `<RFC 3339 ts> LEVEL fail2ban: msg`',
    pattern: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\S*\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+[\w.-]+:\s?(.*)$/,
    levels: { ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug', TRACE: 'trace' },
  },
  {
    source: 'DMS v13 and older: `[   INF   ]  msg`',
    pattern: /^\[\s*(ERROR|WARNING|WARN|INF|INFO|DEBUG|DBG|TRACE|TRC)\s*\]\s+(.*)$/,
    levels: {
      ERROR: 'error',
      WARNING: 'warn',
      WARN: 'warn',
      INF: 'info',
      INFO: 'info',
      DEBUG: 'debug',
      DBG: 'debug',
      TRACE: 'trace',
      TRC: 'trace',
    },
  },
  {
    source: 'fail2ban-client logger: `<date> <time>,<ms> fail2ban [<pid>]: ERROR   msg`',
    pattern:
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d+\s+fail2ban\S*\s+\[\d+\]:\s+(CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG)\s+(.*)$/,
    levels: { CRITICAL: 'error', ERROR: 'error', WARNING: 'warn', NOTICE: 'info', INFO: 'info', DEBUG: 'debug' },
  },
];

export function parseLogLine(line: string): LogLine | undefined {
  for (const format of LOG_FORMATS) {
    const match = format.pattern.exec(line);
    if (match) return { level: format.levels[match[1]], message: match[2].trim() };
  }
  return undefined;
}

/** Output of one run split into data lines (stdout, non-log) and log lines (both streams). */
export interface SplitOutput {
  dataLines: string[];
  logs: LogLine[];
  /** stderr lines that are not log lines (bash errors, docker messages). */
  otherErrors: string[];
}

export function splitOutput(stdout: string, stderr: string): SplitOutput {
  const dataLines: string[] = [];
  const logs: LogLine[] = [];
  const otherErrors: string[] = [];
  for (const line of lines(stdout)) {
    const log = parseLogLine(line);
    if (log) logs.push(log);
    else dataLines.push(line);
  }
  for (const line of lines(stderr)) {
    const log = parseLogLine(line);
    if (log) logs.push(log);
    else if (line.trim() !== '') otherErrors.push(line);
  }
  return { dataLines, logs, otherErrors };
}

function lines(text: string): string[] {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

/** DMS message texts matched on the ANSI-stripped output (DMS target/bin/fail2ban). */
export const DMS_MESSAGES = {
  noBans: 'No IPs have been banned',
  notRunning: 'Fail2ban not running',
  alreadyBanned: 'failed. Already banned?',
  missingAddress: 'You need to specify an IP address',
  unknownCommand: 'Unknown command',
  usage: /^Usage: \S*setup(?:\.sh)? fail2ban/,
  customJailMissing: /Sorry but the jail 'custom' does not exist|NOK: \('custom',\)/,
} as const;

function mentions(split: SplitOutput, text: string): boolean {
  return (
    split.logs.some((log) => log.message.includes(text)) ||
    split.otherErrors.some((line) => line.includes(text)) ||
    split.dataLines.some((line) => line.includes(text))
  );
}

export function mentionsNotRunning(stdout: string, stderr: string): boolean {
  return mentions(splitOutput(stdout, stderr), DMS_MESSAGES.notRunning);
}

/** `Unknown command '<x>'` or the usage text where data was expected: an older DMS without that subcommand. */
export function mentionsUnknownCommand(stdout: string, stderr: string): boolean {
  const split = splitOutput(stdout, stderr);
  return mentions(split, DMS_MESSAGES.unknownCommand) || split.dataLines.some((line) => DMS_MESSAGES.usage.test(line));
}

/** Lines that none of the parsers understood; shown raw to the user. */
export interface Unrecognised {
  unrecognised: string[];
}

// ---------------------------------------------------------------- list: `setup fail2ban`

export interface JailBans {
  jail: string;
  /** In fail2ban's ban-list order; CIDR and IPv6 kept as printed. */
  ips: string[];
  /** Set when fail2ban did not answer for this jail (fail2ban's words): its bans are unknown, not none. */
  unavailable?: string;
}

export interface BanList extends Unrecognised {
  jails: JailBans[];
  /** Jails fail2ban did not answer for in the middle of the list (e.g. during a reload): the list is partial. */
  failedJails: FailedJail[];
}

export interface FailedJail {
  /** The jail name, or undefined when fail2ban's error names none (e.g. the socket went away). */
  jail?: string;
  /** fail2ban's words. */
  reason: string;
}

/** `fail2ban-client status <jail>` for a jail that is gone: `NOK: ('<jail>',)` (logger) / `Sorry but the jail '<jail>' does not exist`. */
const JAIL_GONE = [/^NOK: \('([^']+)',\)$/, /^Sorry but the jail '([^']+)' does not exist$/];

/** Error-level lines of fail2ban-client (both streams) that mean an answer is missing from the list. */
function failedJailsOf(split: SplitOutput, extraLines: readonly string[] = []): FailedJail[] {
  const failed: FailedJail[] = [];
  const add = (jail: string | undefined, reason: string) => {
    if (jail !== undefined && failed.some((entry) => entry.jail === jail)) return;
    failed.push({ jail, reason });
  };
  for (const text of [...split.logs.filter((log) => log.level === 'error').map((log) => log.message), ...extraLines]) {
    const gone = JAIL_GONE.map((pattern) => pattern.exec(text.trim())).find((match) => match !== null);
    if (gone) add(gone[1], text.trim());
    else if (/Failed to access socket path|Is fail2ban running\?|timed out|Connection refused/i.test(text)) add(undefined, text.trim());
  }
  return failed;
}

const BANNED_IN = /^Banned in (\S+?):\s*(.*)$/;

/** Words of a space-separated list, cleaned, each once, in first-seen order. */
function uniqueWords(text: string, into: string[] = []): string[] {
  for (const word of text.split(/\s+/)) {
    const clean = cleanLabel(word).trim();
    if (clean !== '' && !into.includes(clean)) into.push(clean);
  }
  return into;
}

/** Jails without bans are omitted by DMS; "No IPs have been banned" or empty output (LOG_LEVEL=warn) = none. */
export function parseBanList(stdout: string, stderr: string): BanList {
  const split = splitOutput(stdout, stderr);
  const jails: JailBans[] = [];
  const unrecognised: string[] = [];
  for (const line of split.dataLines) {
    const match = BANNED_IN.exec(line.trim());
    if (!match) {
      if (line.trim() !== '') unrecognised.push(line);
      continue;
    }
    const name = cleanLabel(match[1]);
    const known = jails.find((jail) => jail.jail === name);
    if (known) uniqueWords(match[2], known.ips);
    else jails.push({ jail: name, ips: uniqueWords(match[2]) });
  }
  return { jails, unrecognised, failedJails: failedJailsOf(split) };
}

/**
 * The jails fail2ban did not answer for, as entries of the list (so the UI shows them as unknown instead of
 * dropping them), and a note saying the list is partial and why.
 */
export function withFailedJails<T extends { jail: string }>(
  jails: readonly T[],
  failed: readonly FailedJail[],
  entry: (jail: string, reason: string) => T,
): { jails: T[]; notes: string[] } {
  const missing = failed.filter((item): item is FailedJail & { jail: string } => item.jail !== undefined && !jails.some((jail) => jail.jail === item.jail));
  const merged = [...jails, ...missing.map((item) => entry(item.jail, item.reason))].sort((a, b) => (a.jail < b.jail ? -1 : a.jail > b.jail ? 1 : 0));
  if (failed.length === 0) return { jails: merged, notes: [] };
  const named = failed.filter((item) => item.jail !== undefined).map((item) => item.jail);
  const which = named.length > 0 ? t('no answer for {0}', named.join(', ')) : t('fail2ban stopped answering');
  const words = failed.map((item) => item.reason).join(' | ');
  return {
    jails: merged,
    notes: [t('Partial list: {0} (fail2ban said: {1}). fail2ban was probably reloading; refresh in a moment.', which, words)],
  };
}

// ---------------------------------------------------------------- ban: `setup fail2ban ban <IP>`

export type BanOutcome =
  | { kind: 'banned'; count: number }
  | { kind: 'already-banned' }
  /** `[custom] enabled = false` in the user's file: the manual-ban jail does not exist. */
  | { kind: 'custom-jail-missing' }
  | { kind: 'missing-address' }
  | { kind: 'unrecognised' };

export interface BanResult extends Unrecognised {
  outcome: BanOutcome;
}

const BANNED_CUSTOM = /^Banned custom IP: (\d+)$/;

export function parseBanResult(stdout: string, stderr: string): BanResult {
  const split = splitOutput(stdout, stderr);
  const unrecognised: string[] = [];
  let count: number | undefined;
  for (const line of split.dataLines) {
    const match = BANNED_CUSTOM.exec(line.trim());
    if (match) count = (count ?? 0) + Number(match[1]);
    else if (line.trim() !== '') unrecognised.push(line);
  }
  const allText = [...split.logs.map((log) => log.message), ...split.otherErrors].join('\n');
  let outcome: BanOutcome;
  if (count !== undefined && count > 0) outcome = { kind: 'banned', count };
  else if (DMS_MESSAGES.customJailMissing.test(allText)) outcome = { kind: 'custom-jail-missing' };
  else if (allText.includes(DMS_MESSAGES.alreadyBanned)) outcome = { kind: 'already-banned' };
  else if (allText.includes(DMS_MESSAGES.missingAddress)) outcome = { kind: 'missing-address' };
  else outcome = { kind: 'unrecognised' };
  return { outcome, unrecognised };
}

// ---------------------------------------------------------------- unban: `setup fail2ban unban <IP>`

export interface JailUnban {
  jail: string;
  /** How many entries fail2ban removed from that jail (a count, never the IP). */
  count: number;
}

export interface UnbanResult extends Unrecognised {
  /** One entry per jail DMS reported (fail2ban ≥ 1.0 reports every jail, 0 where it was not banned). */
  jails: JailUnban[];
  /** Sum of the counts: 0 means the address was not banned anywhere. */
  total: number;
}

const UNBANNED_FROM = /^Unbanned IP from (\S+?):\s*(\d+)$/;

export function parseUnbanResult(stdout: string, stderr: string): UnbanResult {
  const split = splitOutput(stdout, stderr);
  const jails: JailUnban[] = [];
  const unrecognised: string[] = [];
  for (const line of split.dataLines) {
    const match = UNBANNED_FROM.exec(line.trim());
    if (match) jails.push({ jail: match[1], count: Number(match[2]) });
    else if (line.trim() !== '') unrecognised.push(line);
  }
  return { jails, total: jails.reduce((sum, jail) => sum + jail.count, 0), unrecognised };
}

// ---------------------------------------------------------------- status: `setup fail2ban status`

export interface JailStatus {
  jail: string;
  currentlyFailed?: number;
  totalFailed?: number;
  /** Log files the jail watches (empty for DMS's `custom` jail). */
  fileList: string[];
  /** systemd backends print journal matches instead of a file list. */
  journalMatches?: string;
  currentlyBanned?: number;
  totalBanned?: number;
  bannedIps: string[];
  /** Set when fail2ban did not answer for this jail (fail2ban's words): its counters are unknown. */
  unavailable?: string;
}

export interface StatusResult extends Unrecognised {
  jails: JailStatus[];
  /** Jails whose status fail2ban refused in the middle of the list (DMS merges that stderr into stdout). */
  failedJails: FailedJail[];
}

const STATUS_HEADER = /^Status for the jail:\s*(.+)$/;
/** `|  |- Currently failed:<TAB>0`, `` `- Banned IP list:<TAB>…``: tree prefix, label, colon, value. */
const STATUS_FIELD = /^[\s|`-]*([A-Za-z][A-Za-z ]*?):\s*(.*)$/;
/** `|- Filter` / `` `- Actions``: sub-headings without a value. */
const STATUS_SUBHEADING = /^[\s|`-]*(?:Filter|Actions)\s*$/;

type NumericField = 'currentlyFailed' | 'totalFailed' | 'currentlyBanned' | 'totalBanned';
const NUMERIC_FIELDS: Record<string, NumericField> = {
  'Currently failed': 'currentlyFailed',
  'Total failed': 'totalFailed',
  'Currently banned': 'currentlyBanned',
  'Total banned': 'totalBanned',
};

export function parseStatus(stdout: string, stderr: string): StatusResult {
  const split = splitOutput(stdout, stderr);
  const jails: JailStatus[] = [];
  const unrecognised: string[] = [];
  const goneLines: string[] = [];
  let current: JailStatus | undefined;
  for (const rawLine of split.dataLines) {
    const line = rawLine.trimEnd();
    if (line.trim() === '') continue;
    if (JAIL_GONE.some((pattern) => pattern.test(line.trim()))) {
      goneLines.push(line.trim());
      current = undefined;
      continue;
    }
    const header = STATUS_HEADER.exec(line.trim());
    if (header) {
      // A jail reported twice continues its first entry: one tree node per jail.
      const name = cleanLabel(header[1]).trim();
      current = jails.find((jail) => jail.jail === name);
      if (!current) {
        current = { jail: name, fileList: [], bannedIps: [] };
        jails.push(current);
      }
      continue;
    }
    if (STATUS_SUBHEADING.test(line)) continue;
    const field = STATUS_FIELD.exec(line);
    if (!current || !field) {
      unrecognised.push(rawLine);
      continue;
    }
    const [, label, value] = field;
    if (label in NUMERIC_FIELDS && /^\d+$/.test(value.trim())) current[NUMERIC_FIELDS[label]] = Number(value.trim());
    else if (label === 'File list') current.fileList = value.split(/\s+/).filter((item) => item !== '');
    else if (label === 'Journal matches') current.journalMatches = value.trim();
    else if (label === 'Banned IP list') uniqueWords(value, current.bannedIps);
    else unrecognised.push(rawLine);
  }
  return { jails, unrecognised, failedJails: failedJailsOf(split, goneLines) };
}

// ---------------------------------------------------------------- log: `setup fail2ban log`

export interface LogResult {
  text: string;
  /** `cat: /var/log/mail/fail2ban.log: No such file or directory` (the script still exits 0). */
  missingFile: boolean;
}

export function parseLogResult(stdout: string, stderr: string): LogResult {
  return { text: stdout, missingFile: /No such file or directory/.test(stderr) };
}
