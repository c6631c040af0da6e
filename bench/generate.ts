// Deterministic generator of big, realistic `fail2ban-jail.cf` files for the benchmarks: a commented
// [DEFAULT], the DMS jails, then many custom jails with the options people really set (stock filters with
// modes, multi-line logpath and action values, ignoreip lists, %(...)s references, inline comments) and,
// rarely, the mistakes people really make (typos, bad times, disabled jails left behind).
import { seededRandom as random } from '../test/support/random';

const HEADER = `# fail2ban-jail.cf — generated benchmark input (realistic shape, not a real server)
[DEFAULT]

# "bantime" is the number of seconds that a host is banned.
bantime = 1w

# A host is banned if it has generated "maxretry" during the last "findtime" seconds.
findtime = 1w
maxretry = 6

ignoreip = 127.0.0.1/8 ::1
           192.168.0.0/16 10.0.0.0/8 ; private networks

# default ban action
banaction = nftables-allports
bantime.increment = true
bantime.factor = 2
bantime.maxtime = 5w

[dovecot]
enabled = true

[postfix]
enabled = true
mode = extra

[custom]
enabled = true
bantime = 180d
port = smtp,pop3,pop3s,imap,imaps,submission,submissions,sieve
`;

const FILTERS = ['postfix[mode=aggressive]', 'dovecot[mode=aggressive]', 'postfix', 'dovecot', 'sieve', 'postfix[mode=auth]', 'recidive'];
const PORTS = ['smtp,465,submission', 'imap,imaps,pop3,pop3s', 'http,https', 'sieve', '25,587,465'];
const TIMES = ['10m', '1h', '6h', '1d', '1w', '30m 15s', '3600', '2d'];

function jailBlock(index: number, next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  // rare, realistic mistakes (about 3 % of the jails)
  const mistake = next();
  const lines: string[] = [];
  lines.push(`# custom jail ${index}: protect service ${index % 37} (ticket #${1000 + index})`);
  lines.push(`[mail-guard-${index}]`);
  const enabled = next() < 0.8;
  lines.push(`enabled = ${enabled ? 'true' : 'false'}`);
  lines.push(`filter = ${pick(FILTERS)}`);
  lines.push(`port = ${pick(PORTS)}`);
  if (mistake < 0.01) lines.push('bantime = 1hr');
  else if (next() < 0.5) lines.push(`bantime = ${pick(TIMES)}`);
  if (next() < 0.5) lines.push(`findtime = ${pick(TIMES)} ; window`);
  lines.push(mistake >= 0.01 && mistake < 0.02 ? `maxretyr = 3` : `maxretry = ${1 + Math.floor(next() * 9)}`);
  if (next() < 0.6) {
    lines.push('logpath = /var/log/mail/mail.log');
    if (next() < 0.3) lines.push('          /var/log/mail.log');
  }
  if (next() < 0.4) {
    lines.push(`ignoreip = %(known/ignoreip)s 203.0.113.${index % 250}/32 2001:db8::${(index % 65535).toString(16)}`);
  }
  if (next() < 0.3) {
    lines.push('action = %(action_)s');
    lines.push(`         nftables-multiport[name=guard${index}, port="%(port)s", protocol=tcp]`);
  }
  if (next() < 0.1) lines.push('usedns = no');
  if (mistake >= 0.02 && mistake < 0.03) lines.push('enabled2 = yes');
  lines.push('');
  return lines.join('\n') + '\n';
}

/** A jail file of at least `targetBytes` UTF-8 bytes (ASCII only, so bytes = characters). */
export function generateJailFile(targetBytes: number, seed = 42): string {
  const next = random(seed);
  const parts = [HEADER, '\n'];
  let size = HEADER.length + 1;
  for (let index = 1; size < targetBytes; index++) {
    const block = jailBlock(index, next);
    parts.push(block);
    size += block.length;
  }
  return parts.join('');
}

/** A jail file with at least `lineCount` lines. */
export function generateJailLines(lineCount: number, seed = 7): string {
  const next = random(seed);
  const parts = [HEADER, '\n'];
  let lines = HEADER.split('\n').length;
  for (let index = 1; lines < lineCount; index++) {
    const block = jailBlock(index, next);
    parts.push(block);
    lines += block.split('\n').length - 1;
  }
  return parts.join('');
}
