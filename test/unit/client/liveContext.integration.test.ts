// The live container context end to end: the stand-in docker (test/standin) serves a REAL fail2ban tree (1.1.1 for
// DMS v16) plus DMS's files; the reader (client/src/docker/liveContext.ts) reads it, the engine checks against it,
// and the built CLI prints the context it used. Custom filters, actions and logs are put into the container.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerStartedAt, readContainerContext, type LiveContextRead } from '../../../client/src/docker/liveContext';
import { checkDocument } from '../../../server/src/engine';
import { computeCheckText } from '../../../server/src/features/checkText';
import { createValidator } from '../../../client/src/configValidator';
import { Fail2banService } from '../../../client/src/docker/fail2banService';
import type { ContainerContext } from '../../../server/src/shared';
import type { CheckOptions } from '../../../server/src/types';
import { LiveContextStore } from '../../../server/src/workspace/liveContext';
import { createDockerStandin, envWithoutDocker, putFileInContainer, type DmsContainer, type DockerStandin, type StandinFailure } from '../../support/dmsContainer';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'dms-fail2ban');

let standin: DockerStandin;
let dms: DmsContainer;
let live: ContainerContext;
let folder: string;

const CUSTOM_FILTER = '[Definition]\nfailregex = ^myapp: login failed for <HOST>$\nignoreregex =\n';
const CUSTOM_ACTION = '[Definition]\nactionban = true\nactionunban = true\n';
/** A DMS user jail file using the container's own filter, action and log. */
const USES_CUSTOM = '[myapp]\nenabled = true\nfilter = myapp-auth\naction = myapp-notify\nlogpath = /var/log/mail/myapp.log\n';
const MISSING_FILTER = '[myapp]\nenabled = true\nfilter = no-such-filter\nlogpath = /var/log/mail/mail.log\n';

function read(env = dms.env, timeoutMs = 30_000, container = 'mailserver'): Promise<LiveContextRead> {
  return readContainerContext({ runtime: 'docker' }, container, { timeoutMs, env });
}

function codes(text: string, container?: ContainerContext): string[] {
  return checkDocument(text, { kind: 'dms-jail', ...(container ? { container } : {}) })
    .filter((d) => d.severity === 'error')
    .map((d) => d.code);
}

