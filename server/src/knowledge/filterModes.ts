// What each `mode` of the stock filters that have modes catches, in an admin's words (issue 14.3).
// Which modes exist per fail2ban version (and the stock default) comes from the generated filter tables
// (filters.ts); this table only explains them. DMS's own choice per release is in releases.ts (jailLocal).
// source: fail2ban 1.1.1 config/filter.d/<filter>.conf (the `mdre-<mode>` / `mdpr-<mode>` definitions and the
// "Parameter mode" comments); the mode semantics are the same in 1.0.2 and 1.1.0 except where `since` says.
import { DEFAULT_DMS_VERSION, type DmsVersion } from '../types';
import { dmsRelease } from './dms';

export interface FilterModeText {
  /** What log lines the mode bans on. */
  catches: string;
  /** fail2ban version the mode appeared in (absent: in every modelled version). */
  since?: string;
}

/** filter → mode → explanation. */
export const FILTER_MODE_TEXTS: Readonly<Record<string, Readonly<Record<string, FilterModeText>>>> = {
  postfix: {
    normal: { catches: 'SMTP rejections: relay access denied, unknown users, rejected client hosts/HELO/senders, "too many errors" and pipelining.' },
    rbl: { catches: 'Only clients blocked by a DNS blocklist (554 5.7.1 "Client host … blocked").' },
    more: { catches: 'normal + rbl (the same lines as normal, which already includes the blocklist rule).' },
    auth: { catches: 'Only failed SASL logins (LOGIN/PLAIN/CRAM-MD5/DIGEST-MD5 "authentication failed").' },
    ddos: { catches: 'Connection abuse: lost connections before DATA/AUTH, PREGREET/HANGUP, command time/count limits, connection rate limits.' },
    extra: { catches: 'auth + normal: failed SASL logins and SMTP rejections (no connection-abuse rules).' },
    aggressive: { catches: 'Everything: auth + normal + ddos, and hostnames that do not resolve to the client address.' },
    errors: { catches: 'Only "too many errors after …" (postconf smtpd_hard_error_limit); meant for a jail with maxretry = 1.' },
  },
  dovecot: {
    normal: { catches: 'Failed logins (password mismatch, unknown user, auth failures of the passdb).' },
    aggressive: { catches: "normal + clients that disconnect without logging in ('no auth attempts', 'client didn't finish SASL auth'); may ban misconfigured clients." },
  },
  sshd: {
    normal: { catches: 'Failed SSH logins: wrong passwords, invalid users, refused keys.' },
    ddos: { catches: 'normal + connections without identification or that time out before authentication.' },
    extra: { catches: 'normal + clients offering no usable authentication method or no matching ciphers/key exchange.' },
    aggressive: { catches: 'Everything: normal + ddos + extra.' },
  },
  exim: {
    normal: { catches: 'Failed SMTP AUTH (535 Incorrect authentication data); up to 1.1.0 also sender-verify failures and rejected RCPTs.' },
    more: { catches: 'normal + sender-verify failures, rejected RCPTs, protocol errors and dropped connections.', since: '1.1.1' },
    aggressive: { catches: 'Everything: more + clients whose IP has no host name, or whose host name has no IP (not auth failures; false positives likely).' },
  },
  'sendmail-reject': {
    normal: { catches: 'Rejected relaying and recipients, and other sendmail rejections.' },
    extra: { catches: 'normal + clients that did not issue MAIL/EHLO during the connection.' },
    aggressive: { catches: 'normal + extra.' },
  },
  'apache-auth': {
    normal: { catches: 'Failed HTTP authentication, ignoring mod_evasive messages.' },
    aggressive: { catches: 'normal + mod_evasive (DoS/brute-force detection) messages.' },
  },
  'nginx-http-auth': {
    normal: { catches: 'Failed HTTP basic authentication (password mismatch, unknown user).' },
    fallback: { catches: 'Only failed SSL handshakes/reads.' },
    auth: { catches: 'The same as normal: failed HTTP basic authentication.' },
    aggressive: { catches: 'normal + failed SSL handshakes/reads.' },
  },
  'traefik-auth': {
    normal: { catches: 'HTTP 401 answers with a user name (failed logins).' },
    ddos: { catches: 'HTTP 401 answers without a user name (requests without credentials).' },
    aggressive: { catches: 'Every HTTP 401 answer, with or without a user name.' },
  },
  freeswitch: {
    normal: { catches: "Requests for users that do not exist (\"Can't find user\")." },
    ddos: { catches: 'SIP auth failures and challenges (REGISTER/INVITE).' },
    extra: { catches: 'normal + ddos (the stock default).' },
  },
};

/** What `mode` of `filter` catches, or undefined when we have no text for it. */
export function filterModeText(filter: string, mode: string): FilterModeText | undefined {
  return FILTER_MODE_TEXTS[filter]?.[mode.toLowerCase()];
}

/**
 * The mode DMS's jail.local sets for `jail` in a release (`[postfix] mode = extra`), or undefined when DMS
 * leaves the jail's mode alone. source: DMS target/fail2ban/jail.local per release (releases.ts jailLocal).
 */
export function dmsJailMode(jail: string, version: DmsVersion = DEFAULT_DMS_VERSION): string | undefined {
  return jail === 'postfix' ? dmsRelease(version).jailLocal.postfixMode : undefined;
}
