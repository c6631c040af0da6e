// `dms-fail2ban test-jail` against the stand-in container, whose `docker exec … fail2ban-regex` is the REAL
// fail2ban-regex of the modelled fail2ban (1.1.0 for DMS v15.1, 1.0.2 for v14), on mail logs generated in
// DMS's format. Counts are compared with what fail2ban-regex itself reports when run directly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context';
import { runJailTest, type JailTestReport } from '../../../server/src/lab';
import { runTestJail } from '../../../server/src/lab/cli';
import { envWithoutDocker, startDmsContainer, type DmsContainer } from '../../support/dmsContainer';
import { FAIL2BAN_INSTALLS, PYTHON, ensureFail2banInstalled } from '../../support/fail2banInstalls';
import { burst, mailLogText, writeLargeMailLog, type MailEvent } from '../../support/mailLog';

const T0 = Date.UTC(2025, 2, 10, 8, 0, 0);
const USER_JAIL = '[postfix]\nignoreip = 127.0.0.1/8 10.1.2.0/24 office.example.com\n';

/** The SASL brute force scenario: what each address did, so the expected verdict is known. */
const SASL_EVENTS: MailEvent[] = [
  ...burst('postfix-sasl', '203.0.113.5', T0, 10, 30), // 10 within 5 minutes → banned (maxretry 6, findtime 1w)
  ...burst('postfix-sasl', '198.51.100.20', T0 + 3600e3, 4, 60), // 4 → below maxretry
  ...burst('postfix-sasl', '192.0.2.44', T0, 7, 8 * 86400), // 7, but 8 days apart → never 6 within a week
  ...burst('postfix-sasl', '10.1.2.3', T0, 12, 10), // in ignoreip 10.1.2.0/24 → never banned
  ...burst('postfix-connect', '203.0.113.5', T0, 5, 30),
  ...burst('noise', '0.0.0.0', T0, 20, 17),
];

interface Io { out(text: string): void; err(text: string): void }
function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

/** fail2ban-regex run directly (not through dms-fail2ban), as an admin would in the container. */
function fail2banRegexItself(dms: DmsContainer, version: '1.0.2' | '1.1.0', containerLog: string, filter: string): { lines: number; ignored: number; matched: number; missed: number; failures: number } {
  const install = FAIL2BAN_INSTALLS[version];
  const configDir = dms.server.configDir;
  const run = spawnSync(PYTHON, [join(install.binDir, 'fail2ban-regex'), '-c', configDir, dms.hostPath(containerLog), `${configDir}/filter.d/${filter}`], {
    encoding: 'utf8', env: { ...process.env, ...(install.pythonPath ? { PYTHONPATH: install.pythonPath } : {}) }, maxBuffer: 64 << 20,
  });
  const lines = /^Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/m.exec(run.stdout);
  const failures = /^Failregex: (\d+) total/m.exec(run.stdout);
  assert.ok(lines && failures, `fail2ban-regex output:\n${run.stdout}\n${run.stderr}`);
  return { lines: Number(lines[1]), ignored: Number(lines[2]), matched: Number(lines[3]), missed: Number(lines[4]), failures: Number(failures[1]) };
}

async function testJailJson(dms: DmsContainer, args: string[]): Promise<{ code: number; report: JailTestReport; stderr: string }> {
  const io = capture();
  const code = await runTestJail([...args, '--format', 'json'], io, dms.env);
  assert.ok(io.stdout, `no report (exit ${code}): ${io.stderr}`);
  return { code, report: JSON.parse(io.stdout) as JailTestReport, stderr: io.stderr };
}

let workDir: string;
before(() => {
  ensureFail2banInstalled();
  workDir = mkdtempSync(join(tmpdir(), 'dms-lab-'));
  writeFileSync(join(workDir, 'fail2ban-jail.cf'), USER_JAIL);
});
after(() => rmSync(workDir, { recursive: true, force: true }));

