// The docker side of the stand-in: ps / inspect / version / context / cp / exec of file programs and
// fail2ban-client, contexts and hosts, and the "apply config" round trip (back up, copy, reload, restore).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDockerStandin, runDocker, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';

describe('stand-in docker CLI', () => {
  let host: DockerStandin;
  let dms: DmsContainer;
  let scratch: string;
  const docker = (...args: string[]) => runDocker(host.env, args);

  before(async () => {
    host = await createDockerStandin();
    dms = await host.startDmsContainer({ name: 'mailserver' });
    host.addContainer({ name: 'web', image: 'nginx:1.27' });
    host.addContainer({ name: 'old-mail', image: 'mailserver/docker-mailserver:11.3.1', labels: { 'org.opencontainers.image.title': 'docker-mailserver' }, status: 'exited' });
    host.addContext({ name: 'remote', endpoint: 'ssh://admin@mail.example.com', description: 'production' });
    await host.startDmsContainer({ name: 'mail-remote', context: 'remote', server: dms.server });
    scratch = mkdtempSync(join(tmpdir(), 'standin-cli-'));
  });
  after(async () => {
    await host.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('ps', () => {
    it('default table: running containers of this daemon, docker column layout', async () => {
      const r = await docker('ps');
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^CONTAINER ID {3}IMAGE {2,}COMMAND {2,}CREATED {2,}STATUS {2,}PORTS {5}NAMES$/);
      assert.equal(lines.length, 3);
      assert.ok(lines.some((l) => /^[0-9a-f]{12} {3}ghcr\.io\/docker-mailserver\/docker-mailserver:15\.1\.0 {3}"\/usr\/bin\/dumb-init …" {3}2 hours ago {3}Up 2 hours \(healthy\) +mailserver$/.test(l)), r.stdout);
      assert.ok(lines.some((l) => l.endsWith('web')));
    });

    it('label filter + Go template with \\t: how DMS containers are found', async () => {
      const r = await docker('ps', '--filter', 'label=org.opencontainers.image.title=docker-mailserver', '--format', '{{.Names}}\\t{{.Image}}\\t{{.Status}}');
      assert.equal(r.stdout, 'mailserver\tghcr.io/docker-mailserver/docker-mailserver:15.1.0\tUp 2 hours (healthy)\n');
      const all = await docker('ps', '-a', '--filter', 'label=org.opencontainers.image.title=docker-mailserver', '--format', '{{.Names}} {{.State}}');
      assert.deepEqual(all.stdout.trimEnd().split('\n').sort(), ['mailserver running', 'old-mail exited']);
    });

    it('{{json .}} rows carry docker ps fields; {{.Label "k"}} reads one label', async () => {
      const r = await docker('ps', '--filter', 'name=mailserver', '--format', '{{json .}}');
      const row = JSON.parse(r.stdout) as Record<string, string>;
      assert.deepEqual(Object.keys(row), ['Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Networks', 'Ports', 'RunningFor', 'Size', 'State', 'Status']);
      assert.equal(row.Names, 'mailserver');
      assert.equal(row.ID, dms.id.slice(0, 12));
      assert.match(row.Labels, /org\.opencontainers\.image\.title=docker-mailserver/);
      const label = await docker('ps', '--filter', 'name=mailserver', '--format', '{{.Label "org.opencontainers.image.version"}}');
      assert.equal(label.stdout, '15.1.0\n');
    });

    it('-q, --no-trunc, invalid filters and templates', async () => {
      assert.equal((await docker('ps', '-q', '--no-trunc', '--filter', 'name=mailserver')).stdout, `${dms.id}\n`);
      const badFilter = await docker('ps', '--filter', 'colour=blue');
      assert.deepEqual([badFilter.exitCode, badFilter.stderr], [1, "Error response from daemon: invalid filter 'colour'\n"]);
      const badTemplate = await docker('ps', '--format', '{{nosuch .}}');
      assert.deepEqual([badTemplate.exitCode, badTemplate.stderr], [1, 'template parsing error: template: :1: function "nosuch" not defined\n']);
    });
  });

  describe('inspect / version / context', () => {
    it('inspect: JSON array, --format, missing objects', async () => {
      const r = await docker('inspect', 'mailserver');
      const [object] = JSON.parse(r.stdout) as { Name: string; State: { Running: boolean }; Config: { Labels: Record<string, string> } }[];
      assert.equal(object.Name, '/mailserver');
      assert.equal(object.State.Running, true);
      assert.equal(object.Config.Labels['org.opencontainers.image.title'], 'docker-mailserver');
      const format = await docker('inspect', '--format', '{{.State.Status}} {{.State.Running}} {{json .Config.Labels}}', 'mailserver');
      assert.match(format.stdout, /^running true \{"org\.opencontainers\.image\.description":.*"org\.opencontainers\.image\.version":"15\.1\.0"\}\n$/);
      const missing = await docker('inspect', 'nope');
      assert.deepEqual([missing.exitCode, missing.stdout, missing.stderr], [1, '[]\n', 'Error: No such object: nope\n']);
    });

    it('version, -v, info', async () => {
      assert.equal((await docker('-v')).stdout, 'Docker version 27.3.1, build ce12230\n');
      assert.equal((await docker('--version')).exitCode, 0);
      const v = await docker('version');
      assert.match(v.stdout, /^Client: Docker Engine - Community\n/);
      assert.match(v.stdout, /\nServer: Docker Engine - Community\n Engine:\n {2}Version: {10}27\.3\.1\n/);
      assert.equal((await docker('version', '--format', '{{.Server.Version}}')).stdout, '27.3.1\n');
      assert.equal((await docker('info', '--format', '{{.ServerVersion}}')).stdout, '27.3.1\n');
    });

    it('context ls: table and json; --context picks the remote daemon', async () => {
      const table = await docker('context', 'ls');
      assert.equal(
        table.stdout,
        'NAME        DESCRIPTION                               DOCKER ENDPOINT                ERROR\n' +
          'default *   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock    \n' +
          'remote      production                                ssh://admin@mail.example.com   \n',
      );
      const json = await docker('context', 'ls', '--format', '{{json .}}');
      assert.deepEqual(JSON.parse(json.stdout.split('\n')[1]), {
        Current: false, Description: 'production', DockerEndpoint: 'ssh://admin@mail.example.com', Error: '', Name: 'remote',
      });
      assert.equal((await docker('--context', 'remote', 'ps', '--format', '{{.Names}}')).stdout, 'mail-remote\n');
      assert.equal((await docker('-H', 'ssh://admin@mail.example.com', 'ps', '--format', '{{.Names}}')).stdout, 'mail-remote\n');
      assert.equal((await docker('ps', '--format', '{{.Names}}', '--filter', 'name=mail')).stdout, 'mailserver\n');
      const remoteExec = await runDocker({ ...host.env, DOCKER_CONTEXT: 'remote' }, ['exec', 'mail-remote', 'setup', 'fail2ban', 'help']);
      assert.equal(remoteExec.exitCode, 0);
    });

    it('unknown context, unknown host, both flags', async () => {
      const unknown = await docker('--context', 'nope', 'ps');
      assert.equal(unknown.exitCode, 1);
      assert.match(unknown.stderr, /^context "nope": context not found: open \/root\/\.docker\/contexts\/meta\/[0-9a-f]{64}\/meta\.json: no such file or directory\n$/);
      const host2 = await docker('-H', 'tcp://192.0.2.10:2375', 'ps');
      assert.deepEqual([host2.exitCode, host2.stderr], [1, 'Cannot connect to the Docker daemon at tcp://192.0.2.10:2375. Is the docker daemon running?\n']);
      const both = await docker('--context', 'remote', '-H', 'unix:///x.sock', 'ps');
      assert.deepEqual([both.exitCode, both.stderr], [1, 'Conflicting options: either specify --host or --context, not both\n']);
      const daemonDown = await (async () => {
        host.setDaemonFailure('daemon-unreachable', 'ssh://admin@mail.example.com');
        try {
          return await docker('--context', 'remote', 'ps');
        } finally {
          host.setDaemonFailure(undefined, 'ssh://admin@mail.example.com');
        }
      })();
      assert.equal(daemonDown.stderr, 'Cannot connect to the Docker daemon at ssh://admin@mail.example.com. Is the docker daemon running?\n');
      assert.equal((await docker('ps', '-q')).exitCode, 0, 'the default daemon is unaffected');
    });

    it('unknown docker command and unknown exec flag', async () => {
      const r = await docker('frobnicate');
      assert.deepEqual([r.exitCode, r.stderr], [1, "docker: 'frobnicate' is not a docker command.\nSee 'docker --help'\n"]);
      const flag = await docker('exec', '--bogus', 'mailserver', 'true');
      assert.deepEqual([flag.exitCode, flag.stderr], [125, "unknown flag: --bogus\nSee 'docker exec --help'.\n"]);
      const tooFew = await docker('exec', 'mailserver');
      assert.equal(tooFew.exitCode, 1);
      assert.match(tooFew.stderr, /^"docker exec" requires at least 2 arguments\./);
    });
  });

  describe('files in the container', () => {
    it('cat/test/mkdir/ls run on the container paths; messages show container paths', async () => {
      const jailLocal = await docker('exec', 'mailserver', 'cat', '/etc/fail2ban/jail.local');
      assert.match(jailLocal.stdout, /^\[DEFAULT\]\n/);
      assert.match(jailLocal.stdout, /\[custom\]\nenabled = true\nbantime = 180d\n/);
      assert.equal((await docker('exec', 'mailserver', 'test', '-f', '/etc/fail2ban/filter.d/custom.conf')).exitCode, 0);
      assert.equal((await docker('exec', 'mailserver', 'test', '-f', '/etc/fail2ban/jail.d/user-jail.local')).exitCode, 1);
      assert.equal((await docker('exec', 'mailserver', 'cat', '/etc/fail2ban/filter.d/custom.conf')).stdout, '[Definition]\n');
      const missing = await docker('exec', 'mailserver', 'cat', '/etc/fail2ban/nope.local');
      assert.deepEqual([missing.exitCode, missing.stderr], [1, 'cat: /etc/fail2ban/nope.local: No such file or directory\n']);
      assert.equal((await docker('exec', 'mailserver', 'mkdir', '-p', '/tmp/docker-mailserver/sub')).exitCode, 0);
      assert.ok(existsSync(dms.hostPath('/tmp/docker-mailserver/sub')));
      assert.equal((await docker('exec', 'mailserver', 'cat', '/etc/dms-settings')).stdout, "ENABLE_FAIL2BAN='1'\n");
      assert.match((await docker('exec', 'mailserver', 'readlink', '/var/log/fail2ban.log')).stdout, /^mail\/fail2ban\.log\n$/);
    });

    it('programs the image lacks: OCI error; shells are refused as not emulated', async () => {
      const r = await docker('exec', 'mailserver', 'frobnicate');
      assert.equal(r.exitCode, 127);
      assert.match(r.stdout, /exec: "frobnicate": executable file not found in \$PATH: unknown\n$/);
      const sh = await docker('exec', 'mailserver', 'sh', '-c', 'echo hi');
      assert.equal(sh.exitCode, 2);
      assert.match(sh.stderr, /not emulated/);
    });

    it('-t merges stderr into stdout with CRLF line ends; -it without a TTY is refused', async () => {
      const t = await docker('exec', '-t', 'mailserver', 'setup', 'fail2ban', 'bogus');
      assert.equal(t.stderr, '');
      assert.match(t.stdout, /^Usage: \.\/setup\.sh fail2ban \[<ban\|unban> <IP>\]\r\n {7}\.\/setup\.sh fail2ban log\r\n {7}\.\/setup\.sh fail2ban status\r\n.*Unknown command 'bogus'\r\n.*Aborting\r\n$/);
      const it2 = await docker('exec', '-it', 'mailserver', 'true');
      assert.deepEqual([it2.exitCode, it2.stderr], [1, 'the input device is not a TTY\n']);
    });

    it('docker cp both ways, with docker-like errors', async () => {
      const local = join(scratch, 'fail2ban-jail.cf');
      writeFileSync(local, '[DEFAULT]\nbantime = 2w\n');
      const up = await docker('cp', local, 'mailserver:/tmp/docker-mailserver/fail2ban-jail.cf');
      assert.equal(up.exitCode, 0);
      assert.match(up.stderr, /^Successfully copied [0-9.]+k?B to mailserver:\/tmp\/docker-mailserver\/fail2ban-jail\.cf\n$/);
      assert.equal(readFileSync(dms.hostPath('/tmp/docker-mailserver/fail2ban-jail.cf'), 'utf8'), '[DEFAULT]\nbantime = 2w\n');
      const intoDir = await docker('cp', '-q', local, 'mailserver:/tmp/docker-mailserver/sub');
      assert.deepEqual([intoDir.exitCode, intoDir.stderr], [0, '']);
      assert.ok(existsSync(dms.hostPath('/tmp/docker-mailserver/sub/fail2ban-jail.cf')));
      const down = join(scratch, 'jail.local');
      assert.equal((await docker('cp', 'mailserver:/etc/fail2ban/jail.local', down)).exitCode, 0);
      assert.match(readFileSync(down, 'utf8'), /banaction = nftables-allports/);
      const missing = await docker('cp', 'mailserver:/etc/fail2ban/nope', down);
      assert.deepEqual([missing.exitCode, missing.stderr], [1, 'Error response from daemon: Could not find the file /etc/fail2ban/nope in container mailserver\n']);
      const noParent = await docker('cp', local, 'mailserver:/no/such/dir/file');
      assert.deepEqual([noParent.exitCode, noParent.stderr], [1, 'Error response from daemon: Could not find the file /no/such/dir in container mailserver\n']);
      const noSource = await docker('cp', join(scratch, 'absent'), 'mailserver:/tmp/');
      assert.deepEqual([noSource.exitCode, noSource.stderr], [1, `lstat ${join(scratch, 'absent')}: no such file or directory\n`]);
    });

    it('apply config: back up, copy, reload, check, restore — against the real server', async () => {
      const target = '/etc/fail2ban/jail.d/user-jail.local';
      const before = await docker('exec', 'mailserver', 'fail2ban-client', 'get', 'dovecot', 'bantime');
      assert.equal(before.stdout, '604800\n');
      const edited = join(scratch, 'user-jail.local');
      writeFileSync(edited, '[DEFAULT]\nbantime = 2w\n');
      assert.equal((await docker('exec', 'mailserver', 'test', '-e', target)).exitCode, 1, 'no user file yet');
      assert.equal((await docker('cp', '-q', edited, `mailserver:${target}`)).exitCode, 0);
      const reload = await docker('exec', 'mailserver', 'fail2ban-client', 'reload');
      assert.deepEqual([reload.exitCode, reload.stdout], [0, 'OK\n']);
      assert.equal((await docker('exec', 'mailserver', 'fail2ban-client', 'get', 'dovecot', 'bantime')).stdout, '1209600\n');

      // a broken file: reload fails, the server keeps running with the old config
      await docker('exec', 'mailserver', 'cp', target, `${target}.bak`);
      writeFileSync(edited, 'bantime = 1w\n');
      await docker('cp', '-q', edited, `mailserver:${target}`);
      const broken = await docker('exec', 'mailserver', 'fail2ban-client', 'reload');
      assert.notEqual(broken.exitCode, 0);
      assert.match(broken.stderr, /File contains no section headers/);
      assert.match(broken.stderr, /\/etc\/fail2ban\/jail\.d\/user-jail\.local/, 'paths are container paths');
      assert.equal((await docker('exec', 'mailserver', 'fail2ban-client', 'ping')).exitCode, 0);

      // restore
      assert.equal((await docker('exec', 'mailserver', 'mv', `${target}.bak`, target)).exitCode, 0);
      assert.equal((await docker('exec', 'mailserver', 'rm', target)).exitCode, 0);
      assert.equal((await docker('exec', 'mailserver', 'fail2ban-client', 'reload')).exitCode, 0);
      assert.equal((await docker('exec', 'mailserver', 'fail2ban-client', 'get', 'dovecot', 'bantime')).stdout, '604800\n');
    });

    it('fail2ban-client cannot be pointed at another socket', async () => {
      const r = await docker('exec', 'mailserver', 'fail2ban-client', '-s', '/var/run/fail2ban/fail2ban.sock', 'ping');
      assert.deepEqual([r.exitCode, r.stdout], [0, 'Server replied: pong\n']);
      const log = await docker('exec', 'mailserver', 'fail2ban-client', 'get', 'logtarget');
      assert.match(log.stdout, /\/var\/log\/mail\/fail2ban\.log/);
    });
  });
});