/** Every file under a host folder with its hash: the container's tree before and after a read. */
function treeHashes(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hashes.set(path, `${stat.mtimeMs}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(dir);
  return hashes;
}

before(async () => {
  standin = await createDockerStandin();
  dms = await standin.startDmsContainer({ name: 'mailserver', dmsVersion: 'v16' });
  putFileInContainer(dms, '/etc/fail2ban/filter.d/myapp-auth.conf', CUSTOM_FILTER);
  putFileInContainer(dms, '/etc/fail2ban/action.d/myapp-notify.conf', CUSTOM_ACTION);
  putFileInContainer(dms, '/var/log/mail/myapp.log', '');
  const first = await read();
  assert.ok(first.ok, first.ok ? '' : first.reason);
  live = first.context;
  folder = mkdtempSync(join(tmpdir(), 'dms-live-cli-'));
  writeFileSync(join(folder, 'fail2ban-jail.cf'), USES_CUSTOM);
  writeFileSync(join(folder, 'missing-filter.cf'), MISSING_FILTER);
});

after(async () => {
  rmSync(folder, { recursive: true, force: true });
  await standin?.dispose();
});

test('the read finds the release, the fail2ban version, the real tree, the custom files and the logs', () => {
  assert.equal(live.container, 'mailserver');
  assert.equal(live.dmsRelease, 'v16.0.0');
  assert.equal(live.fail2banVersion, '1.1.1');
  assert.match(live.startedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  const jailConf = live.files.find((file) => file.path === '/etc/fail2ban/jail.conf');
  assert.ok(jailConf, 'jail.conf read');
  // fail2ban 1.1.1's own jail.conf (the stand-in serves the real install), read byte for byte
  assert.equal(jailConf.text, readFileSync(dms.hostPath('/etc/fail2ban/jail.conf'), 'utf8'));
  assert.ok(live.files.some((file) => file.path === '/etc/fail2ban/jail.local'), "DMS's jail.local read");
  assert.ok(live.files.some((file) => /\/paths-debian\.conf$/.test(file.path)));
  assert.ok(live.filterFiles.includes('myapp-auth.conf') && live.filterFiles.includes('postfix.conf'));
  assert.ok(live.actionFiles.includes('myapp-notify.conf'));
  assert.ok(live.logFiles.includes('/var/log/mail/myapp.log') && live.logFiles.includes('/var/log/mail/mail.log'));
});

test('with the container, its custom filter, action and log are known; without, they are errors', () => {
  assert.deepEqual(codes(USES_CUSTOM, live), []);
  const modelled = codes(USES_CUSTOM);
  assert.ok(modelled.includes('unknown-filter'), modelled.join());
  assert.ok(modelled.includes('unknown-action'), modelled.join());
  assert.ok(modelled.includes('missing-log'), modelled.join());
});

test('a filter the container lacks is still an error with the container', () => {
  assert.deepEqual(codes(MISSING_FILTER, live), ['unknown-filter']);
  const message = checkDocument(MISSING_FILTER, { kind: 'dms-jail', container: live }).find((d) => d.code === 'unknown-filter')?.message ?? '';
  assert.match(message, /container mailserver has no filter\.d\/no-such-filter\.conf/);
});

test('a context read never writes: only inspect, fail2ban-client -V, ls and grep, no shell, the tree unchanged', async () => {
  const tree = treeHashes(dms.hostPath('/etc/fail2ban'));
  standin.clearInvocations();
  const again = await read();
  assert.ok(again.ok);
  const calls = standin.invocations();
  assert.equal(calls.length, 4, calls.map((c) => c.argv.join(' ')).join('\n'));
  for (const call of calls) {
    assert.ok(!['sh', 'bash', 'dash', 'zsh'].includes(call.parent.comm), `docker run from ${call.parent.comm}`);
    const [command, ...rest] = call.argv;
    if (command === 'inspect') continue;
    assert.equal(command, 'exec', call.argv.join(' '));
    const program = rest[1];
    assert.ok(['fail2ban-client', 'ls', 'grep'].includes(program), call.argv.join(' '));
    if (program === 'fail2ban-client') assert.deepEqual(rest.slice(2), ['-V']);
  }
  assert.deepEqual(treeHashes(dms.hostPath('/etc/fail2ban')), tree);
});

test('the CLI checks against the container and prints the context it used (text on stderr, JSON field)', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = dms.env) => spawnSync(process.execPath, [BIN, 'check', ...args], { encoding: 'utf8', cwd: ROOT, env });
  const file = join(folder, 'fail2ban-jail.cf');
  const withContainer = run(['--container', 'mailserver', file]);
  assert.equal(withContainer.stdout, '', withContainer.stdout);
  assert.match(withContainer.stderr, /context: container mailserver: DMS v16\.0\.0, fail2ban 1\.1\.1/);
  assert.equal(withContainer.status, 0);
  const without = run([file]);
  assert.match(without.stdout, /unknown-filter/);
  assert.equal(without.status, 1);
  const json = run(['--container', 'mailserver', '--format', 'json', '--kind', 'dms-jail', join(folder, 'missing-filter.cf')]);
  const [entry] = JSON.parse(json.stdout) as Array<{ context: { source: string; container: string; dmsRelease: string; fail2banVersion: string }; diagnostics: Array<{ code: string }> }>;
  assert.deepEqual([entry.context.source, entry.context.container, entry.context.dmsRelease, entry.context.fail2banVersion], ['container', 'mailserver', 'v16.0.0', '1.1.1']);
  assert.deepEqual(entry.diagnostics.map((d) => d.code), ['unknown-filter']);
  assert.equal(json.status, 1);
  // an unreachable container: the modelled release, said so, no crash
  const noDocker = run(['--container', 'mailserver', file], envWithoutDocker(dms.env));
  assert.match(noDocker.stderr, /context: modelled: DMS v16 — container mailserver not used: The container CLI 'docker' was not found/);
  assert.match(noDocker.stdout, /unknown-filter/);
  assert.equal(noDocker.status, 1);
});

test('Apply Config validates against the live context of the container it applies to (and only that one)', async () => {
  const store = new LiveContextStore();
  store.update({ context: live });
  const validate = createValidator((params) => computeCheckText(params, store.forContainer(params.container)));
  const errorCodes = async (container?: string) => (await validate(USES_CUSTOM, 'dms-jail', container)).filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(await errorCodes('mailserver'), []);
  assert.ok((await errorCodes('other-mailserver')).includes('unknown-filter'));
  assert.ok((await errorCodes(undefined)).includes('unknown-filter'));
  // the service passes its own container to the validator
  let asked: string | undefined;
  const service = new Fail2banService({
    target: { runtime: 'docker' }, container: 'mailserver', timeoutMs: 30_000, env: dms.env,
    validate: (text, kind, container) => { asked = container; return validate(text, kind, container); },
  });
  const outcome = await service.applyConfig('dms-jail', '[DEFAULT]\nbantime = 1x\n');
  assert.equal(asked, 'mailserver');
  assert.equal(outcome.status, 'refused', 'an invalid file is refused before anything is copied');
});

test('a restart shows as a new StartedAt (one docker inspect): the cached context is then read again', async () => {
  assert.equal(await containerStartedAt({ runtime: 'docker' }, 'mailserver', { timeoutMs: 30_000, env: dms.env }), live.startedAt);
  // what `docker restart` changes in the container's state (the stand-in does not emulate restart itself)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { updateContainer } = require('../../standin/lib/state.js') as { updateContainer(env: NodeJS.ProcessEnv, id: string, changes: object): void };
  const restartedAt = new Date(Date.parse(live.startedAt ?? '') + 60_000).toISOString();
  updateContainer(dms.env, dms.id, { startedAt: restartedAt });
  assert.equal(await containerStartedAt({ runtime: 'docker' }, 'mailserver', { timeoutMs: 30_000, env: dms.env }), restartedAt);
  const reread = await read();
  assert.ok(reread.ok);
  assert.equal(reread.context.startedAt, restartedAt);
});

const FAILURES: Array<{ failure: StandinFailure; reason: RegExp }> = [
  { failure: 'docker-not-installed', reason: /'docker' was not found/ },
  { failure: 'daemon-unreachable', reason: /daemon/i },
  { failure: 'not-running', reason: /not running/ },
  { failure: 'timeout', reason: /did not answer/ },
  { failure: 'garbage', reason: /No fail2ban configuration found|Unexpected output/ },
];

for (const { failure, reason } of FAILURES) {
  test(`docker failure '${failure}': no crash, the modelled context with a clear note`, async () => {
    await dms.setFailure(failure);
    try {
      const outcome = await read(dms.env, failure === 'timeout' ? 1500 : 30_000);
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.match(outcome.reason, reason);
      const store = new LiveContextStore();
      store.update({ context: live });
      assert.equal(store.status('dms-jail', 'v16').source, 'container');
      store.update({ context: null, reason: outcome.reason });
      const status = store.status('dms-jail', 'v16');
      assert.equal(status.source, 'modelled');
      assert.equal(status.summary, `modelled: DMS v16 — ${outcome.reason}`);
      // the modelled release answers again: the custom filter is unknown
      const options: CheckOptions = store.apply({ kind: 'dms-jail' });
      assert.equal(options.container, undefined);
      assert.ok(codes(USES_CUSTOM, options.container).includes('unknown-filter'));
    } finally {
      await dms.setFailure(undefined);
    }
  });
}