for (const [dmsVersion, fail2banVersion] of [['v15.1', '1.1.0'], ['v14', '1.0.2']] as const) {
  describe(`test-jail in a DMS ${dmsVersion} container (real fail2ban-regex ${fail2banVersion})`, () => {
    let dms: DmsContainer;
    before(async () => {
      dms = await startDmsContainer({ name: 'mailserver', dmsVersion });
      writeFileSync(dms.hostPath('/var/log/mail/sasl.log'), mailLogText(SASL_EVENTS));
    });
    after(async () => dms?.stop());

    it('postfix SASL brute force: exact counts of fail2ban-regex, failures per IP, would-ban, ignoreip CIDR', async () => {
      const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/sasl.log', join(workDir, 'fail2ban-jail.cf')]);
      assert.equal(code, 0);
      const itself = fail2banRegexItself(dms, fail2banVersion, '/var/log/mail/sasl.log', 'postfix.conf[mode=extra]');
      assert.deepEqual(
        { lines: report.lines, ignored: report.ignored, matched: report.matched, missed: report.missed, failures: report.failures },
        itself,
      );
      assert.equal(report.matched, 33);
      const failuresByIp = Object.fromEntries(report.ips.map((ip) => [ip.ip, ip.failures]));
      assert.deepEqual(failuresByIp, { '203.0.113.5': 10, '198.51.100.20': 4, '192.0.2.44': 7, '10.1.2.3': 12 });
      assert.deepEqual(report.wouldBan, ['203.0.113.5']);
      const attacker = report.ips.find((ip) => ip.ip === '203.0.113.5');
      assert.deepEqual([attacker?.first, attacker?.last, attacker?.wouldBanAt], ['2025-03-10 08:00:00', '2025-03-10 08:04:30', '2025-03-10 08:02:30']);
      assert.equal(report.ips.find((ip) => ip.ip === '10.1.2.3')?.ignoredBy, '10.1.2.0/24');
      assert.ok(report.warnings.some((w) => w.code === 'ignoreip-dns' && w.message.includes('office.example.com')));
      assert.ok(!report.warnings.some((w) => w.code.startsWith('lockout-')));
    });

    it('runs docker exec with an argument list, no shell; the jail\'s own logpath by default', async () => {
      writeFileSync(dms.server.mailLog, mailLogText(burst('postfix-sasl', '198.51.100.99', T0, 2, 5)));
      const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver']);
      assert.equal(code, 0);
      assert.equal(report.source.logPath, '/var/log/mail.log');
      assert.deepEqual([report.lines, report.matched, report.wouldBan], [2, 2, []]);
      const exec = dms.invocations().filter((i) => i.argv.includes('fail2ban-regex')).at(-1);
      assert.deepEqual(exec?.argv, report.command);
      assert.deepEqual(report.command.slice(0, 3), ['exec', 'mailserver', 'fail2ban-regex']);
      assert.equal(exec?.parent.comm, 'node');
    });
  });
}

