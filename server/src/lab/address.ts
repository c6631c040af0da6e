// Single addresses and network membership for the lab (fail2ban's IPAddr rules, values/ip.ts). Light on
// purpose: the lock-out guard uses it in the extension (through server/src/shared) without the engine.
import { ipAddr, type IpAddr } from '../values/ip';

export function parseAddress(text: string): IpAddr | undefined {
  const parsed = ipAddr(text);
  return parsed.ok && parsed.ip.family !== 'raw' && parsed.ip.isSingle ? parsed.ip : undefined;
}

export function inNetwork(ip: IpAddr, family: 'inet4' | 'inet6', addr: bigint, plen: number): boolean {
  if (ip.family !== family) return false;
  const width = family === 'inet4' ? 32 : 128;
  const shift = BigInt(width - plen);
  return ip.addr >> shift === addr >> shift;
}

