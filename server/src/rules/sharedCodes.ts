// Codes that several rules report (e.g. version-feature from the ignoreip, backend and unknown-name rules):
// declared once here, put into each reporting rule's code table.
import type { CodeMeta } from './rule';

export const SHARED_CODES = {
  'version-feature': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'Something that does not exist in the target fail2ban version.',
    docs:
      'fail2ban versions differ: `skip_if_nologs`/`systemd_if_nologs`, `file:` entries in `ignoreip`, `?family=` action ' +
      'parameters and some jails/filters are new in 1.1.1; the `gamin` backend is gone since 1.1.0. DMS v16 ships ' +
      'fail2ban 1.1.1, v15 1.1.0, v12–v14 1.0.2 (README version table).',
  },
  'invalid-value': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A value fail2ban rejects or silently replaces (backend, logencoding, logtimezone, usedns, server options…).',
    docs:
      'Values checked by the fail2ban server when it starts: `backend` must be `auto`, `pyinotify`, `polling` or `systemd[…]` ' +
      "(`Unknown backend foo` stops fail2ban), `logencoding` a Python codec (`unknown encoding: foo`), `logtimezone` a fixed offset " +
      "such as `UTC+0200` (`Unknown or unsupported time zone: 'Europe/Berlin'`), `loglevel` a level name (`Invalid log level`). " +
      'Some are only coerced: `usedns = maybe` becomes `no`, `allowipv6 = Auto` means off. A jail named `--all` is refused.\n\n' +
      'In DMS, `setup fail2ban log` prints `/var/log/mail/fail2ban.log` (another `logtarget` hides the messages from it) and the ban ' +
      'database persists only under `/var/lib/fail2ban/`.',
  },
  'invalid-definition': {
    defaultSeverity: 'error',
    outcome: 'jail-dropped',
    description: "A 'name[param=value, …]' value fail2ban cannot parse.",
    docs:
      '`filter` and `action` values are `name[key=value, key2="a, b"]`. A missing `]`, text after `]` or a bare word makes ' +
      "fail2ban skip the jail: `Invalid filter definition 'postfix[mode=aggressive': unexpected option syntax`. Values containing " +
      '`,` or `]` must be quoted.',
  },
  'self-referencing-tag': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'A filter/action parameter that refers to itself with <tag>.',
    docs:
      '`action = nftables[port="<port>"]` or `filter = postfix[mode="<mode>"]` make fail2ban stop with `properties contain self ' +
      'referencing definitions and cannot be resolved`. Pass the jail value with `%(port)s` instead.',
  },
  'systemd-in-dms': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'backend = systemd in DMS, which has no journald.',
    docs:
      'DMS installs python3-systemd, so the systemd backend starts, but the container runs no journald: the journal stays empty ' +
      'and the jail never bans. DMS services log to files under `/var/log/mail/`; keep `backend = auto` and a `logpath`. ' +
      "fail2ban 1.1.1 (DMS v16) puts stock [sshd], [postfix], [postfix-rbl] and [postfix-sasl] on systemd itself (paths-debian.conf " +
      '`sshd_backend`/`postfix_backend = systemd`): a jail you enable from that list needs `backend = auto`. DMS v16 enables [postfix] ' +
      'as shipped; whether its own files override the backend could not be confirmed (see the README version table).',
  },
} as const satisfies Record<string, CodeMeta>;
