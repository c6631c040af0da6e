// fail2banService end to end: the stand-in `docker` (test/standin) answers like docker + DMS v15.1,
// backed by a REAL fail2ban-server. Every command, IPv4/IPv6/CIDR round trips, apply config with
// rollback, and every docker/DMS failure mode.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDockerStandin, type DmsContainer, type DockerStandin, type StandinFailure } from '../../support/dmsContainer';
import { Fail2banService } from '../../../client/src/docker/fail2banService';
import { createValidator } from '../../../client/src/configValidator';
import { computeCheckText } from '../../../server/src/features/checkText';
import type { FailureKind } from '../../../client/src/docker/errors';

let standin: DockerStandin;
let dms: DmsContainer;
const log: string[] = [];

function service(options: { timeoutMs?: number; permissive?: boolean } = {}): Fail2banService {
  return new Fail2banService({
    target: { runtime: 'docker' },
    container: 'mailserver',
    timeoutMs: options.timeoutMs ?? 30_000,
    env: dms.env,
    sink: { appendLine: (line) => log.push(line) },
    // The real engine by default; a permissive validator lets a file through that fail2ban itself rejects.
    validate: options.permissive ? () => [] : createValidator(computeCheckText),
  });
}

before(async () => {
  standin = await createDockerStandin();
  dms = await standin.startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
});
after(async () => {
  await dms?.stop();
  await standin?.dispose();
});
beforeEach(async () => {
  await dms.setFailure(undefined);
  await dms.server.resetBans();
  standin.clearInvocations();
});

test('list: nothing banned gives an empty list', async () => {
  const result = await service().listBans();
  assert.deepEqual(result, { ok: true, value: [], notes: [] });
});

for (const address of ['192.0.2.7', '2001:db8::1', '198.51.100.0/24']) {
  test(`ban → list → status → unban round trip: ${address}`, async () => {
    const svc = service();
    const banned = await svc.ban(address);
    assert.deepEqual(banned, { ok: true, value: { address, status: 'banned', count: 1 }, notes: [] });

    const again = await svc.ban(address);
    assert.deepEqual(again.ok && again.value, { address, status: 'already-banned', count: 0 });

    const list = await svc.listBans();
    assert.deepEqual(list.ok && list.value, [{ jail: 'custom', ips: [address] }]);

    const status = await svc.status();
    assert.ok(status.ok);
    assert.deepEqual(status.value.map((jail) => jail.jail), ['custom', 'dovecot', 'postfix']);
    const custom = status.value.find((jail) => jail.jail === 'custom');
    assert.equal(custom?.currentlyBanned, 1);
    assert.deepEqual(custom?.bannedIps, [address]);

    const unban = await svc.unban(address);
    assert.ok(unban.ok);
    assert.deepEqual(unban.value.jails, [
      { jail: 'custom', count: 1 },
      { jail: 'dovecot', count: 0 },
      { jail: 'postfix', count: 0 },
    ]);
    assert.equal(unban.value.wasBanned, true);

    const twice = await svc.unban(address);
    assert.ok(twice.ok);
    assert.equal(twice.value.wasBanned, false);
    assert.equal(twice.value.total, 0);
    assert.deepEqual((await svc.listBans()).ok && (await svc.listBans()), { ok: true, value: [], notes: [] });
  });
}

test('unban reports per jail when fail2ban itself banned the address in several jails', async () => {
  await dms.server.client(['set', 'dovecot', 'banip', '203.0.113.4']);
  await dms.server.client(['set', 'postfix', 'banip', '203.0.113.4']);
  const svc = service();
  const list = await svc.listBans();
  assert.deepEqual(list.ok && list.value, [
    { jail: 'dovecot', ips: ['203.0.113.4'] },
    { jail: 'postfix', ips: ['203.0.113.4'] },
  ]);
  const unban = await svc.unban('203.0.113.4');
  assert.deepEqual(unban.ok && unban.value.jails, [
    { jail: 'custom', count: 0 },
    { jail: 'dovecot', count: 1 },
    { jail: 'postfix', count: 1 },
  ]);
});

test('a CIDR unban removes the single addresses banned inside it', async () => {
  const svc = service();
  await svc.ban('192.0.2.10');
  await svc.ban('192.0.2.11');
  const unban = await svc.unban('192.0.2.0/24');
  assert.ok(unban.ok);
  assert.equal(unban.value.jails.find((jail) => jail.jail === 'custom')?.count, 2);
});

