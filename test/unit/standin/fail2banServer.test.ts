// The real fail2ban-server helper: DMS layout, both fail2ban versions, isolation from the host, clean-up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dmsJailLocal } from '../../../server/src/knowledge/dms';
import { processAlive, startFail2banServer, type Fail2banServer } from '../../support/fail2banServer';
import { until } from '../../support/poll';

describe('startFail2banServer (1.1.0, DMS v15.1 layout)', () => {
  let server: Fail2banServer;
  before(async () => {
    // the user's fail2ban.local names the default socket/db: the stand-in files must still win
    server = await startFail2banServer({
      userFail2banLocal: '[Definition]\nloglevel = DEBUG\nsocket = /var/run/fail2ban/fail2ban.sock\ndbfile = /var/lib/fail2ban/fail2ban.sqlite3\n',
    });
  });
  after(async () => {
    await server.dispose();
  });

  it('runs 1.1.0 with DMS jails custom, dovecot, postfix', async () => {
    assert.equal((await server.client(['version'])).stdout.trim(), '1.1.0');
    const status = await server.client(['status']);
    assert.equal(status.stdout, 'Status\n|- Number of jail:\t3\n`- Jail list:\tcustom, dovecot, postfix\n');
  });

  it('keeps socket, pidfile, database and log in its temp dir even against the user file', async () => {
    assert.ok(server.socket.startsWith(server.dir) && existsSync(server.socket));
    assert.equal((await server.client(['get', 'dbfile'])).stdout, `Current database file is:\n\`- ${server.dbFile}\n`);
    assert.match((await server.client(['get', 'logtarget'])).stdout, new RegExp(server.logFile.replace(/[.]/g, '\\.')));
    assert.equal((await server.client(['get', 'loglevel'])).stdout, 'Current logging level is \'DEBUG\'\n', 'the user file is read');
    assert.ok(Number(readFileSync(server.pidFile, 'utf8')) > 0);
  });

  it('has DMS settings: custom bantime 180d, postfix mode extra, IPv6 off (fixes.local), dummy action', async () => {
    assert.equal((await server.client(['get', 'custom', 'bantime'])).stdout, '15552000\n');
    assert.equal((await server.client(['get', 'dovecot', 'maxretry'])).stdout, '6\n');
    assert.match((await server.client(['get', 'postfix', 'failregex'])).stdout, /authentication failed/, 'mode = extra adds the SASL lines');
    assert.equal((await server.client(['get', 'custom', 'actions'])).stdout, 'The jail custom has the following actions:\ndummy\n');
    const ignored = await server.client(['get', 'dovecot', 'ignoreip']);
    assert.match(ignored.stdout, /127\.0\.0\.0\/8/);
    assert.equal(readFileSync(join(server.configDir, 'jail.local'), 'utf8'), dmsJailLocal('v15.1.0'));
  });

  it('bans through the dummy action into its own file', async () => {
    await server.client(['set', 'custom', 'banip', '192.0.2.200']);
    const banned = () => existsSync(server.dummyTarget) && readFileSync(server.dummyTarget, 'utf8').includes('+192.0.2.200');
    await until('the dummy action to record +192.0.2.200', banned, { watchFile: server.dummyTarget });
    assert.ok(banned());
    await server.resetBans();
    assert.equal((await server.client(['get', 'custom', 'banip'])).stdout.trim(), '');
  });

  it('restart keeps bans (database), stop makes ping fail', async () => {
    await server.client(['set', 'dovecot', 'banip', '192.0.2.201']);
    await server.stop();
    assert.equal(server.isRunning(), false);
    assert.equal((await server.client(['ping'])).exitCode, 255);
    await server.restart();
    // fail2ban restores database bans shortly after the jail starts
    const restored = async () => (await server.client(['get', 'dovecot', 'banip'])).stdout.trim();
    await until('fail2ban to restore the database ban', async () => (await restored()) === '192.0.2.201');
    assert.equal(await restored(), '192.0.2.201');
    await server.resetBans();
  });
});

describe('startFail2banServer isolation and clean-up', () => {
  it('a user banaction runs the firewall stubs, never the host firewall', async () => {
    const server = await startFail2banServer({ userJailLocal: '[DEFAULT]\nbanaction = nftables-allports\n' });
    try {
      await server.client(['set', 'custom', 'banip', '192.0.2.202']);
      const ran = () => existsSync(server.firewallLog) && /^nft .*192\.0\.2\.202/m.test(readFileSync(server.firewallLog, 'utf8'));
      await until('the nft stub to be called for 192.0.2.202', ran, { watchFile: server.firewallLog });
      assert.ok(ran());
    } finally {
      await server.dispose();
    }
    assert.equal(existsSync(server.dir), false, 'dispose removes the temp dir');
  });

  it('1.0.2 with the v11–v12.0 jails (postfix-sasl, 3h/10m/3)', async () => {
    const server = await startFail2banServer({ version: '1.0.2', jailLayout: 'v12.0' });
    try {
      assert.equal((await server.client(['version'])).stdout.trim(), '1.0.2');
      assert.match((await server.client(['status'])).stdout, /Jail list:\tcustom, dovecot, postfix, postfix-sasl\n/);
      assert.equal((await server.client(['get', 'postfix', 'bantime'])).stdout, '10800\n');
    } finally {
      await server.dispose();
    }
  });

  it('a start-up failure is reported with the server log', async () => {
    const before = new Set(readdirSync(tmpdir()));
    await assert.rejects(
      startFail2banServer({ userJailLocal: 'bantime = 1w\n' }),
      /exited during start-up[\s\S]*File contains no section headers/,
    );
    const leftovers = readdirSync(tmpdir()).filter((d) => d.startsWith('dms-f2b-') && !before.has(d) && existsSync(join(tmpdir(), d, 'etc', 'fail2ban', 'jail.d', 'user-jail.local')) && readFileSync(join(tmpdir(), d, 'etc', 'fail2ban', 'jail.d', 'user-jail.local'), 'utf8') === 'bantime = 1w\n');
    assert.deepEqual(leftovers, [], 'the temp dir of a failed start is removed');
  });

  it('the server dies with the test process even when that process is SIGKILLed', async () => {
    const script = `
      const { startFail2banServer } = require(${JSON.stringify(join(__dirname, '..', '..', 'support', 'fail2banServer.ts'))});
      startFail2banServer().then((s) => { console.log(JSON.stringify({ pidFile: s.pidFile })); setInterval(() => {}, 1000); });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    const { pidFile } = JSON.parse(line) as { pidFile: string };
    const serverPid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(processAlive(serverPid));
    child.kill('SIGKILL');
    const goneOrZombie = () => !existsSync(`/proc/${serverPid}/stat`) || readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(' ')[2] === 'Z';
    await until('the watchdog to kill the orphaned server', goneOrZombie);
    assert.ok(goneOrZombie(), 'watchdog killed the orphan');
    const removed = () => !existsSync(join(pidFile, '..', '..'));
    await until('the watchdog to remove the temp dir', removed);
    assert.ok(removed(), 'and removed its temp dir');
  });
});
