// Ban activity from fail2ban's own log against the stand-in's REAL fail2ban 1.1.0: brute forces stamped now
// make fail2ban ban for real in [postfix] and [dovecot]; a manual ban lands in [custom]; one unban. The
// activity must count exactly the Ban/Unban lines fail2ban wrote, per jail, and rank addresses/networks.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context';
import { buildLogView, readBanActivity } from '../../../server/src/lab';
import { lockoutCheck } from '../../../server/src/lab/api';
import { runDocker, startDmsContainer, type DmsContainer } from '../../support/dmsContainer';
import { burst, mailLogText } from '../../support/mailLog';
import { until } from '../../support/poll';

describe('ban activity, log document and lock-out check (stand-in, real fail2ban 1.1.0)', () => {
  let dms: DmsContainer;
  const docker = { runtime: 'docker', container: 'mailserver' };
  const fail2banLog = () => readFileSync(dms.hostPath('/var/log/mail/fail2ban.log'), 'utf8');

  before(async () => {
    dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
    const now = Date.now() - 100e3;
    appendFileSync(dms.hostPath('/var/log/mail/mail.log'), mailLogText([
      ...burst('postfix-sasl', '203.0.113.10', now, 7, 1),
      ...burst('postfix-sasl', '203.0.113.11', now + 500, 7, 1),
      ...burst('dovecot-auth', '198.51.100.40', now + 800, 7, 1),
    ]));
    await until('three real bans', () => {
      const text = fail2banLog();
      return ['[postfix] Ban 203.0.113.10', '[postfix] Ban 203.0.113.11', '[dovecot] Ban 198.51.100.40'].every((line) => text.includes(line));
    }, { watchFile: dms.hostPath('/var/log/mail/fail2ban.log') });
    assert.equal((await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban', 'ban', '192.0.2.99'])).exitCode, 0);
    assert.equal((await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban', 'unban', '203.0.113.11'])).exitCode, 0);
    await until('the unban line', () => fail2banLog().includes('[postfix] Unban 203.0.113.11'), { watchFile: dms.hostPath('/var/log/mail/fail2ban.log') });
  });
  after(async () => dms?.stop());

  it('bans and unbans per jail, equal to the Ban/Unban lines fail2ban wrote; top addresses and networks', async () => {
    const read = await readBanActivity(docker, dms.env);
    assert.ok(read);
    assert.equal(read.path, '/var/log/mail/fail2ban.log');
    const text = fail2banLog();
    const count = (jail: string, what: 'Ban' | 'Unban') => text.split('\n').filter((line) => new RegExp(`\\[${jail}\\] ${what} `).test(line)).length;
    const byJail = Object.fromEntries(read.activity.jails.map((jail) => [jail.jail, [jail.bans, jail.unbans]]));
    assert.deepEqual(byJail, { custom: [count('custom', 'Ban'), 0], dovecot: [1, 0], postfix: [2, 1] });
    assert.equal(count('custom', 'Ban'), 1);
    for (const jail of read.activity.jails) {
      assert.equal(jail.buckets.reduce((n, b) => n + b.bans, 0), jail.bans);
      assert.equal(jail.buckets.reduce((n, b) => n + b.unbans, 0), jail.unbans);
    }
    assert.deepEqual(read.activity.topAddresses.map((a) => a.ip).sort(), ['192.0.2.99', '198.51.100.40', '203.0.113.10', '203.0.113.11']);
    assert.deepEqual(read.activity.topAddresses.find((a) => a.ip === '203.0.113.10'), { ip: '203.0.113.10', bans: 1, failures: 7, jails: ['postfix'] });
    assert.deepEqual(read.activity.topNetworks[0], { network: '203.0.113.0/24', bans: 2, addresses: 2 });
    assert.equal(read.activity.lines, text.split('\n').filter((line) => line !== '').length);
  });

  it('log document: the window of the mail log, matched lines and the failregex each matched', async () => {
    const outcome = await buildLogView({ context: buildContextFromText('', { kind: 'dms-jail' }), jail: 'postfix', docker, logPath: '/var/log/mail/mail.log', env: dms.env });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    const view = outcome.view;
    const mailLines = readFileSync(dms.hostPath('/var/log/mail/mail.log'), 'utf8').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
    assert.deepEqual(view.lines, mailLines);
    // exactly the postfix SASL lines are matched (dovecot's are not postfix's)
    const expected = mailLines.map((line, index) => (/SASL \w+ authentication failed/.test(line) ? index : -1)).filter((index) => index >= 0);
    assert.deepEqual(view.matches.map((match) => match.index), expected);
    for (const match of view.matches) {
      assert.ok(view.lines[match.index].includes(`[${match.ip}]`));
      assert.match(view.regexes[match.regex - 1], /authentication failed/);
    }
    assert.deepEqual(readFileSync(dms.hostPath('/var/log/mail/mail.log'), 'utf8').split('\n').filter((l) => l !== '').length, mailLines.length);
    assert.ok(dms.invocations().some((call) => call.argv.includes('--print-all-matched')));
  });

  it('lock-out check before a ban: the bridge gateway, the own network, a private address; a public one passes', async () => {
    const warnings = await lockoutCheck(docker, ['172.17.0.1', '172.17.0.5', '10.9.8.7', '203.0.113.10'], dms.env);
    assert.deepEqual(warnings.map((w) => [w.code, w.ip]), [
      ['lockout-gateway', '172.17.0.1'], ['lockout-own-network', '172.17.0.5'], ['lockout-private', '10.9.8.7'],
    ]);
    assert.match(warnings[0].message, /slirp4netns/);
    assert.match(warnings[0].message, /NETWORK_INTERFACE=tap0/);
    assert.match(warnings[0].message, /PROXY protocol/);
  });
});

describe('log document of fail2ban\'s own log (no jail)', () => {
  it('shows the window around a line, nothing matched, nothing run but tail', async () => {
    const dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
    try {
      const outcome = await buildLogView({ context: buildContextFromText('', { kind: 'dms-jail' }), jail: '', docker: { runtime: 'docker', container: 'mailserver' }, logPath: '/var/log/mail/fail2ban.log', fromLine: 3, env: dms.env });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      const lines = readFileSync(dms.hostPath('/var/log/mail/fail2ban.log'), 'utf8').split('\n');
      assert.equal(outcome.view.firstLine, 3);
      // (the stand-in shows its host paths as container paths, so compare the lines' heads)
      const head = (line: string) => line.slice(0, 70);
      assert.deepEqual(outcome.view.lines.map(head), lines.slice(2, 2 + outcome.view.lines.length).map(head));
      assert.equal(outcome.view.lines.length, lines.filter((line) => line !== '').length - 2);
      assert.deepEqual(outcome.view.matches, []);
      assert.ok(!dms.invocations().some((call) => call.argv.includes('fail2ban-regex')));
    } finally {
      await dms.stop();
    }
  });
});