test('invalid addresses never reach docker', async () => {
  for (const input of ['not-an-ip', '-h', '192.0.2.7 10.0.0.1', '$(id)']) {
    const ban = await service().ban(input);
    assert.equal(!ban.ok && ban.failure.kind, 'invalid-address', input);
    const unban = await service().unban(input);
    assert.equal(!unban.ok && unban.failure.kind, 'invalid-address', input);
  }
  assert.deepEqual(standin.invocations(), []);
});

test('docker receives argument arrays from node, never from a shell', async () => {
  await service().ban('192.0.2.50');
  const calls = standin.invocations();
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].argv, ['exec', 'mailserver', 'setup', 'fail2ban', 'ban', '192.0.2.50']);
  assert.doesNotMatch(calls[0].parent.comm, /^(ba|da|z)?sh$/);
  assert.ok(log.some((line) => line === '$ docker exec mailserver setup fail2ban ban 192.0.2.50'), 'command line logged');
});

test('log: the fail2ban log of the container', async () => {
  const result = await service().log();
  assert.ok(result.ok);
  assert.equal(result.value.missingFile, false);
  assert.match(result.value.text, /fail2ban/);
});

test('log files read directly: supervisord\'s capture and fail2ban\'s log, each with tail\'s header', async () => {
  const result = await service().readLogFiles();
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.value.missingFile, false);
  assert.match(result.value.text, /^==> \/var\/log\/mail\/fail2ban\.log <==$/m);
  // fail2ban-server -xf start prints "Server ready" (what DMS issue #3897 shows in that file)
  assert.match(result.value.text, /^==> \/var\/log\/supervisor\/fail2ban\.log <==\nServer ready$/m);
  assert.match(result.value.text, /fail2ban/);
  assert.deepEqual(result.notes, []);
  assert.deepEqual(standin.invocations().map((call) => call.argv), [
    ['exec', 'mailserver', 'tail', '-n', '2000', '/var/log/supervisor/fail2ban.log', '/var/log/mail/fail2ban.log'],
  ]);
});

test('fail2ban not running: `setup fail2ban log` refuses, the log files can still be read and say why', async () => {
  await dms.setFailure('fail2ban-not-running');
  const svc = service();
  const viaSetup = await svc.log();
  assert.equal(!viaSetup.ok && viaSetup.failure.kind, 'fail2ban-not-running');
  assert.ok(!viaSetup.ok && viaSetup.failure.actions.includes('show-log'));
  const direct = await svc.readLogFiles();
  assert.ok(direct.ok, JSON.stringify(direct));
  assert.match(direct.value.text, /fail2ban/);
});

test('log files read directly: docker failures are still reported as such', async () => {
  await dms.setFailure('no-such-container');
  const result = await service().readLogFiles();
  assert.equal(!result.ok && result.failure.kind, 'no-such-container');
});

test('apply config: validated, copied, reloaded; the new ignoreip is live', async () => {
  const svc = service();
  const report = await svc.applyConfig('dms-jail', '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.99\n');
  assert.equal(report.status, 'applied', JSON.stringify(report));
  assert.match(report.message, /fail2ban-jail\.cf/);
  const ignoreip = await dms.server.client(['get', 'dovecot', 'ignoreip']);
  assert.match(ignoreip.stdout, /192\.0\.2\.99/);
  assert.equal(readFileSync(dms.hostPath('/etc/fail2ban/jail.d/user-jail.local'), 'utf8'), '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.99\n');

  // A second apply backs up the first file.
  const second = await svc.applyConfig('dms-jail', '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.98\n');
  assert.equal(second.status, 'applied');
  assert.equal(readFileSync(dms.hostPath('/etc/fail2ban/jail.d/user-jail.local.dms-fail2ban.bak'), 'utf8'), '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.99\n');
});

test('apply config: fail2ban-fail2ban.cf goes to /etc/fail2ban/fail2ban.local and the reload applies it', async () => {
  const report = await service().applyConfig('dms-server', '[Definition]\nloglevel = DEBUG\n');
  assert.equal(report.status, 'applied', JSON.stringify(report));
  assert.match(report.message, /fail2ban-fail2ban\.cf/);
  assert.equal(readFileSync(dms.hostPath('/etc/fail2ban/fail2ban.local'), 'utf8'), '[Definition]\nloglevel = DEBUG\n');
  assert.match((await dms.server.client(['get', 'loglevel'])).stdout, /DEBUG/);
});

