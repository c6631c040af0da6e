// `docker exec <c> setup fail2ban …` through the stand-in against a real fail2ban 1.1.0 server:
// every outcome of DMS target/bin/fail2ban (DMS v15.1, jails custom, dovecot, postfix).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDockerStandin, runDocker, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';

const TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 /gm;
const ERROR = '\x1b[1;31mERROR\x1b[0m';
const WARN = '\x1b[1;33mWARN \x1b[0m';
const INFO = '\x1b[0;34mINFO \x1b[0m';
const USAGE = 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n       ./setup.sh fail2ban log\n       ./setup.sh fail2ban status\n';

/** `<ts> ` for the RFC 3339 timestamp, which changes every second. */
function stamp(text: string): string {
  return text.replace(TS, '<ts> ');
}

describe('setup fail2ban on DMS v15.1 (fail2ban 1.1.0)', () => {
  let host: DockerStandin;
  let dms: DmsContainer;
  const setup = (...args: string[]) => runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban', ...args]);

  before(async () => {
    host = await createDockerStandin();
    dms = await host.startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1' });
  });
  after(async () => {
    await host.dispose();
  });
  beforeEach(async () => {
    await dms.server.resetBans();
    dms.setEnv('LOG_LEVEL');
  });

  it('lists nothing: info line on stdout, exit 0', async () => {
    const r = await setup();
    assert.equal(r.exitCode, 0);
    assert.equal(stamp(r.stdout), `<ts> ${INFO} fail2ban: No IPs have been banned\n`);
    assert.equal(r.stderr, '');
  });

  it('bans one IP into custom and reports the count', async () => {
    const r = await setup('ban', '192.0.2.7');
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, 'Banned custom IP: 1\n', '']);
    const jail = await dms.server.client(['get', 'custom', 'banip']);
    assert.equal(jail.stdout.trim(), '192.0.2.7');
  });

  it('a second ban of the same IP fails on stderr but exits 0', async () => {
    await setup('ban', '192.0.2.7');
    const r = await setup('ban', '192.0.2.7');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, '');
    assert.equal(stamp(r.stderr), `<ts> ${ERROR} fail2ban: Banning '192.0.2.7' failed. Already banned?\n`);
  });

  it('bans several IPs at once: N is the number of new bans', async () => {
    const r = await setup('ban', '192.0.2.8', '192.0.2.9');
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, 'Banned custom IP: 2\n', '']);
  });

  for (const address of ['198.51.100.0/24', '2001:db8::1', 'not-an-ip']) {
    it(`accepts ${address} (CIDR, IPv6 and even text are banned by fail2ban)`, async () => {
      const r = await setup('ban', address);
      assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, 'Banned custom IP: 1\n', '']);
    });
  }

  it('lists bans per jail in insertion order, omitting empty jails', async () => {
    await setup('ban', '192.0.2.7');
    await setup('ban', '192.0.2.8', '192.0.2.9');
    await setup('ban', '198.51.100.0/24');
    await setup('ban', '2001:db8::1');
    await dms.server.client(['set', 'dovecot', 'banip', '203.0.113.4', '203.0.113.5']);
    await dms.server.client(['set', 'postfix', 'banip', '192.0.2.7']);
    const r = await setup();
    assert.equal(r.exitCode, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      'Banned in custom: 192.0.2.7 192.0.2.8 192.0.2.9 198.51.100.0/24 2001:db8::1\n' +
        'Banned in dovecot: 203.0.113.4 203.0.113.5\n' +
        'Banned in postfix: 192.0.2.7\n',
    );
  });

  it('unbans in every jail, one count line per jail', async () => {
    await setup('ban', '192.0.2.7');
    await dms.server.client(['set', 'postfix', 'banip', '192.0.2.7']);
    const r = await setup('unban', '192.0.2.7');
    assert.deepEqual(
      [r.exitCode, r.stdout, r.stderr],
      [0, 'Unbanned IP from custom: 1\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 1\n', ''],
    );
  });

  it('unban of an IP banned nowhere still prints every jail with 0 and exits 0', async () => {
    const r = await setup('unban', '10.9.9.9');
    assert.deepEqual(
      [r.exitCode, r.stdout, r.stderr],
      [0, 'Unbanned IP from custom: 0\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 0\n', ''],
    );
  });

  it('unbans two IPs of one jail with a count of 2', async () => {
    await dms.server.client(['set', 'dovecot', 'banip', '203.0.113.4', '203.0.113.5']);
    const r = await setup('unban', '203.0.113.4', '203.0.113.5');
    assert.equal(r.stdout, 'Unbanned IP from custom: 0\nUnbanned IP from dovecot: 2\nUnbanned IP from postfix: 0\n');
  });

  it('a subnet unban removes every single IP banned inside it', async () => {
    await setup('ban', '192.0.2.8', '192.0.2.9');
    const r = await setup('unban', '192.0.2.0/24');
    assert.equal(r.stdout, 'Unbanned IP from custom: 2\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 0\n');
  });

  it('ban and unban without an IP warn on stderr and exit 0', async () => {
    const ban = await setup('ban');
    assert.deepEqual([ban.exitCode, ban.stdout], [0, '']);
    assert.equal(stamp(ban.stderr), `<ts> ${WARN} fail2ban: You need to specify an IP address: Run './setup.sh fail2ban ban <IP>'\n`);
    const unban = await setup('unban');
    assert.deepEqual([unban.exitCode, unban.stdout], [0, '']);
    assert.equal(
      stamp(unban.stderr),
      `<ts> ${WARN} fail2ban: You need to specify an IP address: Run './setup.sh fail2ban' to get a list of banned IP addresses\n`,
    );
  });

  it('status prints the raw fail2ban blocks, each followed by a blank line', async () => {
    await setup('ban', '192.0.2.8');
    const r = await setup('status');
    assert.equal(r.exitCode, 0);
    const blocks = r.stdout.split('\n\n').filter(Boolean);
    assert.deepEqual(blocks.map((b) => b.split('\n')[0]), [
      'Status for the jail: custom', 'Status for the jail: dovecot', 'Status for the jail: postfix',
    ]);
    assert.match(r.stdout, /^Status for the jail: custom\n\|- Filter\n\| {2}\|- Currently failed:\t0\n\| {2}\|- Total failed:\t0\n\| {2}`- File list:\t\n`- Actions\n {3}\|- Currently banned:\t1\n {3}\|- Total banned:\t\d+\n {3}`- Banned IP list:\t192\.0\.2\.8\n\n/);
    // DMS reads /var/log/mail.log with the polling/pyinotify backend (not Debian 13's journal patch)
    assert.match(r.stdout, /Status for the jail: dovecot\n\|- Filter\n\| {2}\|- Currently failed:\t0\n\| {2}\|- Total failed:\t0\n\| {2}`- File list:\t\/var\/log\/mail\.log\n/);
    assert.ok(r.stdout.endsWith('`- Banned IP list:\t\n\n'));
  });

  it('log prints the server log with container paths', async () => {
    await setup('ban', '192.0.2.77');
    const r = await setup('log');
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /Starting Fail2ban v1\.1\.0/);
    assert.match(r.stdout, /NOTICE {2}\[custom\] Ban 192\.0\.2\.77\n/);
    assert.match(r.stdout, /Connected to fail2ban persistent database '\/var\/lib\/fail2ban\/fail2ban\.sqlite3'/);
    assert.ok(!r.stdout.includes(dms.server.dir), 'no temp paths leak into the container view');
  });

  it('help prints the 3-line usage, exit 0', async () => {
    const r = await setup('help');
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, USAGE, '']);
  });

  it('an unknown subcommand prints usage, then Unknown command + Aborting, exit 1', async () => {
    const r = await setup('bogus');
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, USAGE);
    assert.equal(stamp(r.stderr), `<ts> ${ERROR} fail2ban: Unknown command 'bogus'\n<ts> ${ERROR} fail2ban: Aborting\n`);
  });

  it('LOG_LEVEL=warn hides "No IPs have been banned": empty output, exit 0', async () => {
    const r = await runDocker(dms.env, ['exec', '-e', 'LOG_LEVEL=warn', 'mailserver', 'setup', 'fail2ban']);
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, '', '']);
  });

  it('LOG_LEVEL=error (container environment) hides the missing-IP warning too', async () => {
    dms.setEnv('LOG_LEVEL', 'error');
    const r = await setup('ban');
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, '', '']);
  });

  it('`fail2ban` directly (as DMS tests call it) behaves like `setup fail2ban`', async () => {
    const r = await runDocker(dms.env, ['exec', 'mailserver', 'fail2ban', 'ban', '192.0.2.66']);
    assert.deepEqual([r.exitCode, r.stdout], [0, 'Banned custom IP: 1\n']);
  });

  it('an unknown top-level setup command is invalid, exit 2', async () => {
    const r = await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban2', 'x']);
    assert.deepEqual([r.exitCode, r.stdout], [2, '']);
    assert.equal(r.stderr, "The command 'fail2ban2 x' is invalid.\nUse `setup help` to get an overview of all commands.\n");
  });

  it('when fail2ban is down every subcommand says "Fail2ban not running" + Aborting, exit 1', async () => {
    await dms.setFailure('fail2ban-not-running');
    try {
      for (const args of [[], ['help'], ['ban', '192.0.2.1'], ['bogus']]) {
        const r = await setup(...args);
        assert.equal(r.exitCode, 1, args.join(' '));
        assert.equal(r.stdout, '');
        assert.equal(stamp(r.stderr), `<ts> ${ERROR} fail2ban: Fail2ban not running\n<ts> ${ERROR} fail2ban: Aborting\n`);
      }
    } finally {
      await dms.setFailure(undefined);
    }
    // bans survive the restart (database), as after supervisord restarts fail2ban in DMS
    assert.equal((await setup()).exitCode, 0);
  });
});

