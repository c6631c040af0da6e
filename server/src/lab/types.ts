// Shared shapes of the jail lab: what `test-jail` reports (CLI JSON, the VS Code report).

/** A warning in the report; `code` is stable, `message` is for mail admins. */
export interface LabWarning {
  code:
    | 'lockout-gateway'
    | 'lockout-own-network'
    | 'lockout-private'
    | 'ignoreip-dns'
    | 'ignoreip-invalid'
    | 'known-regex'
    | 'log-glob'
    | 'regex-error'
    | 'no-matches'
    | 'output-capped'
    | 'sliding-window'
    | 'fail2ban-log'
    | 'log-truncated';
  message: string;
  /** The address a lock-out warning is about. */
  ip?: string;
}

export interface IpSummary {
  ip: string;
  failures: number;
  /** Container-local time of the first/last failure, `YYYY-MM-DD HH:MM:SS` (as fail2ban-regex prints it). */
  first: string;
  last: string;
  /** maxretry failures within findtime at some point (never for ignored addresses). */
  wouldBan: boolean;
  /** The failure that completes the first window of maxretry failures. */
  wouldBanAt?: string;
  /** The ignoreip entry that covers this address. */
  ignoredBy?: string;
}

export interface JailTestReport {
  jail: string;
  /** Where fail2ban-regex ran and what it read. */
  source: { where: 'container' | 'local'; container?: string; logPath: string; /** a local file or editor text streamed into the container */ uploaded?: string };
  /** fail2ban-regex's own counts ("Lines: N lines, I ignored, M matched, X missed"). */
  lines: number;
  matched: number;
  ignored: number;
  missed: number;
  /** Failures fail2ban-regex found (one line can hold several with multi-line regexes). */
  failures: number;
  maxretry: number;
  findtimeSeconds: number;
  ignoreip: string[];
  /** Most failures first. */
  ips: IpSummary[];
  /** Addresses the jail would ban, in order of their first would-be ban. */
  wouldBan: string[];
  /** A few of the lines no regex matched (fail2ban-regex prints at most maxlines + 1). */
  missedSamples: string[];
  /** Failure times for the timeline: [epoch-like seconds (container local time read as UTC), ip]. */
  timeline?: { time: number; ip: string }[];
  /** What fail2ban itself banned in this jail while the tested log was written (from its own log; container runs only). */
  actualBans?: { ip: string; at: string; count: number }[];
  /** The fail2ban log that was read for actualBans. */
  fail2banLog?: { path: string; lines: number };
  warnings: LabWarning[];
  /** What was run: the docker argv (`exec CONTAINER fail2ban-regex …`), or fail2ban-regex's arguments locally. */
  command: string[];
}
