// Every docker/DMS failure the stand-in simulates, with docker's exact message and exit status.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDockerStandin, envWithoutDocker, runDocker, type DmsContainer, type DockerStandin,
} from '../../support/dmsContainer';
import { GARBAGE_OUTPUT } from '../../standin/lib/exec';

describe('failure modes', () => {
  let host: DockerStandin;
  let dms: DmsContainer;
  const listBans = () => runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban']);

  before(async () => {
    host = await createDockerStandin();
    dms = await host.startDmsContainer({ name: 'mailserver' });
  });
  after(async () => {
    await host.dispose();
  });
  afterEach(async () => {
    await dms.setFailure(undefined);
  });

  it('healthy: the listing works (baseline for every case below)', async () => {
    const r = await listBans();
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /No IPs have been banned/);
  });

  it('docker not installed: spawning docker fails with ENOENT', async () => {
    await dms.setFailure('docker-not-installed');
    await assert.rejects(runDocker(dms.env, ['ps']), { code: 'ENOENT' });
    await dms.setFailure(undefined);
    assert.equal((await runDocker(dms.env, ['ps', '-q'])).exitCode, 0, 'PATH restored');
    await assert.rejects(runDocker(envWithoutDocker(dms.env), ['ps']), { code: 'ENOENT' });
  });

  it('daemon not reachable: every daemon command fails, exit 1', async () => {
    await dms.setFailure('daemon-unreachable');
    const message = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';
    for (const args of [['exec', 'mailserver', 'setup', 'fail2ban'], ['ps'], ['inspect', 'mailserver']]) {
      const r = await runDocker(dms.env, args);
      assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, '', message], args.join(' '));
    }
    const version = await runDocker(dms.env, ['version']);
    assert.equal(version.exitCode, 1);
    assert.match(version.stdout, /^Client: Docker Engine - Community\n Version: {11}27\.3\.1\n/);
    assert.ok(!version.stdout.includes('Server:'));
    assert.equal(version.stderr, message);
  });

  it('permission denied on the socket: docker 27 wording, exit 1', async () => {
    await dms.setFailure('permission-denied');
    const r = await listBans();
    assert.equal(r.exitCode, 1);
    assert.equal(
      r.stderr,
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Head "http://%2Fvar%2Frun%2Fdocker.sock/_ping": dial unix /var/run/docker.sock: connect: permission denied\n',
    );
  });

  it('no such container: exec and cp say so, ps does not list it', async () => {
    await dms.setFailure('no-such-container');
    const r = await listBans();
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, '', 'Error response from daemon: No such container: mailserver\n']);
    const cp = await runDocker(dms.env, ['cp', 'mailserver:/etc/fail2ban/jail.local', '/tmp/x']);
    assert.deepEqual([cp.exitCode, cp.stderr], [1, 'Error response from daemon: No such container: mailserver\n']);
    assert.equal((await runDocker(dms.env, ['ps', '-a', '-q'])).stdout, '');
  });

  it('container not running: exec fails with the full id; ps -a shows it exited', async () => {
    await dms.setFailure('not-running');
    const r = await listBans();
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, '', `Error response from daemon: container ${dms.id} is not running\n`]);
    assert.match(dms.id, /^[0-9a-f]{64}$/);
    assert.equal((await runDocker(dms.env, ['ps', '--format', '{{.Names}}'])).stdout, '');
    const all = await runDocker(dms.env, ['ps', '-a', '--format', '{{.Names}} {{.State}} {{.Status}}']);
    assert.match(all.stdout, /^mailserver exited Exited \(0\) 2 hours ago\n$/);
  });

  it('container paused: exec refuses', async () => {
    await dms.setFailure('paused');
    const r = await listBans();
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, `Error response from daemon: container ${dms.id} is paused, unpause the container before exec\n`);
  });

  it('not a DMS container: setup is not found (OCI message on stdout, exit 127)', async () => {
    await dms.setFailure('not-dms');
    const r = await listBans();
    assert.deepEqual(
      [r.exitCode, r.stdout, r.stderr],
      [127, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "setup": executable file not found in $PATH: unknown\n', ''],
    );
    const client = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'ping']);
    assert.equal(client.exitCode, 127);
  });

  it('fail2ban not running: the real server is stopped, the raw client fails too', async () => {
    await dms.setFailure('fail2ban-not-running');
    assert.equal(dms.server.isRunning(), false);
    const r = await listBans();
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /fail2ban: Fail2ban not running\n.*fail2ban: Aborting\n$/);
    const ping = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'ping']);
    assert.equal(ping.exitCode, 255);
    assert.match(ping.stderr, /ERROR {3}Failed to access socket path: \/var\/run\/fail2ban\/fail2ban\.sock\. Is fail2ban running\?/);
    await dms.setFailure(undefined);
    assert.equal(dms.server.isRunning(), true);
  });

  it('timeout: docker exec hangs until killed', async () => {
    await dms.setFailure('timeout');
    const r = await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban'], { timeoutMs: 1500 });
    // ended by our SIGTERM (only the timer sends it), not by an exit of its own, and said nothing
    assert.equal(r.signal, 'SIGTERM');
    assert.equal(r.exitCode, null);
    assert.equal(r.stdout, '');
  });

  it('daemon timeout: even docker ps hangs', async () => {
    await dms.setFailure('daemon-timeout');
    const r = await runDocker(dms.env, ['ps'], { timeoutMs: 1000 });
    assert.equal(r.signal, 'SIGTERM');
  });

  it('unexpected output: garbage on stdout, exit 0', async () => {
    await dms.setFailure('garbage');
    const r = await listBans();
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, GARBAGE_OUTPUT, '']);
  });

  it('docker cp fails half-way: half the file lands, exit 1 with the daemon\'s message; exec still works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-partial-'));
    try {
      const source = join(dir, 'new.local');
      writeFileSync(source, '0123456789');
      await dms.setFailure('cp-partial');
      const r = await runDocker(dms.env, ['cp', source, 'mailserver:/etc/fail2ban/jail.d/half.local']);
      assert.equal(r.exitCode, 1);
      assert.equal(r.stderr, 'Error response from daemon: Error processing tar file(exit status 1): write /etc/fail2ban/jail.d/half.local: no space left on device\n');
      assert.equal(readFileSync(dms.hostPath('/etc/fail2ban/jail.d/half.local'), 'utf8'), '01234');
      assert.equal((await listBans()).exitCode, 0);
    } finally {
      rmSync(dms.hostPath('/etc/fail2ban/jail.d/half.local'), { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops after reload: the reload answers, then the container is not running until the failure is cleared', async () => {
    await dms.setFailure('stops-after-reload');
    const reload = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'reload']);
    assert.equal(reload.exitCode, 0, reload.stderr);
    const after = await listBans();
    assert.equal(after.exitCode, 1);
    assert.match(after.stderr, /^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
    await dms.setFailure(undefined);
    assert.equal((await listBans()).exitCode, 0);
  });

  it('reload timeout: docker exec never answers, the reload still runs to the end in the background', async () => {
    await dms.setFailure('reload-timeout');
    const marker = join(host.stateDir, 'background');
    const reload = runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'reload'], { timeoutMs: 3000 });
    const r = await reload;
    assert.equal(r.signal, 'SIGTERM', 'killed by the caller, never answered');
    assert.ok(existsSync(marker), 'the background reload was started');
    await dms.waitForBackgroundReloads();
    assert.equal((await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban-client', 'ping'])).exitCode, 0, 'other commands answer');
  });

  it('a failure can be given at start and switched off', async () => {
    const other = await host.startDmsContainer({ name: 'other', failure: 'not-running', server: dms.server });
    try {
      assert.equal((await runDocker(dms.env, ['exec', 'other', 'setup', 'fail2ban'])).exitCode, 1);
      await other.setFailure(undefined);
      assert.equal((await runDocker(dms.env, ['exec', 'other', 'setup', 'fail2ban'])).exitCode, 0);
    } finally {
      await other.stop();
    }
    assert.equal(dms.server.isRunning(), true, 'a shared server survives the other container');
  });

  it('invocations are logged with separate argv entries, and tell a shell apart', async () => {
    host.clearInvocations();
    const listed = await runDocker(dms.env, ['inspect', '--format', '{{.Name}}; echo "$HOME"', 'mailserver']);
    assert.equal(listed.stdout, '/mailserver; echo "$HOME"\n');
    const [direct] = host.invocations();
    assert.deepEqual(direct.argv, ['inspect', '--format', '{{.Name}}; echo "$HOME"', 'mailserver']);
    assert.equal(direct.parent.comm, 'node');
    await new Promise<void>((resolve) => {
      spawn('docker ps -q', { shell: true, env: dms.env, stdio: 'ignore' }).on('close', () => resolve());
    });
    const viaShell = host.invocations()[1];
    assert.deepEqual(viaShell.argv, ['ps', '-q']);
    assert.equal(viaShell.parent.comm, 'sh');
  });
});
