// fail2ban's own log (fail2ban 1.0.2–1.1.1 server/filter.py and server/actions.py): the `Found`, `Ban`,
// `Unban`, `Restore Ban` and `already banned` lines — what fail2ban actually did. Read line by line as it
// streams out of the container; only the events are kept (bounded), never the log.
import { parseWallTime, type WallSeconds } from './regexOutput';

export type BanEventKind = 'found' | 'ban' | 'unban' | 'restore' | 'already';

export interface BanEvent {
  /** 1-based line number in the fail2ban log. */
  line: number;
  /** Container-local time of the log line, `YYYY-MM-DD HH:MM:SS`. */
  time: string;
  seconds: WallSeconds;
  jail: string;
  kind: BanEventKind;
  ip: string;
  /** `Found IP - <time>`: the failure's own time (from the watched log). */
  failureTime?: string;
  /** The log line as written ('' for other addresses' Found lines, see BanLogReader). */
  text: string;
}

// 2026-12-06 08:25:19,209 fail2ban.filter         [8137]: INFO    [postfix] Found 203.0.113.5 - 2026-12-06 08:24:19
const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:,\d+)? fail2ban\.\w+\s*\[\d+\]: [A-Z]+\s+\[([^\]\s]+)\] (.*)$/;
const ACTION = /^(Found|Ban|Unban|Restore Ban|Increase Ban) (\S+)(?: - (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}))?/;
const ALREADY = /^(\S+) already banned/;

export function parseBanLogLine(text: string, line: number): BanEvent | undefined {
  const stamp = STAMP.exec(text);
  if (!stamp) return undefined;
  const [, year, month, day, hour, minute, second, jail, rest] = stamp;
  const time = `${year}-${month}-${day} ${hour}:${minute}:${second}`;
  const seconds = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) / 1000;
  const action = ACTION.exec(rest);
  if (action) {
    const kind: BanEventKind = action[1] === 'Found' ? 'found' : action[1] === 'Unban' ? 'unban' : action[1] === 'Restore Ban' ? 'restore' : 'ban';
    return { line, time, seconds, jail, kind, ip: action[2], ...(action[3] ? { failureTime: action[3] } : {}), text };
  }
  const already = ALREADY.exec(rest);
  if (already) return { line, time, seconds, jail, kind: 'already', ip: already[1], text };
  return undefined;
}

/** Most events kept; beyond it the oldest `found` events are dropped first (bans are what matter). */
export const MAX_BAN_EVENTS = 200_000;

export class BanLogReader {
  readonly events: BanEvent[] = [];
  lines = 0;
  dropped = 0;

  /** `Found` lines are many: their text is kept only for `focusIp` (the address "why banned" is about). */
  constructor(private readonly focusIp?: string) {}

  push(text: string): void {
    this.lines++;
    const event = parseBanLogLine(text, this.lines);
    if (!event) return;
    if (event.kind === 'found' && event.ip !== this.focusIp) event.text = '';
    this.events.push(event);
    if (this.events.length > MAX_BAN_EVENTS) {
      const index = this.events.findIndex((e) => e.kind === 'found');
      this.events.splice(index >= 0 ? index : 0, 1);
      this.dropped++;
    }
  }
}

export interface ActualBan {
  jail: string;
  ip: string;
  /** When fail2ban logged the ban. */
  at: string;
  /** Ban lines for the address in this jail within the period. */
  count: number;
}

/** Seconds fail2ban may take after the last failure to log the ban. */
const BAN_SLACK_SECONDS = 120;

/** What fail2ban banned in `jail` between `from` and `to` (plus its processing delay), first ban first. */
export function actualBansBetween(events: readonly BanEvent[], jail: string, from: WallSeconds, to: WallSeconds): ActualBan[] {
  const byIp = new Map<string, ActualBan>();
  for (const event of events) {
    if (event.jail !== jail || event.kind !== 'ban' || event.seconds < from || event.seconds > to + BAN_SLACK_SECONDS) continue;
    const known = byIp.get(event.ip);
    if (known) known.count++;
    else byIp.set(event.ip, { jail, ip: event.ip, at: event.time, count: 1 });
  }
  return [...byIp.values()];
}

export interface ActivityBucket {
  /** Start of the slot (wall seconds). */
  start: WallSeconds;
  bans: number;
  unbans: number;
}

export interface BanActivity {
  /** Slot width in seconds. */
  slotSeconds: number;
  /** Per jail, slots in time order (the same slots for every jail). */
  jails: { jail: string; buckets: ActivityBucket[]; bans: number; unbans: number }[];
  /** Addresses with the most bans (then Found lines). */
  topAddresses: { ip: string; bans: number; failures: number; jails: string[] }[];
  /** IPv4 /24 and IPv6 /64 networks with the most bans. */
  topNetworks: { network: string; bans: number; addresses: number }[];
  first?: string;
  last?: string;
  /** Lines of the fail2ban log read. */
  lines: number;
}

