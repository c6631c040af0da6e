// fail2ban `ignoreip`: the client's splitwords (helpers.py) and the server's IPAddr
// (fail2ban/server/ipdns.py, 1.1.0), including glibc inet_pton/inet_ntop rules, so that an entry
// is classified exactly as fail2ban will treat it. Only a non-contiguous mask is fatal; every
// other unreadable entry silently becomes a DNS name.
import type { Fail2banFacts } from '../knowledge/releases';
import { decimalDigitValue, isPyDecimal, isPySpace } from './pyText';
import { t } from '../l10n';
import { asciiOrUnicode } from '../lazyRegex';

export interface IgnoreIpEntry {
  text: string;
  /** UTF-16 offsets in the value. */
  start: number;
  end: number;
}

/** Client split of `ignoreip` (splitwords): 1.1.0+: runs of any whitespace or commas; 1.0.2: space, comma, newline. */
export function splitIgnoreIp(value: string, separators: Fail2banFacts['ignoreIpSeparators'] = 'comma-any-whitespace'): IgnoreIpEntry[] {
  const isSeparator =
    separators === 'space-comma-newline' ? (ch: string) => ch === ' ' || ch === ',' || ch === '\n' : (ch: string) => ch === ',' || isPySpace(ch);
  const out: IgnoreIpEntry[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isSeparator(value[i])) i++;
    let j = i;
    while (j < value.length && !isSeparator(value[j])) j++;
    // each word is then strip()ped (matters for 1.0.2, where a tab is not a separator)
    let a = i;
    let b = j;
    while (a < b && isPySpace(value[a])) a++;
    while (b > a && isPySpace(value[b - 1])) b--;
    if (b > a) out.push({ text: value.slice(a, b), start: a, end: b });
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------- glibc inet_pton / inet_ntop

/** glibc inet_pton(AF_INET): four decimal parts 0–255, no leading zeros. */
export function parseIPv4(text: string): number | null {
  let sawDigit = false;
  let octets = 0;
  let current = 0;
  const parts: number[] = [];
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      const next = current * 10 + (ch.charCodeAt(0) - 48);
      if (sawDigit && current === 0) return null;
      if (next > 255) return null;
      current = next;
      if (!sawDigit) {
        if (++octets > 4) return null;
        sawDigit = true;
      }
    } else if (ch === '.' && sawDigit) {
      if (octets === 4) return null;
      parts.push(current);
      current = 0;
      sawDigit = false;
    } else return null;
  }
  if (octets < 4) return null;
  parts.push(current);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** glibc inet_pton(AF_INET6) → 128-bit address. */
