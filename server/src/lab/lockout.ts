// Lock-out guard: a would-be-banned (or banned) address that is the container's Docker gateway, inside
// one of its own networks, or private/loopback and not in ignoreip. Behind rootless Docker's builtin port
// driver, a proxy or the userland proxy every client appears as the gateway, so banning it locks everyone
// out. Remedies as DMS documents them (docker-mailserver docs/content/config/security/fail2ban.md
// "Running Inside A Rootless Container"; docs/content/examples/tutorials/mailserver-behind-proxy.md).
import { inNetwork, parseAddress } from './address';
import type { LabWarning } from './types';

export interface ContainerNetwork {
  name: string;
  ipAddress?: string;
  prefixLength?: number;
  gateway?: string;
  ipv6Address?: string;
  ipv6PrefixLength?: number;
  ipv6Gateway?: string;
}

/** Private, loopback, link-local, shared (CGNAT) and unique-local ranges. */
const SPECIAL_RANGES: readonly { cidr: string; what: string }[] = [
  { cidr: '127.0.0.0/8', what: 'a loopback address' },
  { cidr: '10.0.0.0/8', what: 'a private address (10.0.0.0/8)' },
  { cidr: '172.16.0.0/12', what: 'a private address (172.16.0.0/12, Docker networks live here)' },
  { cidr: '192.168.0.0/16', what: 'a private address (192.168.0.0/16)' },
  { cidr: '100.64.0.0/10', what: 'a shared (carrier-grade NAT) address' },
  { cidr: '169.254.0.0/16', what: 'a link-local address' },
  { cidr: '::1/128', what: 'the IPv6 loopback address' },
  { cidr: 'fc00::/7', what: 'a unique-local IPv6 address' },
  { cidr: 'fe80::/10', what: 'a link-local IPv6 address' },
];

export const GATEWAY_REMEDY =
  'The real client addresses do not reach the container, so fail2ban sees the gateway for every connection. ' +
  "DMS's remedies: rootless Docker — use the slirp4netns port driver (DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=slirp4netns in " +
  '~/.config/systemd/user/docker.service.d/override.conf, then restart the daemon); rootless Podman — network_mode ' +
  '"slirp4netns:port_handler=slirp4netns" and NETWORK_INTERFACE=tap0; behind a reverse proxy — PROXY protocol end to end ' +
  '(postfix smtpd_upstream_proxy_protocol/postscreen_upstream_proxy_protocol = haproxy, Dovecot haproxy listeners). ' +
  'Until then add it to ignoreip ("Never ban this address").';

function rangeOf(cidr: string): { family: 'inet4' | 'inet6'; addr: bigint; plen: number } {
  const [address, plen] = cidr.split('/');
  const parsed = parseAddress(address);
  if (!parsed || parsed.family === 'raw') throw new Error(`bad built-in range ${cidr}`);
  return { family: parsed.family, addr: parsed.addr, plen: Number(plen) };
}
const SPECIAL = SPECIAL_RANGES.map((range) => ({ ...range, ...rangeOf(range.cidr) }));

/** One warning per address at most, the strongest reason first (gateway, own network, private range). */
export function lockoutWarnings(addresses: readonly string[], networks: readonly ContainerNetwork[], container?: string): LabWarning[] {
  const warnings: LabWarning[] = [];
  const where = container ? `container '${container}'` : 'the container';
  for (const ip of addresses) {
    const address = parseAddress(ip);
    if (!address || address.family === 'raw') continue;
    const gateway = networks.find((net) => [net.gateway, net.ipv6Gateway].some((g) => g && parseAddress(g)?.addr === address.addr && parseAddress(g)?.family === address.family));
    if (gateway) {
      warnings.push({
        code: 'lockout-gateway',
        ip,
        message: `LOCK-OUT RISK: ${ip} is the gateway of Docker network '${gateway.name}' of ${where}. Banning it locks out every client. ${GATEWAY_REMEDY}`,
      });
      continue;
    }
    const own = networks.find((net) =>
      (net.ipAddress && net.prefixLength !== undefined && sameNet(address, net.ipAddress, net.prefixLength)) ||
      (net.ipv6Address && net.ipv6PrefixLength !== undefined && sameNet(address, net.ipv6Address, net.ipv6PrefixLength)));
    if (own) {
      warnings.push({
        code: 'lockout-own-network',
        ip,
        message: `LOCK-OUT RISK: ${ip} is inside Docker network '${own.name}' of ${where} — another container (webmail, proxy) or the host. ` +
          'Banning it cuts off that service and everyone using it. If it acts for real clients, give the container their addresses ' +
          '(PROXY protocol) or add it to ignoreip ("Never ban this address").',
      });
      continue;
    }
    const special = SPECIAL.find((range) => inNetwork(address, range.family, range.addr, range.plen));
    if (special) {
      warnings.push({
        code: 'lockout-private',
        ip,
        message: `LOCK-OUT RISK: ${ip} is ${special.what} and not in ignoreip. It is probably your own network, a proxy or the Docker gateway — ` +
          'check before banning it, and add it to ignoreip ("Never ban this address") if it is yours.',
      });
    }
  }
  return warnings;
}

function sameNet(address: NonNullable<ReturnType<typeof parseAddress>>, networkAddress: string, prefixLength: number): boolean {
  const net = parseAddress(networkAddress);
  if (!net || net.family === 'raw' || prefixLength <= 0) return false;
  return inNetwork(address, net.family, net.addr, prefixLength);
}

/** `docker inspect --format '{{json .NetworkSettings.Networks}}'` (Docker and Podman field names). */
export function parseInspectNetworks(json: string): ContainerNetwork[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const int = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
  return Object.entries(parsed as Record<string, Record<string, unknown> | null>).map(([name, net]) => {
    const entry: ContainerNetwork = { name };
    if (!net) return entry;
    const fields: [keyof ContainerNetwork, unknown][] = [
      ['ipAddress', text(net.IPAddress)],
      ['prefixLength', int(net.IPPrefixLen)],
      ['gateway', text(net.Gateway)],
      ['ipv6Address', text(net.GlobalIPv6Address)],
      ['ipv6PrefixLength', int(net.GlobalIPv6PrefixLen)],
      ['ipv6Gateway', text(net.IPv6Gateway)],
    ];
    for (const [key, value] of fields) if (value !== undefined) (entry as unknown as Record<string, unknown>)[key] = value;
    return entry;
  });
}
