// "Why was this banned?" against the stand-in's REAL fail2ban 1.1.0: a SASL brute force stamped now is
// appended to the watched mail log, fail2ban bans it for real; the report must show fail2ban's own
// Found/Ban lines, the mail log lines for the address (with their line numbers), the ban count and the
// remaining ban time from `fail2ban-client get postfix banip --with-time`, and the lock-out guard.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { formatWhyBanned, whyBanned, whyBannedLinks } from '../../../server/src/lab';
import { runDocker, startDmsContainer, type DmsContainer } from '../../support/dmsContainer';
import { burst, mailLogText } from '../../support/mailLog';
import { until } from '../../support/poll';

describe('why was this banned? (stand-in, real fail2ban 1.1.0)', () => {
  let dms: DmsContainer;
  const docker = { runtime: 'docker', container: 'mailserver' };

  before(async () => {
    dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
    appendFileSync(dms.hostPath('/var/log/mail/mail.log'), mailLogText([
      ...burst('noise', '0.0.0.0', Date.now() - 200e3, 5, 1),
      ...burst('postfix-sasl', '203.0.113.88', Date.now() - 90e3, 7, 2),
      ...burst('postfix-sasl', '203.0.113.8', Date.now() - 90e3, 2, 2), // a prefix of the address: not it
    ]));
    const fail2banLog = dms.hostPath('/var/log/mail/fail2ban.log');
    await until('the real ban', () => /\[postfix\] Ban 203\.0\.113\.88/.test(readFileSync(fail2banLog, 'utf8')), { watchFile: fail2banLog });
  });
  after(async () => dms?.stop());

  it('Found and Ban lines, the mail log lines, ban count and remaining time', async () => {
    const outcome = await whyBanned({ docker, jail: 'postfix', ip: '203.0.113.88', env: dms.env });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    const report = outcome.report;
    assert.equal(report.fail2banLog, '/var/log/mail/fail2ban.log');
    assert.deepEqual(report.events.map((event) => event.kind), ['found', 'found', 'found', 'found', 'found', 'found', 'found', 'ban']);
    const fail2banLines = readFileSync(dms.hostPath('/var/log/mail/fail2ban.log'), 'utf8').split('\n');
    for (const event of report.events) assert.equal(fail2banLines[event.line - 1], event.text);
    assert.equal(report.banCount, 1);
    // what fail2ban says it watches (`get postfix logpath`): DMS's /var/log/mail.log → mail/mail.log link
    assert.equal(report.logPath, '/var/log/mail.log');
    assert.equal(report.logLines.length, 7);
    const mailLines = readFileSync(dms.hostPath('/var/log/mail/mail.log'), 'utf8').split('\n');
    for (const hit of report.logLines) {
      assert.equal(mailLines[hit.line - 1], hit.text);
      assert.match(hit.text, /unknown\[203\.0\.113\.88\]: SASL/);
    }
    assert.ok(report.current, 'fail2ban holds the ban');
    assert.equal(report.current.banSeconds, 604800); // DMS's postfix jail: bantime 1w
    assert.ok(report.current.remainingSeconds !== undefined && report.current.remainingSeconds > 0 && report.current.remainingSeconds <= 604800);
    assert.deepEqual(report.warnings, []);

    const text = formatWhyBanned(report);
    assert.match(text, /^Banned since \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} for 7d 0h, until /m);
    assert.match(text, /^Bans in fail2ban's log: 1\.$/m);
    const links = whyBannedLinks(text);
    assert.equal(links.length, 8 + 7);
    assert.ok(links.some((link) => link.path === '/var/log/mail.log' && mailLines[link.logLine - 1].includes('203.0.113.88')));
    const banLink = links.find((link) => link.path === '/var/log/mail/fail2ban.log' && fail2banLines[link.logLine - 1].includes('Ban 203.0.113.88'));
    assert.ok(banLink);
    assert.equal(text.split('\n')[banLink.line].slice(banLink.start, banLink.end), `/var/log/mail/fail2ban.log:${banLink.logLine}`);
  });

  it('the Docker gateway banned by hand: the lock-out warning with the remedy; no ban held after unban', async () => {
    const ban = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'set', 'postfix', 'banip', '172.17.0.1']);
    assert.equal(ban.exitCode, 0, ban.stderr);
    const outcome = await whyBanned({ docker, jail: 'postfix', ip: '172.17.0.1', env: dms.env });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.report.warnings.map((w) => w.code), ['lockout-gateway']);
    assert.match(outcome.report.warnings[0].message, /slirp4netns/);
    assert.ok(outcome.report.current);
    await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'set', 'postfix', 'unbanip', '172.17.0.1']);
    const after = await whyBanned({ docker, jail: 'postfix', ip: '172.17.0.1', env: dms.env });
    assert.ok(after.ok);
    assert.equal(after.report.current, undefined);
    assert.match(formatWhyBanned(after.report), /does not hold a ban for 172\.17\.0\.1/);
  });

  it('refuses a bad jail name or container before running anything', async () => {
    const before = dms.invocations().length;
    assert.deepEqual(await whyBanned({ docker, jail: 'postfix; rm -rf /', ip: '192.0.2.1', env: dms.env }), { ok: false, message: "'postfix; rm -rf /' is not a jail name" });
    const bad = await whyBanned({ docker: { runtime: 'docker', container: '-it' }, jail: 'postfix', ip: '192.0.2.1', env: dms.env });
    assert.equal(bad.ok, false);
    assert.equal(dms.invocations().length, before);
  });
});
