// Log files that exist in a running DMS container (each release entry in releases.ts names its list).
// source: docker-mailserver Dockerfile (log symlinks), target/supervisor/conf.d (fail2ban's supervisor log).
export interface DmsLogFile {
  path: string;
  /** Set for symlinks: the file it points to. */
  linksTo?: string;
  doc: string;
}

/** Log files known to exist in a running DMS container (only those the reference documents). */
export const DMS_LOG_FILES: readonly DmsLogFile[] = [
  { path: '/var/log/mail/mail.log', doc: 'Postfix, Dovecot and other mail service log.' },
  { path: '/var/log/mail.log', linksTo: '/var/log/mail/mail.log', doc: "Symlink made by DMS's image so Debian's `syslog_mail` resolves." },
  { path: '/var/log/mail/fail2ban.log', doc: 'fail2ban\'s own log (`setup fail2ban log` prints it).' },
  { path: '/var/log/fail2ban.log', linksTo: '/var/log/mail/fail2ban.log', doc: "Symlink made by DMS's image (fail2ban's stock `logtarget`)." },
  { path: '/var/log/supervisor/fail2ban.log', doc: 'supervisord\'s capture of the fail2ban-server output.' },
];