describe('test-jail: dovecot, rootless gateway, no matches, big log, failures (DMS v15.1)', () => {
  let dms: DmsContainer;
  before(async () => {
    dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
  });
  after(async () => dms?.stop());

  it('dovecot auth failures: counts of fail2ban-regex, would-ban at maxretry 6', async () => {
    writeFileSync(dms.hostPath('/var/log/mail/dovecot.log'), mailLogText([
      ...burst('dovecot-auth', '198.51.100.7', T0, 4, 20),
      ...burst('dovecot-unknown-user', '198.51.100.7', T0 + 100e3, 2, 20),
      ...burst('dovecot-auth', '198.51.100.8', T0, 2, 20),
      ...burst('postfix-sasl', '203.0.113.5', T0, 3, 20),
    ]));
    const { code, report } = await testJailJson(dms, ['dovecot', '--container', 'mailserver', '--log-path', '/var/log/mail/dovecot.log']);
    assert.equal(code, 0);
    const itself = fail2banRegexItself(dms, '1.1.0', '/var/log/mail/dovecot.log', 'dovecot.conf[mode=normal]');
    assert.deepEqual({ lines: report.lines, ignored: report.ignored, matched: report.matched, missed: report.missed, failures: report.failures }, itself);
    assert.deepEqual(Object.fromEntries(report.ips.map((ip) => [ip.ip, ip.failures])), { '198.51.100.7': 6, '198.51.100.8': 2 });
    assert.deepEqual(report.wouldBan, ['198.51.100.7']);
  });

  it('rootless Docker: every failure from the gateway → would ban it, LOCK-OUT warning with the remedy, exit 1', async () => {
    writeFileSync(dms.hostPath('/var/log/mail/rootless.log'), mailLogText([
      ...burst('postfix-sasl', '172.17.0.1', T0, 9, 40),
      ...burst('dovecot-auth', '172.17.0.1', T0, 3, 40),
    ]));
    const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/rootless.log']);
    assert.equal(code, 1);
    assert.deepEqual(report.wouldBan, ['172.17.0.1']);
    const warning = report.warnings.find((w) => w.code === 'lockout-gateway');
    assert.equal(warning?.ip, '172.17.0.1');
    assert.match(warning?.message ?? '', /gateway of Docker network 'bridge'/);
    assert.match(warning?.message ?? '', /slirp4netns/);
    assert.ok(dms.invocations().some((i) => i.argv.join(' ') === 'inspect --format {{json .NetworkSettings.Networks}} mailserver'));
    // the text report puts it on screen
    const io = capture();
    assert.equal(await runTestJail(['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/rootless.log'], io, dms.env), 1);
    assert.match(io.stdout, /! LOCK-OUT RISK: 172\.17\.0\.1 is the gateway/);
  });

  it('a log with no matches: zero matched, nobody banned, a warning and missed samples', async () => {
    writeFileSync(dms.hostPath('/var/log/mail/quiet.log'), mailLogText(burst('noise', '0.0.0.0', T0, 12, 60)));
    const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mailserver', '--log-path', '/var/log/mail/quiet.log']);
    assert.equal(code, 0);
    assert.deepEqual([report.lines, report.matched, report.missed, report.wouldBan, report.ips], [12, 0, 12, [], []]);
    assert.ok(report.warnings.some((w) => w.code === 'no-matches'));
    // fail2ban-regex lists missed lines up to maxlines + 1 (21)
    assert.equal(report.missedSamples.length, 12);
  });

  it('a generated 4 MB log streams through: every line and failure counted', async () => {
    const { lines, failures } = await writeLargeMailLog(dms.hostPath('/var/log/mail/big.log'), 4 << 20);
    let progress = 0;
    const outcome = await runJailTest({
      context: buildContextFromText('', { kind: 'dms-jail' }),
      jail: 'postfix',
      target: { kind: 'container', docker: { runtime: 'docker', container: 'mailserver' }, logPath: '/var/log/mail/big.log' },
      env: dms.env,
      onProgress: (count) => (progress = count),
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.deepEqual([outcome.report.lines, outcome.report.matched, outcome.report.failures], [lines, failures, failures]);
    assert.ok(progress > 0 && progress <= failures);
    assert.ok((outcome.report.timeline?.length ?? 0) > 0);
  });

  it('cancelling stops fail2ban-regex (the abort kills docker exec)', async () => {
    const controller = new AbortController();
    const outcome = await runJailTest({
      context: buildContextFromText('', { kind: 'dms-jail' }),
      jail: 'postfix',
      target: { kind: 'container', docker: { runtime: 'docker', container: 'mailserver' }, logPath: '/var/log/mail/big.log' },
      env: dms.env,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    assert.deepEqual(outcome, { ok: false, kind: 'cancelled', message: 'Cancelled.' });
  });

  it('a stopped container or a bad name: exit 3 / 2 with the reason, nothing run for a bad name', async () => {
    await dms.setFailure('not-running');
    try {
      const io = capture();
      assert.equal(await runTestJail(['postfix', '--container', 'mailserver'], io, dms.env), 3);
      assert.match(io.stderr, /is not running/);
    } finally {
      await dms.setFailure(undefined);
    }
    const before = dms.invocations().length;
    const io = capture();
    assert.equal(await runTestJail(['postfix', '--container', 'mail;rm -rf /'], io, dms.env), 2);
    assert.match(io.stderr, /not a valid container name/);
    assert.equal(dms.invocations().length, before);
  });

  it('--log with a local fail2ban-regex; without one it says so (exit 3)', async () => {
    const log = join(workDir, 'local.log');
    writeFileSync(log, mailLogText(SASL_EVENTS));
    const withRegex = capture();
    // Debian 12's fail2ban 1.0.2 (/usr/bin/fail2ban-regex, /etc/fail2ban)
    assert.equal(await runTestJail(['postfix', '--log', log, '--format', 'json', join(workDir, 'fail2ban-jail.cf')], withRegex, { ...process.env, PATH: '/usr/bin:/bin' }), 0);
    const report = JSON.parse(withRegex.stdout) as JailTestReport;
    assert.deepEqual([report.source.where, report.matched, report.wouldBan], ['local', 33, ['203.0.113.5']]);
    const without = capture();
    assert.equal(await runTestJail(['postfix', '--log', log], without, { ...envWithoutDocker(), PATH: workDir }), 3);
    assert.match(without.stderr, /No local fail2ban-regex was found/);
  });
});

describe('test-jail lock-out guard with a user-defined network (docker inspect of the container)', () => {
  let dms: DmsContainer;
  before(async () => {
    dms = await startDmsContainer({ name: 'mail-net', dmsVersion: 'v15.1', networks: { mail_net: { Gateway: '172.22.0.1', IPAddress: '172.22.0.5', IPPrefixLen: 16 } } });
  });
  after(async () => dms?.stop());

  it('gateway, an address of its own network and a private one: one warning each, exit 1', async () => {
    writeFileSync(dms.hostPath('/var/log/mail/mixed.log'), mailLogText([
      ...burst('postfix-sasl', '172.22.0.1', T0, 6, 10),
      ...burst('postfix-sasl', '172.22.3.4', T0 + 100e3, 6, 10),
      ...burst('postfix-sasl', '192.168.1.20', T0 + 200e3, 6, 10),
      ...burst('postfix-sasl', '203.0.113.77', T0 + 300e3, 6, 10),
    ]));
    const { code, report } = await testJailJson(dms, ['postfix', '--container', 'mail-net', '--log-path', '/var/log/mail/mixed.log']);
    assert.equal(code, 1);
    assert.deepEqual(report.wouldBan, ['172.22.0.1', '172.22.3.4', '192.168.1.20', '203.0.113.77']);
    assert.deepEqual(report.warnings.filter((w) => w.code.startsWith('lockout-')).map((w) => [w.code, w.ip]), [
      ['lockout-gateway', '172.22.0.1'], ['lockout-own-network', '172.22.3.4'], ['lockout-private', '192.168.1.20'],
    ]);
    assert.match(report.warnings[0].message, /network 'mail_net' of container 'mail-net'/);
  });
});
