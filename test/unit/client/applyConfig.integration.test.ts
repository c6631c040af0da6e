// Every outcome of "Apply Config" (issue 17 item 2, issue 10 item 5) against the stand-in docker and a real
// fail2ban-server: applied; rejected and rolled back (with and without an earlier file); rollback failed (the
// restored file does not reload, or the restore itself fails); a copy that fails half-way; a reload that times
// out on the host but completes in the container; and two runs at once. Each checks the file in the container.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createDockerStandin, putFileInContainer, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';
import { Fail2banService } from '../../../client/src/docker/fail2banService';

const TARGET = '/etc/fail2ban/jail.d/user-jail.local';
const STABLE_BACKUP = `${TARGET}.dms-fail2ban.bak`;
const GOOD = '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.97\n';
const NEWER = '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.98\n';
/** configparser refuses a line without a delimiter, so fail2ban-client reload fails on it. */
const REJECTED = '[DEFAULT]\nbantime 1w\n';

let standin: DockerStandin;
let dms: DmsContainer;
const log: string[] = [];

/** The validator lets everything through: these tests are about what happens once fail2ban sees the file. */
function service(timeoutMs = 30_000): Fail2banService {
  return new Fail2banService({
    target: { runtime: 'docker' },
    container: 'mailserver',
    timeoutMs,
    env: dms.env,
    sink: { appendLine: (line) => log.push(line) },
    validate: () => [],
  });
}

const read = (path: string) => readFileSync(dms.hostPath(path), 'utf8');
/** Files a run leaves next to the target besides the stable backup: must always be none. */
const leftovers = () => readdirSync(dms.hostPath('/etc/fail2ban/jail.d')).filter((name) => /dms-fail2ban-/.test(name));
const ignoreip = async () => (await dms.server.client(['get', 'dovecot', 'ignoreip'])).stdout;

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
  rmSync(dms.hostPath(TARGET), { force: true });
  rmSync(dms.hostPath(STABLE_BACKUP), { force: true });
  // A failed rollback keeps its backup on purpose (the message names it); clear it for the next test.
  for (const name of leftovers()) rmSync(dms.hostPath(`/etc/fail2ban/jail.d/${name}`));
  assert.equal((await dms.server.client(['reload'])).exitCode, 0);
  standin.clearInvocations();
});

test('applied: the new file is live, the previous one is kept as the stable backup, nothing else left', async () => {
  putFileInContainer(dms, TARGET, GOOD);
  const report = await service().applyConfig('dms-jail', NEWER);
  assert.equal(report.status, 'applied', JSON.stringify(report));
  assert.equal(read(TARGET), NEWER);
  assert.equal(read(STABLE_BACKUP), GOOD);
  assert.match(await ignoreip(), /192\.0\.2\.98/);
  assert.deepEqual(leftovers(), []);
});

test('rejected by the reload, earlier file: restored and reloaded', async () => {
  putFileInContainer(dms, TARGET, GOOD);
  await dms.server.client(['reload']);
  const report = await service().applyConfig('dms-jail', REJECTED);
  assert.equal(report.status, 'rolled-back', JSON.stringify(report));
  assert.match(report.message, /restored and reloaded/);
  assert.equal(read(TARGET), GOOD);
  assert.match(await ignoreip(), /192\.0\.2\.97/);
  assert.deepEqual(leftovers(), []);
});

test('rejected by the reload, no earlier file: the new file is removed again and fail2ban reloads without it', async () => {
  const report = await service().applyConfig('dms-jail', REJECTED);
  assert.equal(report.status, 'rolled-back', JSON.stringify(report));
  // Without the removal the rejected file would stay: the file check and the second reload both catch that.
  assert.equal(existsSync(dms.hostPath(TARGET)), false, 'the rejected file must not stay');
  assert.equal((await dms.server.client(['ping'])).exitCode, 0);
  assert.deepEqual(leftovers(), []);
});

test('rollback failed: the restored earlier file does not reload either', async () => {
  // A broken file put in place by hand after fail2ban started: the running configuration is still fine.
  putFileInContainer(dms, TARGET, REJECTED);
  const report = await service().applyConfig('dms-jail', '[DEFAULT]\nmaxretry 3\n');
  assert.equal(report.status, 'rollback-failed', JSON.stringify(report));
  assert.ok(report.status === 'rollback-failed' && report.restored);
  assert.match(report.message, /restored but reloading it failed too/);
  assert.equal(read(TARGET), REJECTED, 'the earlier file is back');
});

