// Mail logs in docker-mailserver's format (/var/log/mail/mail.log: rsyslog's RFC 3339 timestamps with
// microseconds, host name, then postfix/dovecot's own messages), for the jail lab tests and the bench.
// Every event is known, so a test knows how many failures each address has and when they happened.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type MailEventKind = 'postfix-sasl' | 'postfix-connect' | 'dovecot-auth' | 'dovecot-unknown-user' | 'noise';

export interface MailEvent {
  /** UTC milliseconds */
  time: number;
  kind: MailEventKind;
  ip: string;
}

const HOST = 'mail';

function stamp(time: number): string {
  const iso = new Date(time).toISOString(); // 2026-12-05T10:00:01.123Z
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String(time % 1000).padStart(3, '0')}+00:00`;
}

/** One log line for an event (the postfix service varies as in DMS: smtpd, submission/smtpd, smtps/smtpd). */
export function mailLogLine(event: MailEvent, index = 0): string {
  const pid = 1000 + (index % 8000);
  const ts = stamp(event.time);
  switch (event.kind) {
    case 'postfix-sasl': {
      const service = ['postfix/smtpd', 'postfix/submission/smtpd', 'postfix/smtps/smtpd'][index % 3];
      const mechanism = index % 2 === 0 ? 'LOGIN' : 'PLAIN';
      return `${ts} ${HOST} ${service}[${pid}]: warning: unknown[${event.ip}]: SASL ${mechanism} authentication failed: UGFzc3dvcmQ6`;
    }
    case 'postfix-connect':
      return `${ts} ${HOST} postfix/smtpd[${pid}]: connect from unknown[${event.ip}]`;
    case 'dovecot-auth':
      return `${ts} ${HOST} dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<admin@example.com>, method=PLAIN, rip=${event.ip}, lip=172.17.0.2, TLS, session=<k${index.toString(36)}>`;
    case 'dovecot-unknown-user':
      return `${ts} ${HOST} dovecot: auth: passwd-file(nobody${index}@example.com,${event.ip}): unknown user`;
    case 'noise':
      return `${ts} ${HOST} postfix/qmgr[${pid}]: 4B${index.toString(16).toUpperCase()}: from=<news@example.org>, size=${4000 + (index % 900)}, nrcpt=1 (queue active)`;
  }
}

export function mailLogText(events: readonly MailEvent[]): string {
  return [...events].sort((a, b) => a.time - b.time).map((event, index) => mailLogLine(event, index)).join('\n') + '\n';
}

/** `count` failures of one kind from one address, `gapSeconds` apart, starting at `start` (UTC ms). */
export function burst(kind: MailEventKind, ip: string, start: number, count: number, gapSeconds: number): MailEvent[] {
  return Array.from({ length: count }, (_, i) => ({ kind, ip, time: start + i * gapSeconds * 1000 }));
}

/**
 * Writes a large log of about `bytes` bytes in chunks (never held whole): a repeating mix of SASL failures
 * from a rotating set of addresses and harmless queue lines. Returns the number of lines and SASL failures.
 */
export async function writeLargeMailLog(path: string, bytes: number, start = Date.UTC(2025, 0, 1)): Promise<{ lines: number; failures: number }> {
  const stream = createWriteStream(path);
  let written = 0;
  let lines = 0;
  let failures = 0;
  let chunk: string[] = [];
  while (written < bytes) {
    const isFailure = lines % 4 === 0;
    const ip = `203.0.${(lines >> 8) % 250}.${(lines % 250) + 1}`;
    const line = mailLogLine({ kind: isFailure ? 'postfix-sasl' : 'noise', ip, time: start + lines * 1000 }, lines) + '\n';
    if (isFailure) failures++;
    lines++;
    written += Buffer.byteLength(line);
    chunk.push(line);
    if (chunk.length >= 2000) {
      if (!stream.write(chunk.join(''))) await once(stream, 'drain');
      chunk = [];
    }
  }
  stream.end(chunk.join(''));
  await once(stream, 'finish');
  return { lines, failures };
}
