// Texts the robustness tests edit: DMS v15.1.0's default files (config-examples/, see
// docs in dms-fail2ban.md §4.1 and §4.4), a deliberately broken jail file, and a non-ASCII one.

export const DMS_DEFAULT_JAIL = `[DEFAULT]

# "bantime" is the number of seconds that a host is banned.
bantime = 1w

# A host is banned if it has generated "maxretry" during the last "findtime"
# seconds.
findtime = 1w

# "maxretry" is the number of failures before a host get banned.
maxretry = 6

# "ignoreip" can be a list of IP addresses, CIDR masks or DNS hosts. Fail2ban
# will not ban a host which matches an address in this list. Several addresses
# can be defined using space (and/or comma) separator.
ignoreip = 127.0.0.1/8

# default ban action
# nftables-multiport: block IP only on affected port
# nftables-allports:  block IP on all ports
banaction = nftables-allports

[dovecot]
enabled = true

[postfix]
enabled = true
# For a reference on why this mode was chose, see
# https://github.com/docker-mailserver/docker-mailserver/issues/3256#issuecomment-1511188760
mode = extra

# This jail is used for manual bans.
# To ban an IP address use: setup.sh fail2ban ban <IP>
[custom]
enabled = true
bantime = 180d
port = smtp,pop3,pop3s,imap,imaps,submission,submissions,sieve
`;

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