test('rollback failed: the container stops after the rejected reload, so the restore cannot run; the message says where the previous file is', async () => {
  putFileInContainer(dms, TARGET, GOOD);
  await dms.setFailure('stops-after-reload');
  const report = await service().applyConfig('dms-jail', REJECTED);
  assert.equal(report.status, 'rollback-failed', JSON.stringify(report));
  assert.ok(report.status === 'rollback-failed' && !report.restored);
  const backup = /previous file is at (\S+\.bak)\b/.exec(report.message)?.[1];
  assert.ok(backup, report.message);
  assert.match(report.message, /rejected the new file, and restoring the previous state failed .*'mailserver' is stopped\. Start it/);
  assert.equal(read(backup), GOOD, 'the backup named in the message holds the previous file');
  assert.equal(read(TARGET), REJECTED, 'what the message says: the container still holds the new file');
});

for (const earlier of [GOOD, undefined]) {
  test(`docker cp fails half-way (${earlier ? 'earlier file' : 'no earlier file'}): not applied, the target unchanged, no partial file left`, async () => {
    if (earlier) putFileInContainer(dms, TARGET, earlier);
    await dms.setFailure('cp-partial');
    const report = await service().applyConfig('dms-jail', NEWER);
    assert.equal(report.status, 'failed', JSON.stringify(report));
    assert.match(report.message, /no space left on device|exited with status 1/);
    assert.match(report.message, /was not changed/);
    if (earlier) assert.equal(read(TARGET), earlier);
    else assert.equal(existsSync(dms.hostPath(TARGET)), false);
    assert.deepEqual(leftovers(), []);
    // The stand-in really did write half a file (at the side path the service chose), so the check above means something.
    const copied = standin.invocations().find((call) => call.argv[0] === 'cp');
    assert.match(copied?.argv[2] ?? '', /^mailserver:\/etc\/fail2ban\/jail\.d\/user-jail\.local\.dms-fail2ban-.*\.part$/);
  });
}

test('reload times out on the host but completes in the container: "may still complete", never "nothing changed"; the file is restored', async () => {
  putFileInContainer(dms, TARGET, GOOD);
  await dms.setFailure('reload-timeout');
  try {
    // Generous: every other step must finish within it on a loaded machine; only the hanging reload reaches it.
    const report = await service(30_000).applyConfig('dms-jail', NEWER);
    assert.equal(report.status, 'timed-out', JSON.stringify(report));
    assert.ok(report.status === 'timed-out' && report.restored);
    assert.match(report.message, /may still complete inside mailserver/);
    assert.doesNotMatch(report.message, /nothing changed/);
    assert.equal(read(TARGET), GOOD);
    assert.deepEqual(leftovers(), []);
    // Only one reload was sent: a second one would race the first, still running in the container.
    const reloads = standin.invocations().filter((call) => call.argv.includes('reload'));
    assert.equal(reloads.length, 1);
  } finally {
    await dms.waitForBackgroundReloads();
  }
});

test('two runs at once on one container: one after the other, each with its own backup; the later call wins', async () => {
  putFileInContainer(dms, TARGET, GOOD);
  const [first, second] = await Promise.all([service().applyConfig('dms-jail', NEWER), service().applyConfig('dms-jail', GOOD.replace('97', '96'))]);
  assert.equal(first.status, 'applied', JSON.stringify(first));
  assert.equal(second.status, 'applied', JSON.stringify(second));
  assert.equal(read(TARGET), GOOD.replace('97', '96'));
  assert.equal(read(STABLE_BACKUP), NEWER, 'the second run backed up what the first applied');
  const argvs = standin.invocations().map((call) => call.argv.join(' '));
  const pings = argvs.flatMap((argv, index) => (argv.endsWith('fail2ban-client ping') ? [index] : []));
  const reloads = argvs.flatMap((argv, index) => (argv.endsWith('fail2ban-client reload') ? [index] : []));
  assert.equal(pings.length, 2);
  assert.ok(reloads[0] < pings[1], `the second run starts after the first reloaded:\n${argvs.join('\n')}`);
  const backups = argvs.filter((argv) => / cp -p \S+user-jail\.local \S+\.bak$/.test(argv)).map((argv) => argv.split(' ').pop());
  assert.equal(new Set(backups).size, 2, `unique backup names: ${backups.join(', ')}`);
  assert.deepEqual(leftovers(), []);
});
