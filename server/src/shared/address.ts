// Validates an address before it reaches `setup fail2ban ban|unban` or `ignoreip`.
// fail2ban accepts any string as a "raw" ban (DMS target/bin/fail2ban passes the text to `fail2ban-client set custom banip`; fail2ban 1.1.0
// server/ipdns.py IPAddr keeps an unparsable string as a raw address, so `not-an-ip` is banned happily),
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

/**
 * Networks so wide that banning or ignoring them is almost certainly a mistake: any /0 (`0.0.0.0/0`, `::/0`,
 * `1.2.3.4/0`: fail2ban masks the host bits, so every /0 covers the whole family), IPv4 prefixes shorter than
 * /8 (each covers over 33 million addresses; /8 itself, e.g. 10.0.0.0/8 or 127.0.0.1/8, is a common ignoreip
 * entry), and IPv6 prefixes shorter than /7 (2000::/3 is the whole global unicast space; fc00::/7 is common).
 */
export const WIDE_PREFIX_BELOW: Readonly<Record<4 | 6, number>> = { 4: 8, 6: 7 };

export interface WideNetwork {
  /** A /0: every address of the family. */
  everything: boolean;
  family: 4 | 6;
  prefix: number;
}

export function wideNetwork(address: ValidAddress): WideNetwork | undefined {
  if (address.prefix === undefined || address.prefix >= WIDE_PREFIX_BELOW[address.family]) return undefined;
  return { everything: address.prefix === 0, family: address.family, prefix: address.prefix };
}

export interface WideNetworkConfirmation {
  /** The modal warning: what the action really does. */
  message: string;
  /** The one button that goes ahead; distinct from the everyday "Ban" / "Add". */
  button: string;
}

/**
 * The explicit confirmation a wide network needs before it is banned or added to ignoreip (asked even when
 * dmsFail2ban.confirmActions is off), or undefined for an ordinary address or network.
 */
export function wideNetworkConfirmation(input: string, action: 'ban' | 'ignore'): WideNetworkConfirmation | undefined {
  const checked = validateAddress(input);
  if (!checked.ok) return undefined;
  const wide = wideNetwork(checked);
  if (!wide) return undefined;
  const family = `IPv${wide.family}`;
  const covers = wide.everything
    ? `${checked.address} covers every ${family} address`
    : `${checked.address} covers ${addressCount(wide)} addresses (${share(wide.prefix)} of all ${family} addresses)`;
  if (action === 'ban') {
    return {
      message: `${covers}. Banning it blocks ${wide.everything ? `every ${family} client` : 'all of them'} from the mail server — very likely including you and the servers that deliver your mail.`,
      button: wide.everything ? `Ban Every ${family} Address` : 'Ban the Whole Range',
    };
  }
  return {
    message: `${covers}. In ignoreip it makes fail2ban never ban ${wide.everything ? `any ${family} client` : 'any of them'}: brute-force protection stops for ${wide.everything ? 'all of them' : 'that whole range'}.`,
    button: wide.everything ? `Never Ban Any ${family} Address` : 'Never Ban the Whole Range',
  };
}

function addressCount(wide: WideNetwork): string {
  const bits = (wide.family === 4 ? 32 : 128) - wide.prefix;
  return wide.family === 4 ? (2 ** bits).toLocaleString('en-US') : `2^${bits}`;
}

function share(prefix: number): string {
  return `${Number((100 / 2 ** prefix).toPrecision(3))}%`;
}