describe('setup fail2ban ban when the custom jail is disabled', () => {
  let host: DockerStandin;
  let dms: DmsContainer;
  before(async () => {
    host = await createDockerStandin();
    dms = await host.startDmsContainer({ name: 'mailserver', userJailLocal: '[custom]\nenabled = false\n' });
  });
  after(async () => {
    await host.dispose();
  });

  it('prints fail2ban-client NOK, the bash arithmetic error and the ban error; exit 0', async () => {
    const r = await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban', 'ban', '192.0.2.50']);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, '');
    const lines = stamp(r.stderr).split('\n');
    assert.match(lines[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} fail2ban +\[\d+\]: ERROR {3}NOK: \('custom',\)$/);
    assert.equal(
      lines[1],
      `/usr/local/bin/fail2ban: line 44: [[: Sorry but the jail 'custom' does not exist: syntax error: invalid arithmetic operator (error token is "'custom' does not exist")`,
    );
    assert.equal(lines[2], `<ts> ${ERROR} fail2ban: Banning '192.0.2.50' failed. Already banned?`);
    assert.equal(lines.length, 4);
  });

  it('the jail list no longer has custom', async () => {
    const r = await runDocker(dms.env, ['exec', 'mailserver', 'setup', 'fail2ban', 'unban', '192.0.2.50']);
    assert.equal(r.stdout, 'Unbanned IP from dovecot: 0\nUnbanned IP from postfix: 0\n');
  });
});
