// Every DMS release line's `setup fail2ban` dialect (v12.0 … edge, LOG_LEVEL), container detection,
// contexts/hosts and several servers, against the stand-in docker sharing ONE real fail2ban-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDockerStandin, type DockerStandin, type DmsVersionName } from '../../support/dmsContainer';
import { startFail2banServer, type Fail2banServer } from '../../support/fail2banServer';
import { Fail2banService } from '../../../client/src/docker/fail2banService';
import { detectDmsContainer, listDmsContainers } from '../../../client/src/docker/containers';
import { inspectContainer } from '../../../client/src/docker/diagnose';
import { resolveServers, DEFAULT_SETTINGS } from '../../../client/src/targets';
import type { RuntimeTarget } from '../../../client/src/docker/runner';

let server: Fail2banServer;
let standin: DockerStandin;
const VERSIONS: DmsVersionName[] = ['v12.0', 'v12.1', 'v13', 'v14', 'v15.0', 'v15.1', 'v16', 'edge'];
const REMOTE = 'ssh://admin@mail.example.com';

function service(container: string, target: RuntimeTarget = { runtime: 'docker' }): Fail2banService {
  return new Fail2banService({ target, container, timeoutMs: 30_000, env: standin.env });
}

before(async () => {
  server = await startFail2banServer();
  standin = await createDockerStandin();
  for (const version of VERSIONS) await standin.startDmsContainer({ name: `dms-${version}`, dmsVersion: version, server });
  await standin.startDmsContainer({ name: 'dms-quiet', dmsVersion: 'v15.1', server, env: { LOG_LEVEL: 'warn' } });
  standin.addContainer({ name: 'web', image: 'nginx:1.27' });
  standin.addContext({ name: 'remote', endpoint: REMOTE });
  await standin.startDmsContainer({ name: 'remote-mail', dmsVersion: 'v15.1', server, context: 'remote' });
});
after(async () => {
  await standin?.dispose();
  await server?.dispose();
});

VERSIONS.forEach((version, index) => {
  test(`DMS ${version}: list, ban, already banned, unban per jail, status and log as that release supports them`, async () => {
    await server.resetBans();
    const svc = service(`dms-${version}`);
    const address = `192.0.2.${100 + index}`;
    assert.deepEqual(await svc.listBans(), { ok: true, value: [], notes: [] });
    assert.deepEqual((await svc.ban(address)).ok && (await svc.listBans()), { ok: true, value: [{ jail: 'custom', ips: [address] }], notes: [] });
    const again = await svc.ban(address);
    assert.equal(again.ok && again.value.status, 'already-banned');
    const unban = await svc.unban(address);
    assert.ok(unban.ok);
    assert.equal(unban.value.wasBanned, true);
    assert.deepEqual(unban.value.jails.map((jail) => jail.jail), ['custom', 'dovecot', 'postfix']);

    const status = await svc.status();
    const hasStatus = !['v12.0', 'v12.1'].includes(version);
    assert.equal(status.ok ? 'ok' : status.failure.kind, hasStatus ? 'ok' : 'unknown-subcommand');
    if (!status.ok) assert.match(status.failure.message, /v13\.0\.0/);

    const log = await svc.log();
    assert.equal(log.ok ? 'ok' : log.failure.kind, version === 'v12.0' ? 'unknown-subcommand' : 'ok');
    // The Show Log command's fallback works on every release, v12.0 included: the log path comes from the
    // release registry through the image label (v12.0.0 logs to /var/log/fail2ban.log, later ones to mail/).
    const inspected = await inspectContainer({ target: { runtime: 'docker' }, container: `dms-${version}`, timeoutMs: 30_000, env: standin.env });
    assert.ok('facts' in inspected, JSON.stringify(inspected));
    assert.equal(inspected.facts.fail2banLog, version === 'v12.0' ? '/var/log/fail2ban.log' : '/var/log/mail/fail2ban.log');
    const direct = await svc.readLogFiles(inspected.facts.fail2banLog);
    assert.ok(direct.ok && /fail2ban\.server\s+\[\d+\]: INFO\s+Starting Fail2ban/.test(direct.value.text), `log files read directly: ${JSON.stringify(direct)}`);
    assert.deepEqual(direct.notes, []);
    if (version === 'v12.0') {
      const wrongPath = await svc.readLogFiles('/var/log/mail/fail2ban.log');
      assert.deepEqual(wrongPath.ok && wrongPath.notes, ['The container has no /var/log/mail/fail2ban.log.']);
    }
  });
});

