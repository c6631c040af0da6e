// Log files that exist in a running DMS container, per release (each release entry in releases.ts names its set).
// Only files the release's own configuration writes; each set names the DMS tag(s) and files it was read from.
export interface DmsLogFile {
  /** Absolute path; a `*` stands for a name part the user chooses (e.g. getmail's per-account logs). */
  path: string;
  /** Set for symlinks: the file it points to. */
  linksTo?: string;
  doc: string;
}

/** Log files of one DMS release, with the files they were read from. */
export interface DmsLogSet {
  /** DMS tag(s) and files the list was read from. */
  source: string;
  files: readonly DmsLogFile[];
}

const MAIL_LOG: DmsLogFile = { path: '/var/log/mail/mail.log', doc: "rsyslog's `mail.*` file: Postfix, Dovecot, Postgrey, Fetchmail and other mail services." };
const MAIL_LOG_LINK: DmsLogFile = { path: '/var/log/mail.log', linksTo: '/var/log/mail/mail.log', doc: "Symlink made by DMS's image so Debian's `syslog_mail` resolves." };
const CLAMAV_LOGS: readonly DmsLogFile[] = [
  { path: '/var/log/mail/clamav.log', doc: 'ClamAV daemon log (created by the image; written while ENABLE_CLAMAV=1).' },
  { path: '/var/log/mail/freshclam.log', doc: 'ClamAV signature updates (created by the image).' },
];
/** Debian 11's stock rsyslog.conf splits mail by priority (mail.info/mail.warn/mail.err); DMS's sed moves them to /var/log/mail/. */
const DEBIAN_11_MAIL_SPLIT: readonly DmsLogFile[] = ['info', 'warn', 'err'].map((level) => ({
  path: `/var/log/mail/mail.${level}`,
  doc: `rsyslog's \`mail.${level}\` file (Debian 11 images only: Debian 12's rsyslog.conf no longer splits mail logs).`,
}));
const FAIL2BAN_IN_MAIL_DIR: readonly DmsLogFile[] = [
  { path: '/var/log/mail/fail2ban.log', doc: "fail2ban's own log (`setup fail2ban log` prints it)." },
  { path: '/var/log/fail2ban.log', linksTo: '/var/log/mail/fail2ban.log', doc: "Symlink made by DMS's image (fail2ban's stock `logtarget`)." },
];
const FAIL2BAN_STOCK_LOG: DmsLogFile = { path: '/var/log/fail2ban.log', doc: "fail2ban's own log (stock `logtarget`; DMS v12.0 did not move it)." };
const RSPAMD_IN_MAIL_DIR: DmsLogFile = { path: '/var/log/mail/rspamd.log', doc: 'Rspamd (supervisord output, while ENABLE_RSPAMD=1).' };
const GETMAIL_MESSAGE_LOGS: DmsLogFile = {
  path: '/var/log/mail/getmail-*.log',
  doc: "getmail's `message_log`, one per getmail config file (while ENABLE_GETMAIL=1; since v15 getmail logs to syslog).",
};

/** supervisord's own log and its capture of each program's output (`stdout_logfile`), written once the program runs. */
function supervisorLogs(programs: readonly string[]): DmsLogFile[] {
  return [
    { path: '/var/log/supervisor/supervisord.log', doc: "supervisord's own log." },
    ...programs.map((program) => ({ path: `/var/log/supervisor/${program}.log`, doc: `supervisord's capture of the ${program} program's output.` })),
  ];
}

/** supervisord programs that log to /var/log/supervisor/<program>.log in every modelled release. */
const SUPERVISED_ALWAYS = [
  'amavis', 'changedetector', 'clamav', 'cron', 'dovecot', 'fail2ban', 'fetchmail', 'opendkim', 'opendmarc', 'postfix',
  'postsrsd', 'rspamd-redis', 'rsyslog', 'saslauthd_ldap', 'saslauthd_rimap', 'update-check',
];
const SASLAUTHD_UNTIL_V14 = ['saslauthd_mysql', 'saslauthd_pam', 'saslauthd_shadow'];

export const V15_LOGS: DmsLogSet = {
  source:
    'docker-mailserver v15.0.0, v15.1.0 and master (2026-08-19): Dockerfile (rsyslog.conf, clamd.conf and freshclam.conf seds, touch, ' +
    'symlinks), target/supervisor/{supervisord.conf,conf.d/dms-services.conf,conf.d/saslauth.conf}; Debian 12 rsyslog 8.2302 /etc/rsyslog.conf',
  files: [
    MAIL_LOG, MAIL_LOG_LINK, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR,
    ...supervisorLogs([...SUPERVISED_ALWAYS, 'getmail', 'mta-sts-daemon', 'postgrey']),
  ],
};


export const V14_LOGS: DmsLogSet = {
  source:
    'docker-mailserver v14.0.0: Dockerfile, target/supervisor/conf.d/dms-services.conf, target/scripts/startup/setup.d/getmail.sh ' +
    '(message_log); Debian 12 rsyslog 8.2302 /etc/rsyslog.conf',
  files: [
    MAIL_LOG, MAIL_LOG_LINK, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR, GETMAIL_MESSAGE_LOGS,
    ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'mta-sts-daemon', 'postgrey']),
  ],
};

/** One set for v12.1.0 – v13.x: the union (rspamd moved to /var/log/mail/ in v13.0.0, postgrey to supervisor/ in 13.x). */
export const V13_LOGS: DmsLogSet = {
  source:
    'docker-mailserver v12.1.0, v13.0.0 and v13.3.1: Dockerfile, target/supervisor/conf.d/supervisor-app.conf, ' +
    'target/scripts/startup/setup.d/getmail.sh; Debian 11 rsyslog.conf mail.info/warn/err rules (not re-read here)',
  files: [
    MAIL_LOG, MAIL_LOG_LINK, ...DEBIAN_11_MAIL_SPLIT, ...CLAMAV_LOGS, ...FAIL2BAN_IN_MAIL_DIR, RSPAMD_IN_MAIL_DIR, GETMAIL_MESSAGE_LOGS,
    ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'mta-sts-daemon', 'postgrey', 'rspamd']),
  ],
};

export const V12_0_LOGS: DmsLogSet = {
  source:
    'docker-mailserver v12.0.0: Dockerfile, target/supervisor/conf.d/supervisor-app.conf (postgrey output into mail.log); ' +
    'Debian 11 rsyslog.conf mail.info/warn/err rules (not re-read here)',
  files: [
    MAIL_LOG, MAIL_LOG_LINK, ...DEBIAN_11_MAIL_SPLIT, ...CLAMAV_LOGS, FAIL2BAN_STOCK_LOG,
    ...supervisorLogs([...SUPERVISED_ALWAYS, ...SASLAUTHD_UNTIL_V14, 'rspamd']),
  ],
};

/** The newest release's log files (completion lists them; the rules use the release in force). */
export const DMS_LOG_FILES: readonly DmsLogFile[] = V15_LOGS.files;
