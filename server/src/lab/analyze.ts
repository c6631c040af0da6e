// Per-address failures → would the jail ban? A sliding window over the failure times (maxretry failures
// within findtime seconds), addresses covered by `ignoreip` never banned. ignoreip entries are read with
// the same IPAddr rules fail2ban's server uses (values/ip.ts); DNS names are noted, not resolved.
import { fail2banFacts } from '../knowledge/releases';
import { classifyIgnoreIpEntry, ipAddr, splitIgnoreIp } from '../values/ip';
import { inNetwork, parseAddress } from './address';

export { inNetwork, parseAddress };
import type { Fail2banVersion } from '../types';
import { formatWallTime, type WallSeconds } from './regexOutput';
import type { IpSummary, LabWarning } from './types';

/** Most timeline points kept for the chart; beyond that every n-th failure is kept. */
export const MAX_TIMELINE_POINTS = 20_000;

interface IgnoreNet {
  text: string;
  family: 'inet4' | 'inet6';
  addr: bigint;
  plen: number;
}

export interface IgnoreList {
  nets: IgnoreNet[];
  entries: string[];
  warnings: LabWarning[];
}

export function readIgnoreIp(value: string, version: Fail2banVersion): IgnoreList {
  const nets: IgnoreNet[] = [];
  const warnings: LabWarning[] = [];
  const entries = splitIgnoreIp(value, fail2banFacts(version).ignoreIpSeparators).map((entry) => entry.text);
  const names: string[] = [];
  for (const entry of entries) {
    const kind = classifyIgnoreIpEntry(entry, fail2banFacts(version).ignoreIpFiles);
    if (kind.kind === 'dns-name' || kind.kind === 'file') names.push(entry);
    else if (kind.kind === 'invalid-mask') {
      warnings.push({ code: 'ignoreip-invalid', message: `ignoreip entry '${entry}' is invalid (${kind.error ?? 'bad mask'}); fail2ban does not start with it.` });
    } else {
      const parsed = ipAddr(entry);
      if (parsed.ok && parsed.ip.family !== 'raw') {
        nets.push({ text: entry, family: parsed.ip.family, addr: parsed.ip.addr, plen: Math.min(parsed.ip.plen, parsed.ip.family === 'inet4' ? 32 : 128) });
      }
    }
  }
  if (names.length > 0) {
    warnings.push({
      code: 'ignoreip-dns',
      message: `ignoreip names ${names.map((n) => `'${n}'`).join(', ')} are host names (or files); they were not resolved here, so addresses they stand for may be shown as would-be bans.`,
    });
  }
  return { nets, entries, warnings };
}

function ignoredBy(ip: string, list: IgnoreList): string | undefined {
  const address = parseAddress(ip);
  if (!address) return undefined;
  return list.nets.find((net) => inNetwork(address, net.family, net.addr, net.plen))?.text;
}

/**
 * First time `maxretry` failures fall within `findtime` seconds (times sorted). fail2ban keeps counting
 * while the newest failure is at most findtime after the first one it counts, so the window is closed.
 */
export function firstBanTime(sortedTimes: readonly number[], maxretry: number, findtime: number): number | undefined {
  const needed = Math.max(1, maxretry);
  for (let last = needed - 1; last < sortedTimes.length; last++) {
    if (sortedTimes[last] - sortedTimes[last - needed + 1] <= findtime) return sortedTimes[last];
  }
  return undefined;
}

/** Collects failures as they stream in; memory grows with the failures (numbers), never with the log. */
export class FailureTally {
  private readonly times = new Map<string, number[]>();
  private readonly timeline: { time: number; ip: string }[] = [];
  private timelineStride = 1;
  private seen = 0;
  total = 0;

  add(ip: string, time: WallSeconds): void {
    this.total++;
    let list = this.times.get(ip);
    if (!list) this.times.set(ip, (list = []));
    list.push(time);
    if (this.seen++ % this.timelineStride === 0) {
      this.timeline.push({ time, ip });
      if (this.timeline.length >= MAX_TIMELINE_POINTS) {
        // thin out: keep every second point, sample half as often from now on
        let kept = 0;
        for (let i = 0; i < this.timeline.length; i += 2) this.timeline[kept++] = this.timeline[i];
        this.timeline.length = kept;
        this.timelineStride *= 2;
      }
    }
  }

  summarize(maxretry: number, findtime: number, ignore: IgnoreList): { ips: IpSummary[]; wouldBan: string[]; timeline: { time: number; ip: string }[] } {
    const ips: (IpSummary & { banTime?: number })[] = [];
    for (const [ip, list] of this.times) {
      list.sort((a, b) => a - b);
      const ignored = ignoredBy(ip, ignore);
      const banTime = ignored === undefined ? firstBanTime(list, maxretry, findtime) : undefined;
      ips.push({
        ip,
        failures: list.length,
        first: formatWallTime(list[0]),
        last: formatWallTime(list[list.length - 1]),
        wouldBan: banTime !== undefined,
        ...(banTime !== undefined ? { wouldBanAt: formatWallTime(banTime), banTime } : {}),
        ...(ignored !== undefined ? { ignoredBy: ignored } : {}),
      });
    }
    const wouldBan = ips
      .filter((entry) => entry.banTime !== undefined)
      .sort((a, b) => (a.banTime ?? 0) - (b.banTime ?? 0) || a.ip.localeCompare(b.ip))
      .map((entry) => entry.ip);
    ips.sort((a, b) => b.failures - a.failures || a.ip.localeCompare(b.ip));
    const timeline = [...this.timeline].sort((a, b) => a.time - b.time);
    return { ips: ips.map(({ banTime: _banTime, ...rest }) => rest), wouldBan, timeline };
  }
}