test('LOG_LEVEL=warn hides "No IPs have been banned": empty output still means no bans', async () => {
  await server.resetBans();
  assert.deepEqual(await service('dms-quiet').listBans(), { ok: true, value: [], notes: [] });
});

test('container listing: DMS containers by label, never the foreign one', async () => {
  const listed = await listDmsContainers({ runtime: 'docker' }, { timeoutMs: 30_000, env: standin.env });
  assert.ok(listed.ok);
  const names = listed.containers.map((container) => container.name).sort();
  assert.deepEqual(names, [...VERSIONS.map((version) => `dms-${version}`), 'dms-quiet'].sort());
  for (const container of listed.containers) {
    assert.match(container.image, /docker-mailserver/);
    assert.match(container.status, /^Up /);
  }
  const detection = await detectDmsContainer({ runtime: 'docker' }, { timeoutMs: 30_000, env: standin.env });
  assert.equal(detection.kind, 'several');
});

test('detection: one labelled container, or a container named "mailserver", or none', async () => {
  const solo = await createDockerStandin();
  try {
    const options = { timeoutMs: 30_000, env: solo.env };
    assert.deepEqual(await detectDmsContainer({ runtime: 'docker' }, options), { kind: 'none', skipped: [] });
    solo.addContainer({ name: 'mailserver', image: 'my/own-build:1', labels: {} });
    const byName = await detectDmsContainer({ runtime: 'docker' }, options);
    assert.equal(byName.kind === 'found' && `${byName.how}:${byName.container.name}`, 'name:mailserver');
    await solo.startDmsContainer({ name: 'mail', dmsVersion: 'v15.1', server });
    const byLabel = await detectDmsContainer({ runtime: 'docker' }, options);
    assert.equal(byLabel.kind === 'found' && `${byLabel.how}:${byLabel.container.name}`, 'label:mail');
    solo.setDaemonFailure('daemon-unreachable');
    const down = await detectDmsContainer({ runtime: 'docker' }, options);
    assert.equal(down.kind === 'failed' && down.failure.kind, 'daemon-unreachable');
  } finally {
    await solo.dispose();
  }
});

test('a docker context or host selects the daemon the container lives on', async () => {
  await server.resetBans();
  const viaContext = await service('remote-mail', { runtime: 'docker', context: 'remote' }).listBans();
  assert.deepEqual(viaContext, { ok: true, value: [], notes: [] });
  const viaHost = await service('remote-mail', { runtime: 'docker', host: REMOTE }).listBans();
  assert.deepEqual(viaHost, { ok: true, value: [], notes: [] });
  const local = await service('remote-mail').listBans();
  assert.equal(!local.ok && local.failure.kind, 'no-such-container');
  const listed = await listDmsContainers({ runtime: 'docker', context: 'remote' }, { timeoutMs: 30_000, env: standin.env });
  assert.deepEqual(listed.ok && listed.containers.map((container) => container.name), ['remote-mail']);
});

test('several servers from dmsFail2ban.servers: each resolves and lists on its own daemon', async () => {
  await server.resetBans();
  const { servers, problems } = resolveServers({
    ...DEFAULT_SETTINGS,
    servers: [
      { name: 'Local', container: 'dms-v15.1' },
      { name: 'Remote', context: 'remote' },
    ],
  });
  assert.deepEqual(problems, []);
  const results = [];
  for (const entry of servers) {
    let container = entry.container;
    if (!container) {
      const detection = await detectDmsContainer(entry.target, { timeoutMs: 30_000, env: standin.env });
      container = detection.kind === 'found' ? detection.container.name : undefined;
    }
    assert.ok(container, entry.label);
    results.push([entry.label, container, (await service(container, entry.target).listBans()).ok]);
  }
  assert.deepEqual(results, [
    ['Local', 'dms-v15.1', true],
    ['Remote', 'remote-mail', true],
  ]);
});
