// `_log` format and stream, usage text and subcommands per DMS release line (DMS target/scripts/helpers/log.sh, target/bin/setup).
// One real fail2ban 1.1.0 server shared by a container per version.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDockerStandin, runDocker, type DmsVersionName, type DockerStandin } from '../../support/dmsContainer';
import { startFail2banServer, type Fail2banServer } from '../../support/fail2banServer';

const RESET = '\x1b[0m';
const TS = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+00:00';

/** Exact expected `_log` lines per style (escape sequences included). */
const BRACKETED = {
  info: (m: string) => `${RESET}[   \x1b[34mINF   ${RESET}]  ${m}\n`,
  warn: (m: string) => `${RESET}[ \x1b[93mWARNING ${RESET}]  ${m}\n`,
  error: (m: string) => `${RESET}[  \x1b[91mERROR  ${RESET}]  ${m}\n`,
};
function rfc3339Pattern(colour: string, label: string, message: string): RegExp {
  const escaped = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
  return new RegExp(`^${TS} ${escaped(colour + label + RESET)} fail2ban: ${escaped(message)}\\n$`);
}

describe('DMS versions: log format, streams, usage and subcommands', () => {
  let server: Fail2banServer;
  let host: DockerStandin;
  const names: Record<string, string> = {};
  const versions: DmsVersionName[] = ['v12.0', 'v12.1', 'v13', 'v14', 'v15.0', 'v15.1', 'edge'];
  const setup = (version: DmsVersionName, ...args: string[]) => runDocker(host.env, ['exec', names[version], 'setup', 'fail2ban', ...args]);

  before(async () => {
    server = await startFail2banServer();
    host = await createDockerStandin();
    for (const version of versions) {
      names[version] = `dms-${version.replace('.', '-')}`;
      await host.startDmsContainer({ name: names[version], dmsVersion: version, server });
    }
  });
  after(async () => {
    await host.dispose();
    await server.dispose();
  });

  for (const version of ['v12.0', 'v12.1', 'v13'] as const) {
    it(`${version}: bracketed info on stdout, warn/error on stderr`, async () => {
      const list = await setup(version);
      assert.deepEqual([list.exitCode, list.stdout, list.stderr], [0, BRACKETED.info('No IPs have been banned'), '']);
      const warn = await setup(version, 'ban');
      assert.deepEqual([warn.stdout, warn.stderr], ['', BRACKETED.warn("You need to specify an IP address: Run './setup.sh fail2ban ban <IP>'")]);
      const unknown = await setup(version, 'bogus');
      assert.equal(unknown.exitCode, 1);
      assert.equal(unknown.stderr, BRACKETED.error("Unknown command 'bogus'") + BRACKETED.error('Aborting'));
    });
  }

  for (const version of ['v14', 'v15.0', 'v15.1'] as const) {
    it(`${version}: RFC 3339 lines, info on stdout, warn/error on stderr`, async () => {
      const list = await setup(version);
      assert.equal(list.stderr, '');
      assert.match(list.stdout, rfc3339Pattern('\x1b[0;34m', 'INFO ', 'No IPs have been banned'));
      const warn = await setup(version, 'unban');
      assert.equal(warn.stdout, '');
      assert.match(warn.stderr, rfc3339Pattern('\x1b[1;33m', 'WARN ', "You need to specify an IP address: Run './setup.sh fail2ban' to get a list of banned IP addresses"));
    });
  }

  it('edge: every _log level on stderr, data on stdout', async () => {
    const list = await setup('edge');
    assert.equal(list.stdout, '');
    assert.match(list.stderr, rfc3339Pattern('\x1b[0;34m', 'INFO ', 'No IPs have been banned'));
    const unknown = await setup('edge', 'bogus');
    assert.equal(unknown.stdout.split('\n')[0], 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]');
    assert.equal(unknown.stderr.split('\n').length, 3);
    assert.match(unknown.stderr.split('\n')[0] + '\n', rfc3339Pattern('\x1b[1;31m', 'ERROR', "Unknown command 'bogus'"));
  });

  it('v12.0: one usage line; log and status are unknown commands', async () => {
    for (const sub of ['log', 'status']) {
      const r = await setup('v12.0', sub);
      assert.equal(r.exitCode, 1);
      assert.equal(r.stdout, 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n');
      assert.equal(r.stderr, BRACKETED.error(`Unknown command '${sub}'`) + BRACKETED.error('Aborting'));
    }
  });

  it('v12.1: two usage lines; log works, status is unknown', async () => {
    const help = await setup('v12.1', 'help');
    assert.equal(help.stdout, 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n       ./setup.sh fail2ban log\n');
    const log = await setup('v12.1', 'log');
    assert.equal(log.exitCode, 0);
    assert.match(log.stdout, /Starting Fail2ban/);
    const status = await setup('v12.1', 'status');
    assert.equal(status.exitCode, 1);
    assert.equal(status.stderr, BRACKETED.error("Unknown command 'status'") + BRACKETED.error('Aborting'));
  });

  it('v13+: status exists; data lines are the same in every version', async () => {
    await server.resetBans();
    await setup('v13', 'ban', '192.0.2.31');
    for (const version of versions) {
      const r = await setup(version);
      assert.equal(r.stdout, 'Banned in custom: 192.0.2.31\n', version);
    }
    const status = await setup('v13', 'status');
    assert.match(status.stdout, /^Status for the jail: custom\n/);
    await server.resetBans();
  });

  it('the container labels carry the release; the image is the DMS one', async () => {
    const r = await runDocker(host.env, ['inspect', '--format', '{{.Config.Image}} {{index .Config.Labels "org.opencontainers.image.version"}}', names.v13, names['v15.1'], names.edge]);
    assert.equal(
      r.stdout,
      'ghcr.io/docker-mailserver/docker-mailserver:13.3.1 13.3.1\nghcr.io/docker-mailserver/docker-mailserver:15.1.0 15.1.0\nghcr.io/docker-mailserver/docker-mailserver:edge edge\n',
    );
  });
});

describe('DMS versions: fail2ban version and jails follow the release', () => {
  let host: DockerStandin;
  before(async () => {
    host = await createDockerStandin();
  });
  after(async () => {
    await host.dispose();
  });

  it('v13 runs fail2ban 1.0.2 with postfix-sasl; v15.1 runs 1.1.0 without it', async () => {
    await host.startDmsContainer({ name: 'old', dmsVersion: 'v13' });
    await host.startDmsContainer({ name: 'new', dmsVersion: 'v15.1' });
    const oldVersion = await runDocker(host.env, ['exec', 'old', 'fail2ban-client', 'version']);
    const newVersion = await runDocker(host.env, ['exec', 'new', 'fail2ban-client', 'version']);
    assert.deepEqual([oldVersion.stdout.trim(), newVersion.stdout.trim()], ['1.0.2', '1.1.0']);
    const oldUnban = await runDocker(host.env, ['exec', 'old', 'setup', 'fail2ban', 'unban', '192.0.2.1']);
    assert.equal(
      oldUnban.stdout,
      'Unbanned IP from custom: 0\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 0\nUnbanned IP from postfix-sasl: 0\n',
    );
  });
});
