// The Fail2Ban view's per-server state machine (bans/session.ts) against the stand-in docker and a
// real fail2ban-server: detection, remembered choice, the v12 fallback without `status`, and the
// welcome-view states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDockerStandin, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';
import { ServerSession, viewState, type SessionHost } from '../../../client/src/bans/session';
import { DEFAULT_SETTINGS, resolveServers, type ClientSettings } from '../../../client/src/targets';

let standin: DockerStandin;
let mail: DmsContainer;
const store = new Map<string, unknown>();
const output: string[] = [];

function session(settings: Partial<ClientSettings> = {}): ServerSession {
  const all = { ...DEFAULT_SETTINGS, ...settings };
  const host: SessionHost = {
    settings: () => all,
    memento: { get: <T>(key: string) => store.get(key) as T | undefined, update: async (key, value) => void store.set(key, value) },
    output: { appendLine: (line) => output.push(line) },
    env: standin.env,
    validator: () => [],
  };
  return new ServerSession(resolveServers(all).servers[0], host, () => undefined);
}

before(async () => {
  standin = await createDockerStandin();
  mail = await standin.startDmsContainer({ name: 'mail', dmsVersion: 'v15.1' });
});
after(async () => {
  await standin?.dispose();
});

test('detects the only DMS container and shows every jail with its counts', async () => {
  const s = session();
  assert.equal(viewState([s]), 'loading');
  const state = await s.refresh();
  assert.equal(state.kind, 'ready');
  assert.ok(state.kind === 'ready');
  assert.equal(state.container, 'mail');
  assert.deepEqual(state.jails.map((jail) => [jail.jail, jail.currentlyBanned]), [['custom', 0], ['dovecot', 0], ['postfix', 0]]);
  assert.equal(viewState([s]), 'ready');

  const got = await s.service();
  assert.ok('service' in got);
  assert.equal((await got.service.ban('192.0.2.30')).ok, true);
  const after = await s.refresh();
  assert.deepEqual(after.kind === 'ready' && after.jails[0], { jail: 'custom', ips: ['192.0.2.30'], currentlyBanned: 1, totalBanned: 1 });
  await mail.server.resetBans();
});

test('a stopped container is "stopped" (found by detection too), and Start brings it back; a paused one is resumed', async () => {
  await mail.setFailure('not-running');
  try {
    const detected = session();
    const state = await detected.refresh();
    assert.equal(state.kind === 'failed' && state.container, 'mail', 'detection finds the stopped DMS container instead of "none"');
    assert.equal(state.kind === 'failed' && state.failure.kind, 'container-not-running');
    assert.ok(state.kind === 'failed' && state.failure.actions[0] === 'start-container');
    assert.match(state.kind === 'failed' ? state.failure.message : '', /'mail' is stopped\. Start it \(`docker start mail`\)/);
    assert.equal(viewState([detected]), 'stopped');
    standin.clearInvocations();
    const started = await detected.startContainer();
    assert.deepEqual(started, { ok: true, container: 'mail' });
    assert.deepEqual(standin.invocations().map((call) => call.argv.slice(0, 2))[0], ['start', 'mail']);
    assert.equal(detected.state.kind, 'ready');
    assert.equal(viewState([detected]), 'ready');
  } finally {
    await mail.setFailure(undefined);
  }
  await mail.setFailure('paused');
  try {
    const s = session({ container: 'mail' });
    await s.refresh();
    assert.equal(s.state.kind === 'failed' && s.state.failure.kind, 'container-paused');
    assert.equal(viewState([s]), 'paused');
    standin.clearInvocations();
    assert.equal((await s.startContainer()).ok, true);
    assert.deepEqual(standin.invocations()[0].argv.slice(0, 2), ['unpause', 'mail']);
    assert.equal(s.state.kind, 'ready');
  } finally {
    await mail.setFailure(undefined);
  }
  const healthy = session({ container: 'mail' });
  await healthy.refresh();
  assert.equal((await healthy.startContainer()).ok, false, 'nothing to start: refused without calling docker');
});

test('several DMS containers: the user must choose; the choice is remembered; v12 falls back to the plain listing', async () => {
  await standin.startDmsContainer({ name: 'old', dmsVersion: 'v12.0', server: mail.server });
  try {
    const s = session();
    const state = await s.refresh();
    assert.equal(state.kind, 'no-container');
    assert.deepEqual(state.kind === 'no-container' && state.candidates.map((c) => c.name).sort(), ['mail', 'old']);
    assert.equal(viewState([s]), 'noContainer');
    const noService = await s.service();
    assert.equal('failure' in noService && noService.failure.kind, 'no-container-selected');

    await s.rememberContainer('old');
    assert.equal(session().rememberedContainer(), 'old', 'kept in the store');
    await mail.server.client(['set', 'dovecot', 'banip', '203.0.113.9']);
    const chosen = await s.refresh();
    // DMS v12.0 has no `status`: only jails with bans are known, from `setup fail2ban`.
    assert.deepEqual(chosen.kind === 'ready' && [chosen.container, chosen.jails], ['old', [{ jail: 'dovecot', ips: ['203.0.113.9'], currentlyBanned: 1 }]]);
    await s.rememberContainer(undefined);
  } finally {
    await mail.server.resetBans();
    store.clear();
  }
});

