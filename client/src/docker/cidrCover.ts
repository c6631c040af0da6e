// Which banned networks still block an address after `unban <IP>`. fail2ban unbans only the exact entry:
// `set <jail> unbanip 192.0.2.7` leaves a ban of 192.0.2.0/24 in place, and DMS prints 0 for every jail
// either way (target/bin/fail2ban `unban`), so without this check the user sees "not banned" while the
// firewall still drops the address. Pure functions.
import { isIP } from 'node:net';
import { t } from '../l10n';

export interface CoveringBan {
  /** The banned network as fail2ban lists it, e.g. 192.0.2.0/24. */
  network: string;
  jail: string;
}

/** An address or network as a bit string prefix: family, value and prefix length. */
interface Network {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIPv6(text: string): bigint | undefined {
  // an embedded IPv4 tail (::ffff:192.0.2.1) becomes two hextets
  let body = text.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4) {
    const value = parseIPv4(v4[1]);
    body = `${body.slice(0, v4.index)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

export function parseNetwork(text: string): Network | undefined {
  const [host, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const family = isIP(host);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return undefined;
  const bits = family === 4 ? parseIPv4(host) : parseIPv6(host);
  return bits === undefined ? undefined : { family, bits, prefix };
}

/** true when `outer` contains every address of `inner` (same family, shorter or equal prefix). */
export function networkContains(outer: string, inner: string): boolean {
  const a = parseNetwork(outer);
  const b = parseNetwork(inner);
  if (!a || !b || a.family !== b.family || a.prefix > b.prefix) return false;
  const width = a.family === 4 ? 32 : 128;
  const shift = BigInt(width - a.prefix);
  return a.bits >> shift === b.bits >> shift;
}

/**
 * Bans that still cover `address` once its own entry is gone: every banned network (an entry with a prefix
 * shorter than a single host) that contains it. The address's own entry is not "covering".
 */
export function coveringBans(address: string, jails: ReadonlyArray<{ jail: string; ips: readonly string[] }>): CoveringBan[] {
  const target = parseNetwork(address);
  if (!target) return [];
  const covering: CoveringBan[] = [];
  for (const { jail, ips } of jails) {
    for (const entry of ips) {
      const network = parseNetwork(entry);
      if (!network || network.family !== target.family || network.prefix >= target.prefix) continue;
      if (networkContains(entry, address)) covering.push({ network: entry, jail });
    }
  }
  return covering;
}

/** "still blocked by the ban of 192.0.2.0/24 in custom" (and of … in …). */
export function describeCover(address: string, covering: readonly CoveringBan[]): string {
  const bans = covering.map((ban) => t('{0} in {1}', ban.network, ban.jail)).join(t(' and of '));
  return t('{0} is still blocked by the ban of {1}: fail2ban only removes the exact entry, so unban that network to let {0} in.', address, bans);
}