test('apply config: refused when the engine finds errors, without touching the container', async () => {
  const report = await service().applyConfig('dms-jail', 'bantime = 1w\n');
  assert.equal(report.status, 'refused');
  assert.ok(report.status === 'refused' && report.diagnostics.some((d) => d.code === 'missing-section-header'));
  assert.deepEqual(standin.invocations(), []);
});

test('apply config: fail2ban rejects the file → the previous one is restored and reloaded', async () => {
  const good = '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.97\n';
  assert.equal((await service().applyConfig('dms-jail', good)).status, 'applied');
  const report = await service({ permissive: true }).applyConfig('dms-jail', '[DEFAULT]\nbantime 1w\n');
  assert.equal(report.status, 'rolled-back', JSON.stringify(report));
  assert.match(report.message, /restored/);
  assert.equal(readFileSync(dms.hostPath('/etc/fail2ban/jail.d/user-jail.local'), 'utf8'), good);
  const ping = await dms.server.client(['ping']);
  assert.equal(ping.exitCode, 0);
  assert.match((await dms.server.client(['get', 'dovecot', 'ignoreip'])).stdout, /192\.0\.2\.97/);
});

test('ban when [custom] is disabled: reported as a missing manual-ban jail', async () => {
  const svc = service({ permissive: true });
  assert.equal((await svc.applyConfig('dms-jail', '[custom]\nenabled = false\n')).status, 'applied');
  try {
    const ban = await svc.ban('192.0.2.60');
    assert.equal(!ban.ok && ban.failure.kind, 'custom-jail-missing');
  } finally {
    assert.equal((await svc.applyConfig('dms-jail', '')).status, 'applied');
  }
  assert.equal((await svc.ban('192.0.2.60')).ok, true);
});

const FAILURES: Array<{ failure: StandinFailure; kind: FailureKind }> = [
  { failure: 'docker-not-installed', kind: 'runtime-not-found' },
  { failure: 'daemon-unreachable', kind: 'daemon-unreachable' },
  { failure: 'permission-denied', kind: 'permission-denied' },
  { failure: 'no-such-container', kind: 'no-such-container' },
  { failure: 'not-running', kind: 'container-not-running' },
  { failure: 'paused', kind: 'container-paused' },
  { failure: 'not-dms', kind: 'not-dms-container' },
  { failure: 'fail2ban-not-running', kind: 'fail2ban-not-running' },
  { failure: 'garbage', kind: 'unexpected-output' },
];

for (const { failure, kind } of FAILURES) {
  test(`failure '${failure}' is classified as ${kind} by every command`, async () => {
    await dms.setFailure(failure);
    const svc = service();
    const results = {
      list: await svc.listBans(),
      ban: await svc.ban('192.0.2.70'),
      unban: await svc.unban('192.0.2.70'),
      status: await svc.status(),
    };
    for (const [name, result] of Object.entries(results)) {
      assert.equal(result.ok ? 'ok' : result.failure.kind, kind, `${name}: ${JSON.stringify(result)}`);
    }
    const apply = await svc.applyConfig('dms-jail', '[DEFAULT]\nmaxretry = 5\n');
    assert.equal(apply.status, 'failed');
    assert.equal(apply.status === 'failed' && apply.failure.kind, kind);
  });
}

for (const failure of ['timeout', 'daemon-timeout'] as const) {
  // The command never ends by itself: the outcome is the proof it was killed; the generous test limit only fails a
  // runner that never kills it. No clock is asserted.
  test(`failure '${failure}': the command is killed at the timeout`, { timeout: 120_000 }, async () => {
    await dms.setFailure(failure);
    const result = await service({ timeoutMs: 1500 }).listBans();
    assert.equal(!result.ok && result.failure.kind, 'timeout');
    assert.equal(!result.ok && result.failure.exitCode, undefined, 'killed, not exited');
    // nothing is left stuck: once the container answers again, so does the next command
    await dms.setFailure(undefined);
    const next = await service({ timeoutMs: 30_000 }).listBans();
    assert.ok(next.ok, JSON.stringify(next));
  });
}
