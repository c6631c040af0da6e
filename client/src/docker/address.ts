// Validates an address before it reaches `setup fail2ban ban|unban` or `ignoreip`.
// fail2ban accepts any string as a "raw" ban (dms-fail2ban.md §2.5: `not-an-ip` is banned happily),
// so the extension must be the one to refuse anything that is not an IPv4/IPv6 address or CIDR.
import { isIP } from 'node:net';

export interface ValidAddress {
  ok: true;
  /** The address as it will be sent (trimmed; IPv6 lower-cased). */
  address: string;
  family: 4 | 6;
  /** Prefix length when the input is a CIDR network, e.g. 24 for 192.0.2.0/24. */
  prefix?: number;
}

export interface InvalidAddress {
  ok: false;
  /** Says why, in words a user understands. */
  reason: string;
}

export type AddressCheck = ValidAddress | InvalidAddress;

const MAX_PREFIX: Record<4 | 6, number> = { 4: 32, 6: 128 };
/** Characters a shell, docker or fail2ban's own parser could give a meaning to. */
const FORBIDDEN_CHARACTERS = /[\s;&|`$<>()'"\\*?!{}[\]#~^,=%]/;

export function validateAddress(input: string): AddressCheck {
  const text = input.trim();
  if (text === '') return invalid('Enter an IPv4 or IPv6 address or a CIDR network.');
  if (text.startsWith('-')) return invalid(`'${text}' starts with '-' and could be read as an option.`);
  if (FORBIDDEN_CHARACTERS.test(text)) {
    return invalid(`'${text}' contains spaces or special characters; enter one address or CIDR network.`);
  }
  const slash = text.indexOf('/');
  const host = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(host);
  if (family !== 4 && family !== 6) return invalid(`'${text}' is not an IPv4 or IPv6 address.`);
  const address = family === 6 ? text.toLowerCase() : text;
  if (slash === -1) return { ok: true, address, family };

  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return invalid(`'${prefixText}' is not a prefix length (a number after '/').`);
  const prefix = Number(prefixText);
  if (prefix > MAX_PREFIX[family]) {
    return invalid(`/${prefix} is too long for an IPv${family} network (at most /${MAX_PREFIX[family]}).`);
  }
  // '/024' means /24 to fail2ban (Python int()); send the plain form so lists and ignoreip compare equal.
  return { ok: true, address: `${address.slice(0, slash)}/${prefix}`, family, prefix };
}

export function isValidAddress(input: string): boolean {
  return validateAddress(input).ok;
}

function invalid(reason: string): InvalidAddress {
  return { ok: false, reason };
}
