// Texts the robustness tests edit: DMS v15.1.0's default files (config-examples/, the
// same text as target/fail2ban/jail.local), a deliberately broken jail file, and a non-ASCII one.
import { dmsJailLocal } from '../../../server/src/knowledge/dms';

export const DMS_DEFAULT_JAIL = dmsJailLocal('v15.1.0');

export const DMS_DEFAULT_SERVER = `[DEFAULT]
loglevel = INFO
logtarget = /var/log/fail2ban.log
syslogsocket = auto
socket = /var/run/fail2ban/fail2ban.sock
pidfile = /var/run/fail2ban/fail2ban.pid
#allowipv6 = auto
dbfile = /var/lib/fail2ban/fail2ban.sqlite3
dbpurgeage = 1d
dbmaxmatches = 10

[Definition]

[Thread]
#stacksize = 0
`;

/** Nearly every mistake at once, with unterminated constructs and CRLF/CR line ends mixed in. */
export const BROKEN_JAIL = [
  '\ufeff  orphan = before any section',
  '[DEFAULT',
  'bantime = 1hr',
  '[postfix]',
  'enabled = ture',
  'enabled = yes',
  'mode = aggresive',
  'action = %(action_mwl)s[name=%(__name__, port="%(port)s"',
  '         sendmail-whois[name=x',
  '  indented = line',
  'failregex = ^(<HOST>$',
  '            ^[unclosed',
  'ignoreip = 10.0.0.1/33 ::1/200 not-an-ip # a hash comment',
  'bantime.factor = 1 +',
  'backend = systemd[journalflags=9]',
  'logpath = %(nope)s %',
  '[postfix]\r\nmaxretry = x\r[dovecot] trailing junk',
  '=',
  ':',
  '[',
  ']',
  '[]',
  '%(',
  'key',
  '\t\t',
  'port = ' + 'a,'.repeat(40),
].join('\n');

export const NON_ASCII_JAIL = [
  '[DEFAULT]',
  'ignoreip = 127.0.0.1/8 héllo😀 10.0.0.1/99',
  '[postfix]',
  'mode = éxtra😀',
  '# ünïcode comment 😀😀',
  'bantime = 1hr',
  '',
].join('\n');

/** In NON_ASCII_JAIL: the invalid netmask '10.0.0.1/99' on line 1 starts at these offsets per encoding. */
export const NETMASK_START = { 'utf-16': 31, 'utf-8': 34, 'utf-32': 30 } as const;