export function parseIPv6(text: string): bigint | null {
  const bytes: number[] = [];
  let colonAt = -1;
  let i = 0;
  if (text.length === 0) return null;
  if (text[0] === ':') {
    i = 1;
    if (i >= text.length || text[i] !== ':') return null;
  }
  let curtok = i;
  let digits = 0;
  let val = 0;
  while (i < text.length) {
    const ch = text[i++];
    const digit = /^[0-9a-fA-F]$/.test(ch) ? parseInt(ch, 16) : -1;
    if (digit >= 0) {
      if (digits === 4) return null;
      val = (val << 4) | digit;
      digits++;
      continue;
    }
    if (ch === ':') {
      curtok = i;
      if (digits === 0) {
        if (colonAt >= 0) return null;
        colonAt = bytes.length;
        continue;
      } else if (i >= text.length) return null;
      if (bytes.length + 2 > 16) return null;
      bytes.push((val >> 8) & 0xff, val & 0xff);
      digits = 0;
      val = 0;
      continue;
    }
    if (ch === '.' && bytes.length + 4 <= 16) {
      const v4 = parseIPv4(text.slice(curtok));
      if (v4 !== null) {
        bytes.push((v4 >>> 24) & 0xff, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff);
        digits = 0;
        i = text.length;
        break;
      }
    }
    return null;
  }
  if (digits > 0) {
    if (bytes.length + 2 > 16) return null;
    bytes.push((val >> 8) & 0xff, val & 0xff);
  }
  if (colonAt >= 0) {
    if (bytes.length === 16) return null;
    const tail = bytes.splice(colonAt);
    while (bytes.length + tail.length < 16) bytes.push(0);
    bytes.push(...tail);
  }
  if (bytes.length !== 16) return null;
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function formatIPv4(addr: number): string {
  return [24, 16, 8, 0].map((shift) => (addr >>> shift) & 0xff).join('.');
}

/** glibc inet_ntop(AF_INET6). */
function formatIPv6(addr: bigint): string {
  const words: number[] = [];
  for (let k = 7; k >= 0; k--) words.push(Number((addr >> BigInt(k * 16)) & 0xffffn));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let k = 0; k < 8; k++) {
    if (words[k] === 0) {
      if (cur.base === -1) cur = { base: k, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (best.base !== -1 && k >= best.base && k < best.base + best.len) {
      if (k === best.base) out += ':';
      continue;
    }
    if (k !== 0) out += ':';
    if (k === 6 && best.base === 0 && (best.len === 6 || (best.len === 7 && words[7] !== 0x0001) || (best.len === 5 && words[5] === 0xffff))) {
      out += formatIPv4(Number(addr & 0xffffffffn));
      break;
    }
    out += words[k].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

// ---------------------------------------------------------------- IPAddr

export interface IpAddr {
  family: 'inet4' | 'inet6' | 'raw';
  /** Address with host bits masked off (bigint for both families). */
  addr: bigint;
  plen: number;
  /** str(IPAddr): normalised address (+ "/plen" for subnets), or the raw text. */
  text: string;
  isSingle: boolean;
}

export type IpAddrResult = { ok: true; ip: IpAddr } | { ok: false; message: string };

const MASK32 = 0xffffffffn;
const MASK128 = (1n << 128n) - 1n;

/** Contiguous masks → prefix length (IPAddr.MAP_ADDR2MASKPLEN). */
function maskToPrefix(addr: bigint): number | null {
  if (addr === 0n) return 0;
  for (const [all, width] of [[MASK32, 32], [MASK128, 128]] as const) {
    for (let plen = 1; plen <= width; plen++) {
      const mask = (all >> BigInt(width - plen)) << BigInt(width - plen);
      if (mask === addr) return plen;
    }
  }
  return null;
}

/** `address/prefix` or `address/mask`; Python's \d is \p{Nd} (on ASCII text: [0-9]). */
function ipWithCidr(digit: string, flags: string): RegExp {
  const ip4 = `(?:${digit}{1,3}\\.){3}${digit}{1,3}`;
  const ip6 = '(?:[0-9a-fA-F]{1,4}::?|:){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)';
  return new RegExp(`^(${ip4}|${ip6})/(?:(${digit}+)|(${ip4}|${ip6}))(?=\\n?$)`, flags);
}
const ipWCidr = asciiOrUnicode(ipWithCidr('[0-9]', ''), () => ipWithCidr('\\p{Nd}', 'u'));

function pyDigitsToInt(digits: string): number {
  let n = 0;
  for (const ch of digits) n = n * 10 + decimalDigitValue(ch);
  return n;
}

/** IPAddr(text, cidr) for an already unwrapped address string. */
function makeIp(ipstr: string, cidr: number): IpAddrResult {
  if (ipstr.includes('\0')) return { ok: false, message: 'embedded null character' };
  const v4 = parseIPv4(ipstr);
  if (v4 !== null) {
    let addr = BigInt(v4);
    let plen = 32;
    if (cidr >= 0) {
      addr &= cidr >= 32 ? MASK32 : (MASK32 << BigInt(32 - cidr)) & MASK32;
      plen = cidr;
    }
    return { ok: true, ip: finish('inet4', addr, plen) };
  }
  const v6 = parseIPv6(ipstr);
  if (v6 !== null) {
    let addr = v6;
    let plen = 128;
    if (cidr >= 0) {
      addr &= cidr >= 128 ? MASK128 : (MASK128 << BigInt(128 - cidr)) & MASK128;
      plen = cidr;
    } else if (addr >> 32n === 0xffffn) {
      // IPv4-mapped IPv6 becomes IPv4
      return { ok: true, ip: finish('inet4', addr & MASK32, 32) };
    }
    return { ok: true, ip: finish('inet6', addr, plen) };
  }
  return { ok: true, ip: { family: 'raw', addr: 0n, plen: 0, text: ipstr, isSingle: false } };
}

function finish(family: 'inet4' | 'inet6', addr: bigint, plen: number): IpAddr {
  const width = family === 'inet4' ? 32 : 128;
  const base = family === 'inet4' ? formatIPv4(Number(addr)) : formatIPv6(addr);
  return { family, addr, plen, text: plen && plen < width ? `${base}/${plen}` : base, isSingle: plen === width };
}

/** Exactly `IPAddr(text)` of fail2ban 1.1.0 (the error case is the fatal invalid mask). */
export function ipAddr(text: string): IpAddrResult {
  let ipstr = text;
  if (ipstr.length > 2 && ipstr[0] === '[' && ipstr[ipstr.length - 1] === ']') ipstr = ipstr.slice(1, -1);
  if (!ipstr.includes('/')) return makeIp(ipstr, -1);
  const m = ipWCidr(ipstr).exec(ipstr);
  if (!m) return makeIp(ipstr, -1);
  let cidr: number;
  if (m[3] !== undefined) {
    const mask = makeIp(m[3], -1);
    if (!mask.ok) return mask;
    const plen = mask.ip.family === 'raw' ? 0 : maskToPrefix(mask.ip.addr);
    if (plen === null) return { ok: false, message: `invalid mask '${mask.ip.text}', no plen representation` };
    cidr = plen;
  } else cidr = pyDigitsToInt(m[2]);
  return makeIp(m[1], cidr);
}

export type IgnoreIpKind = 'ipv4' | 'ipv6' | 'cidr' | 'mask' | 'dns-name' | 'file' | 'invalid-mask';

export interface IgnoreIpClassification {
  kind: IgnoreIpKind;
  /** What fail2ban stores: normalised address/prefix, or the raw name. */
  normalized: string;
  family?: 'inet4' | 'inet6';
  prefixLength?: number;
  /** Fatal for 'invalid-mask': fail2ban's own message. */
  error?: string;
  /** For 'dns-name': why it looks like a mistyped address rather than a real host name. */
  mistypedIp?: string;
  /** /33 and more (IPv4) or /129 and more (IPv6): accepted, behaves as an exact match. */
  prefixTooLong?: boolean;
  /** /0: ignores every address of the family. */
  matchesEverything?: boolean;
  /** 127.0.0.1/8 is stored as 127.0.0.0/8. */
  hostBitsDropped?: boolean;
  /** A 'file:' entry read by a fail2ban without `file:` support (its `ignoreIpFiles` fact). */
  needsFileSupport?: boolean;
}

function mistypedReason(text: string): string | undefined {
  if (text.startsWith('#')) return t("'#' is not a comment in ignoreip: it and the words after it become host names");
  if (text.startsWith(';')) return t("';' is only a comment after a space");
  if (/^\[?[\p{Nd}.]+(?:\/.*)?\]?$/u.test(text) && /\./.test(text)) {
    const addressPart = text.replace(/^\[|\]$/g, '').split('/')[0];
    const parts = addressPart.split('.');
    if (parts.length !== 4) return t("'{0}' has {1} parts, an IPv4 address needs 4", addressPart, parts.length);
    if (parts.some((p) => /^0\d/.test(p))) return t('a leading zero makes the address invalid (fail2ban reads it as a host name)');
    if (parts.some((p) => p === '' || Number(p) > 255)) return t('each part of an IPv4 address must be 0–255');
    if (/[^0-9./]/.test(text)) return t('only ASCII digits are valid in an address');
    return t('not a valid address or prefix');
  }
  if (/^\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*(?:%\S*)?(?:\/.*)?\]?$/.test(text)) {
    if (text.includes('%')) return t('zone ids (%eth0) are not accepted');
    return t('not a valid IPv6 address');
  }
  if (/\//.test(text)) return t('not a valid address/prefix');
  if (/^[\p{Nd}.]+$/u.test(text)) return t('not a valid IPv4 address');
  return undefined;
}

/** Classifies one `ignoreip` entry as the fail2ban server will treat it. */
export function classifyIgnoreIpEntry(entry: string, fileEntries = false): IgnoreIpClassification {
  if (fileEntries && entry.startsWith('file:')) return { kind: 'file', normalized: entry };
  const result = ipAddr(entry);
  if (!result.ok) return { kind: 'invalid-mask', normalized: entry, error: result.message };
  const ip = result.ip;
  if (ip.family === 'raw') {
    const out: IgnoreIpClassification = { kind: 'dns-name', normalized: ip.text };
    const reason = entry.startsWith('file:') ? undefined : mistypedReason(entry);
    if (reason) out.mistypedIp = reason;
    if (entry.startsWith('file:')) out.needsFileSupport = true;
    return out;
  }
  const width = ip.family === 'inet4' ? 32 : 128;
  const hasSlash = entry.includes('/');
  const out: IgnoreIpClassification = {
    kind: !hasSlash ? (ip.family === 'inet4' ? 'ipv4' : 'ipv6') : /\/[^/]*[.:]/.test(entry) ? 'mask' : 'cidr',
    normalized: ip.text,
    family: ip.family,
    prefixLength: ip.plen,
  };
  if (hasSlash) {
    if (ip.plen > width) out.prefixTooLong = true;
    if (ip.plen === 0) out.matchesEverything = true;
    const unmasked = ipAddr(entry.replace(/^\[|\]$/g, '').split('/')[0]);
    if (unmasked.ok && unmasked.ip.family === ip.family && unmasked.ip.addr !== ip.addr) out.hostBitsDropped = true;
  }
  return out;
}

export { isPyDecimal };
