// What fail2ban actually banned, read from its own log in the container, next to the jail lab's wouldBan:
// the stand-in's REAL fail2ban-server watches /var/log/mail/mail.log; the test appends a SASL brute force
// (stamped now, so fail2ban counts it), waits for the real `Ban` line, then runs test-jail on that log.
// Also: a local log streamed into the container (--container C --log FILE) and the temp file removed.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JailTestReport } from '../../../server/src/lab';
import { runTestJail } from '../../../server/src/lab/cli';
import { runDocker, startDmsContainer, type DmsContainer } from '../../support/dmsContainer';
import { burst, mailLogText } from '../../support/mailLog';
import { until } from '../../support/poll';

async function testJailJson(dms: DmsContainer, args: string[]): Promise<{ code: number; report: JailTestReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runTestJail([...args, '--format', 'json'], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) }, dms.env);
  assert.ok(stdout, `no report (exit ${code}): ${stderr}`);
  return { code, report: JSON.parse(stdout) as JailTestReport, stderr };
}

describe('actual bans from fail2ban\'s log next to wouldBan (real fail2ban 1.1.0 in the stand-in)', () => {
  let dms: DmsContainer;
  let workDir: string;
  const start = Date.now() - 120e3;

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'dms-actual-'));
    dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
    appendFileSync(dms.hostPath('/var/log/mail/mail.log'), mailLogText([
      ...burst('postfix-sasl', '203.0.113.77', start, 8, 3), // over maxretry 6: fail2ban bans it
      ...burst('postfix-sasl', '198.51.100.33', start + 1000, 3, 3), // below
    ]));
    const fail2banLog = dms.hostPath('/var/log/mail/fail2ban.log');
    await until('fail2ban to ban 203.0.113.77', () => /NOTICE\s+\[postfix\] Ban 203\.0\.113\.77/.test(readFileSync(fail2banLog, 'utf8')), { watchFile: fail2banLog });
  });
  after(async () => {
    await dms?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('JSON has actualBans (what fail2ban banned in the period) and wouldBan agrees with it', async () => {
    const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/mail.log']);
    assert.equal(code, 0);
    assert.deepEqual(report.wouldBan, ['203.0.113.77']);
    assert.deepEqual(report.actualBans?.map((ban) => [ban.ip, ban.count]), [['203.0.113.77', 1]]);
    assert.equal(report.fail2banLog?.path, '/var/log/mail/fail2ban.log');
    assert.ok((report.fail2banLog?.lines ?? 0) > 10);
  });

  it('text output says what fail2ban banned', async () => {
    let stdout = '';
    await runTestJail(['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/mail.log'], { out: (t) => void (stdout += t), err: () => undefined }, dms.env);
    assert.match(stdout, /^fail2ban banned 1 in that period: 203\.0\.113\.77 \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\)$/m);
  });

  it('--container C --log FILE streams a local log in (docker exec -i … tee), tests it, removes the temp file', async () => {
    const local = join(workDir, 'local-mail.log');
    writeFileSync(local, mailLogText(burst('postfix-sasl', '192.0.2.201', Date.UTC(2025, 2, 10, 8), 7, 20)));
    const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log', local]);
    assert.equal(code, 0);
    assert.equal(report.lines, 7);
    assert.equal(report.matched, 7);
    assert.deepEqual(report.wouldBan, ['192.0.2.201']);
    assert.equal(report.source.logPath, local);
    assert.match(report.source.uploaded ?? '', /^\/tmp\/dms-fail2ban-lab-[0-9a-f]{16}\.log$/);
    // a 2025 log: fail2ban banned nobody then
    assert.deepEqual(report.actualBans, []);
    const argvs = dms.invocations().map((call) => call.argv);
    assert.ok(argvs.some((argv) => argv.join(' ') === `exec -i mailserver tee ${report.source.uploaded}`));
    assert.ok(argvs.some((argv) => argv.join(' ') === `exec mailserver rm -f ${report.source.uploaded}`));
    assert.equal(existsSync(dms.hostPath(report.source.uploaded ?? '/nope')), false);
    assert.deepEqual(readdirSync(dms.hostPath('/tmp')).filter((name) => name.startsWith('dms-fail2ban-lab-')), []);
    assert.ok(dms.invocations().every((call) => !['sh', 'bash'].includes(call.parent.comm)));
  });

  it('an address fail2ban really banned is guarded too: the gateway banned by fail2ban, though this log would not ban it', async () => {
    // the gateway fails 3 times (below maxretry) in the tested log, but fail2ban holds a ban for it
    appendFileSync(dms.hostPath('/var/log/mail/gw.log'), mailLogText(burst('postfix-sasl', '172.17.0.1', Date.now() - 30e3, 3, 1)));
    const ban = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'set', 'postfix', 'banip', '172.17.0.1']);
    assert.equal(ban.exitCode, 0);
    try {
      const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/gw.log']);
      assert.deepEqual(report.wouldBan, []);
      // (203.0.113.77, banned by fail2ban minutes ago, is in the same period)
      assert.deepEqual(report.actualBans?.map((b) => b.ip).sort(), ['172.17.0.1', '203.0.113.77']);
      assert.deepEqual(report.warnings.filter((w) => w.code.startsWith('lockout-')).map((w) => [w.code, w.ip]), [['lockout-gateway', '172.17.0.1']]);
      assert.equal(code, 1);
    } finally {
      await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'set', 'postfix', 'unbanip', '172.17.0.1']);
    }
  });
});