test('a daemon that is down gives the daemonDown welcome; a wrong container is shown as a failure in the tree', async () => {
  const s = session({ container: 'mail' });
  standin.setDaemonFailure('daemon-unreachable');
  try {
    const state = await s.refresh();
    assert.equal(state.kind === 'failed' && state.failure.kind, 'daemon-unreachable');
    assert.equal(viewState([s]), 'daemonDown', 'a daemon that is down has its own welcome text');
  } finally {
    standin.setDaemonFailure(undefined);
  }
  const wrong = session({ container: 'nope' });
  const state = await wrong.refresh();
  assert.equal(state.kind === 'failed' && state.failure.kind, 'no-such-container');
  assert.equal(viewState([wrong]), 'ready');
  assert.equal(viewState([wrong, s]), 'ready', 'several servers always show their nodes');
});

test('concurrent refreshes share one run', async () => {
  const s = session({ container: 'mail' });
  standin.clearInvocations();
  const [a, b] = await Promise.all([s.refresh(), s.refresh()]);
  assert.equal(a, b);
  assert.equal(standin.invocations().length, 1, 'one `setup fail2ban status`');
});

test('a refresh asked for while a load runs gets a load of its own after it, so it sees a ban made meanwhile', async () => {
  const s = session({ container: 'mail' });
  standin.clearInvocations();
  const running = s.refresh();
  await new Promise((resolve) => setImmediate(resolve));
  const got = await s.service();
  assert.ok('service' in got);
  assert.equal((await got.service.ban('192.0.2.31')).ok, true);
  const [late, later] = [s.refresh(), s.refresh()];
  assert.equal(late, later, 'refreshes asked for during one load share the next one');
  await running;
  const state = await late;
  const statusCalls = standin.invocations().filter((call) => call.argv.includes('status')).length;
  assert.equal(statusCalls, 2, 'the running load and one more');
  assert.ok(state.kind === 'ready' && state.jails.some((jail) => jail.ips.includes('192.0.2.31')), JSON.stringify(state));
  await mail.server.resetBans();
});

test('a hostile container name from docker ps never becomes a docker argument; it is skipped with a note', async () => {
  const hostile = '--env-file=/etc/passwd';
  const evilHost = await createDockerStandin();
  const dmsLabel = { 'org.opencontainers.image.title': 'docker-mailserver' };
  try {
    evilHost.addContainer({ name: hostile, image: 'mailserver/docker-mailserver:15.1', labels: dmsLabel });
    // Cleaned of its escape sequence this would be a valid `mail`: names are checked as docker printed them.
    evilHost.addContainer({ name: 'mail\x1b]0;owned\x07', image: 'mailserver/docker-mailserver:15.1', labels: dmsLabel });
    evilHost.addContainer({ name: 'mx\x9b2J', image: 'mailserver/docker-mailserver:15.1', labels: dmsLabel });
    const lines: string[] = [];
    const settings = { ...DEFAULT_SETTINGS };
    const host: SessionHost = {
      settings: () => settings,
      memento: { get: () => undefined, update: async () => undefined },
      output: { appendLine: (line) => lines.push(line) },
      env: evilHost.env,
      validator: () => [],
    };
    const s = new ServerSession(resolveServers(settings).servers[0], host, () => undefined);
    const state = await s.refresh();
    assert.deepEqual(state.kind === 'no-container' && state.candidates, [], JSON.stringify(state));
    assert.equal('failure' in (await s.service()), true, 'no service for a skipped name');
    const notes = lines.filter((line) => line.startsWith('Note: Skipped the container name'));
    assert.equal(notes.length, 3, lines.join('\n'));
    assert.ok(notes[0].includes(JSON.stringify(hostile)));
    assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(notes.join('')), 'the notes escape control characters');
    const calls = evilHost.invocations();
    assert.ok(calls.length > 0);
    assert.deepEqual(calls.filter((call) => call.argv.some((arg) => arg.includes('env-file') || /^m(ail|x)[\x1b\x9b]/.test(arg))), []);
    assert.deepEqual([...new Set(calls.map((call) => call.argv[0]))], ['ps'], 'only listing ran: no exec, no cp');
  } finally {
    await evilHost.dispose();
  }
});

test('a hostile remembered container choice is ignored with a note, and detection runs instead', async () => {
  const lines: string[] = [];
  const settings = { ...DEFAULT_SETTINGS };
  const host: SessionHost = {
    settings: () => settings,
    memento: { get: <T>() => '--privileged' as T, update: async () => undefined },
    output: { appendLine: (line) => lines.push(line) },
    env: standin.env,
    validator: () => [],
  };
  const s = new ServerSession(resolveServers(settings).servers[0], host, () => undefined);
  standin.clearInvocations();
  const state = await s.refresh();
  // Earlier tests leave a second DMS container: detection finds one or asks; either way it ran.
  assert.ok(state.kind === 'ready' || state.kind === 'no-container', JSON.stringify(state));
  assert.equal(standin.invocations()[0]?.argv[0], 'ps', 'detection ran');
  assert.ok(lines.some((line) => line.includes('"--privileged" from the remembered container choice')), lines.join('\n'));
  assert.ok(standin.invocations().every((call) => !call.argv.includes('--privileged')));
});