const SLOTS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400];
const MAX_SLOTS = 60;
const TOP = 10;

function networkOf(ip: string): string | undefined {
  const v4 = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.0/24`;
  if (ip.includes(':')) {
    const groups = ip.split('::')[0].split(':').slice(0, 4);
    if (groups.length === 4) return `${groups.join(':')}::/64`;
  }
  return undefined;
}

/** Bans and unbans per jail over time, top addresses and networks. */
export function banActivity(events: readonly BanEvent[], lines: number): BanActivity {
  const actions = events.filter((e) => e.kind === 'ban' || e.kind === 'unban' || e.kind === 'restore');
  const jailNames = [...new Set(events.filter((e) => e.kind !== 'found').map((e) => e.jail))].sort();
  const times = actions.map((e) => e.seconds);
  const first = times.length ? Math.min(...times) : 0;
  const last = times.length ? Math.max(...times) : 0;
  const slotSeconds = SLOTS.find((slot) => (last - first) / slot < MAX_SLOTS) ?? SLOTS[SLOTS.length - 1];
  const start = Math.floor(first / slotSeconds) * slotSeconds;
  const slotCount = times.length ? Math.floor((last - start) / slotSeconds) + 1 : 0;
  const jails = jailNames.map((jail) => ({
    jail,
    buckets: Array.from({ length: slotCount }, (_, i) => ({ start: start + i * slotSeconds, bans: 0, unbans: 0 })),
    bans: 0,
    unbans: 0,
  }));
  const addresses = new Map<string, { ip: string; bans: number; failures: number; jails: Set<string> }>();
  const address = (ip: string) => {
    let entry = addresses.get(ip);
    if (!entry) addresses.set(ip, (entry = { ip, bans: 0, failures: 0, jails: new Set() }));
    return entry;
  };
  for (const event of events) {
    if (event.kind === 'found') {
      address(event.ip).failures++;
      continue;
    }
    const jail = jails.find((j) => j.jail === event.jail);
    if (!jail || (event.kind !== 'ban' && event.kind !== 'unban')) continue;
    const bucket = jail.buckets[Math.floor((event.seconds - start) / slotSeconds)];
    if (event.kind === 'ban') {
      jail.bans++;
      if (bucket) bucket.bans++;
      const entry = address(event.ip);
      entry.bans++;
      entry.jails.add(event.jail);
    } else {
      jail.unbans++;
      if (bucket) bucket.unbans++;
    }
  }
  const ranked = [...addresses.values()].filter((a) => a.bans > 0).sort((a, b) => b.bans - a.bans || b.failures - a.failures || a.ip.localeCompare(b.ip));
  const networks = new Map<string, { network: string; bans: number; ips: Set<string> }>();
  for (const entry of ranked) {
    const network = networkOf(entry.ip);
    if (!network) continue;
    let net = networks.get(network);
    if (!net) networks.set(network, (net = { network, bans: 0, ips: new Set() }));
    net.bans += entry.bans;
    net.ips.add(entry.ip);
  }
  const format = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    slotSeconds,
    jails,
    topAddresses: ranked.slice(0, TOP).map((a) => ({ ip: a.ip, bans: a.bans, failures: a.failures, jails: [...a.jails].sort() })),
    topNetworks: [...networks.values()]
      .sort((a, b) => b.bans - a.bans || b.ips.size - a.ips.size || a.network.localeCompare(b.network))
      .slice(0, TOP)
      .map((n) => ({ network: n.network, bans: n.bans, addresses: n.ips.size })),
    ...(times.length ? { first: format(first), last: format(last) } : {}),
    lines,
  };
}

/** `fail2ban-client get JAIL banip --with-time`: `IP \t2026-12-06 08:24:29 + 604800 = 2026-12-13 08:24:29`. */
export interface BanTime {
  ip: string;
  bannedAt: string;
  banSeconds: number;
  /** `-1` bans (permanent) have no end. */
  until?: string;
}

const WITH_TIME = /^(\S+)\s+\t?(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) \+ (-?\d+) = (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|.*)$/;

export function parseBanTimes(stdout: string): BanTime[] {
  const out: BanTime[] = [];
  for (const line of stdout.split('\n')) {
    const match = WITH_TIME.exec(line.trim());
    if (!match) continue;
    const banSeconds = Number(match[3]);
    out.push({ ip: match[1], bannedAt: match[2], banSeconds, ...(banSeconds >= 0 && /^\d{4}-/.test(match[4]) ? { until: match[4] } : {}) });
  }
  return out;
}

/** Seconds left of a ban at `now` (wall seconds), undefined for a permanent ban. */
export function remainingSeconds(ban: BanTime, now: WallSeconds): number | undefined {
  if (!ban.until) return undefined;
  return Math.max(0, parseWallTime(ban.until) - now);
}
