// Why protection is not working, against the stand-in docker and a real fail2ban-server per scenario: each
// cause of "Fail2ban not running" (environment, huge nofile limit, hung server, stale socket, missing log
// file, the user's files), bans listed but not enforced (the real log lines fail2ban writes when nft
// fails), a partial status list, an unban covered by a CIDR ban, and the v12.0 log layout. The view's
// session does what the UI does; every docker call is checked to be an argument array without a shell.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDmsContainer, type DmsContainer, type DmsContainerOptions } from '../../support/dmsContainer';
import { pollUntil } from '../../support/poll';
import { ServerSession, type SessionHost, type SessionState } from '../../../client/src/bans/session';
import { describeUnban } from '../../../client/src/bans/format';
import { composeFacts } from '../../../client/src/docker/composeFacts';
import { restartFail2ban, type UserFileErrors } from '../../../client/src/docker/diagnose';
import { DEFAULT_SETTINGS, resolveServers, type ClientSettings } from '../../../client/src/targets';
import { checkDocument } from '../../../server/src/engine';

const started: DmsContainer[] = [];
after(async () => {
  for (const dms of started.splice(0)) await dms.stop();
});

async function container(options: Partial<DmsContainerOptions> = {}): Promise<DmsContainer> {
  const dms = await startDmsContainer({ name: 'mailserver', dmsVersion: 'v15.1', ...options });
  started.push(dms);
  return dms;
}

/** DMS's example compose file, as a user has it: NET_ADMIN optional, ENABLE_FAIL2BAN in mailserver.env. */
function composeText(netAdmin: boolean): string {
  return [
    'services:',
    '  mailserver:',
    '    image: ghcr.io/docker-mailserver/docker-mailserver:latest',
    '    container_name: mailserver',
    '    env_file: mailserver.env',
    ...(netAdmin ? ['    cap_add:', '      - NET_ADMIN'] : []),
    '',
  ].join('\n');
}

interface Workspace {
  netAdmin?: boolean;
  enableFail2ban?: string;
  jailFile?: string;
}

function session(dms: DmsContainer, workspace: Workspace = {}, settings: Partial<ClientSettings> = {}): ServerSession {
  const all = { ...DEFAULT_SETTINGS, container: dms.name, ...settings };
  const store = new Map<string, unknown>();
  const host: SessionHost = {
    settings: () => all,
    memento: { get: <T>(key: string) => store.get(key) as T | undefined, update: async (key, value) => void store.set(key, value) },
    output: { appendLine: () => undefined },
    env: dms.env,
    validator: () => [],
    workspace: {
      compose: async (name) =>
        composeFacts('compose.yaml', composeText(workspace.netAdmin ?? true), name, (path) =>
          path === 'mailserver.env' ? `ENABLE_FAIL2BAN=${workspace.enableFail2ban ?? '1'}\n` : undefined,
        ),
      // the real engine, as the extension's validator runs it
      userFiles: async (): Promise<UserFileErrors[]> =>
        workspace.jailFile === undefined
          ? []
          : [
              {
                name: 'docker-data/dms/config/fail2ban-jail.cf',
                errors: checkDocument(workspace.jailFile, { kind: 'dms-jail' })
                  .filter((diagnostic) => diagnostic.severity === 'error')
                  .map((diagnostic) => ({ line: diagnostic.range.start.line + 1, code: diagnostic.code, message: diagnostic.message })),
              },
            ],
      dmsVersion: () => undefined,
    },
  };
  return new ServerSession(resolveServers(all).servers[0], host, () => undefined);
}

function failed(state: SessionState) {
  assert.equal(state.kind, 'failed', JSON.stringify(state));
  return (state as Extract<SessionState, { kind: 'failed' }>).failure;
}

function ready(state: SessionState) {
  assert.equal(state.kind, 'ready', JSON.stringify(state));
  return state as Extract<SessionState, { kind: 'ready' }>;
}

/** Never a shell, never a write other than the one the test asked for. */
function assertReadOnlyNoShell(dms: DmsContainer, allowedWrites: string[][] = []): void {
  for (const call of dms.invocations()) {
    assert.doesNotMatch(call.parent.comm, /^(ba|da|z)?sh$/, `a shell ran docker: ${JSON.stringify(call)}`);
    const command = call.argv.slice(call.argv.indexOf('mailserver') + 1);
    const write = /^(?:rm|mv|cp|tee|touch|chmod|ln|mkdir)$/.test(command[0] ?? '') || (command[0] === 'supervisorctl' && command[1] !== 'status');
    if (write) assert.ok(allowedWrites.some((allowed) => JSON.stringify(allowed) === JSON.stringify(command)), `unexpected write: ${call.argv.join(' ')}`);
  }
}

test('ENABLE_FAIL2BAN=0 or unset: says fail2ban is switched off and where to switch it on (before any other check)', async () => {
  const dms = await container({ env: { ENABLE_FAIL2BAN: '0' }, failure: 'fail2ban-not-running', nofile: 1073741816 });
  const failure = failed(await session(dms, { enableFail2ban: '0' }).refresh());
  assert.equal(failure.kind, 'fail2ban-not-running');
  assert.match(failure.message, /^Fail2ban is switched off in 'mailserver': ENABLE_FAIL2BAN is '0' in the container's environment \(mailserver\.env sets ENABLE_FAIL2BAN=0\)/);
  assert.match(failure.message, /Set ENABLE_FAIL2BAN=1 in mailserver\.env/);
  assert.match(failure.detail, /Fail2ban not running/); // DMS's own words stay in the detail
  dms.setEnv('ENABLE_FAIL2BAN', undefined);
  const unset = failed(await session(dms, { enableFail2ban: '1' }).refresh());
  assert.match(unset.message, /ENABLE_FAIL2BAN is not set \(DMS's default is 0\)/);
  assertReadOnlyNoShell(dms);
});

test('huge nofile ulimit: fail2ban-server hangs; the limit is named with the fix (checked before the hang itself)', async () => {
  const dms = await container({ nofile: 1073741816, failure: 'fail2ban-hung' });
  const failure = failed(await session(dms, {}, { commandTimeoutSeconds: 4 }).refresh());
  assert.equal(failure.kind, 'timeout');
  assert.match(failure.message, /open-file limit is 1073741816 \(`ulimit -n`\)/);
  assert.match(failure.message, /ulimits/);
  assert.match(failure.detail, /\/proc\/1\/limits: Max open files 1073741816/);
  assertReadOnlyNoShell(dms);
});

test('hung fail2ban (#3202): explained, restart offered; `supervisorctl restart fail2ban` runs only when asked, then unban works', async () => {
  const dms = await container({ failure: 'fail2ban-hung' });
  const s = session(dms, {}, { commandTimeoutSeconds: 4 });
  const got = await s.service();
  assert.ok('service' in got);
  await got.service.ban('192.0.2.44').catch(() => undefined);
  const unban = await got.service.unban('192.0.2.44');
  assert.ok(!unban.ok);
  const explained = await s.explain(unban.failure, 'mailserver');
  assert.match(explained.message, /runs in 'mailserver' \(pid \d+, uptime [\d:]+\) but does not answer on its socket: it hangs/);
  assert.match(explained.message, /supervisorctl restart fail2ban/);
  assert.equal(explained.actions[0], 'restart-fail2ban');
  assert.match(explained.detail, /fail2ban-client ping: .*(?:timed out|Resource temporarily unavailable)/);
  assertReadOnlyNoShell(dms); // nothing restarted yet

  const restarted = await restartFail2ban(s.probeContext('mailserver'));
  assert.ok(restarted.ok, JSON.stringify(restarted));
  assert.match(restarted.output, /fail2ban: started/);
  assertReadOnlyNoShell(dms, [['supervisorctl', 'restart', 'fail2ban']]);
  // the short command timeout only bounded the hang; a busy machine needs the default one for real work
  const healthy = session(dms);
  const healthyService = await healthy.service();
  assert.ok('service' in healthyService);
  const after = await healthyService.service.unban('192.0.2.44');
  assert.ok(after.ok, JSON.stringify(after));
  ready(await healthy.refresh());
});

test('stale socket after a crash: named with the restart that removes it', async () => {
  const dms = await container({ failure: 'fail2ban-crashed' });
  const failure = failed(await session(dms).refresh());
  assert.match(failure.message, /not running in 'mailserver', but its socket \/var\/run\/fail2ban\/fail2ban\.sock is still there/);
  assert.deepEqual(failure.actions, ['restart-fail2ban', 'show-log', 'show-output']);
  assert.match(failure.detail, /supervisorctl status fail2ban: EXITED/);
  assertReadOnlyNoShell(dms);
});

test('missing log file: the jail that stops fail2ban at start-up, from fail2ban\'s own words', async () => {
  const dms = await container({ failure: 'fail2ban-not-running' });
  dms.server.setUserJailLocal('[sshd]\nenabled = true\nlogpath = /var/log/auth.log\n');
  // what supervisord does in a loop: start fail2ban-server with the broken configuration
  const start = await restartFail2ban({ target: { runtime: 'docker' }, container: 'mailserver', timeoutMs: 30_000, env: dms.env });
  assert.ok(!start.ok);
  assert.match(readFileSync(dms.hostPath('/var/log/supervisor/fail2ban.log'), 'utf8'), /Have not found any log file for sshd jail/);
  const failure = failed(await session(dms).refresh());
  assert.match(failure.message, /^The jail \[sshd\] watches a log file that does not exist in 'mailserver'/);
  assert.match(failure.message, /Fix `logpath` of \[sshd\] in fail2ban-jail\.cf/);
  dms.server.setUserJailLocal(undefined);
});

test('the user\'s files: an error found by our engine is the cause when the container shows no other', async () => {
  const dms = await container({ failure: 'fail2ban-not-running' });
  const failure = failed(await session(dms, { jailFile: '[DEFAULT]\nbantime = 1 wek\n' }).refresh());
  assert.match(failure.message, /^1 error in your fail2ban files stop fail2ban in 'mailserver'\. First: docker-data\/dms\/config\/fail2ban-jail\.cf line 2 \(invalid-duration\)/);
  const none = failed(await session(dms).refresh());
  assert.match(none.message, /none of the usual causes was found/);
});

test('NET_ADMIN missing: bans listed but not enforced, from the real log lines fail2ban writes when nft fails', async () => {
  const dms = await container({
    capAdd: [],
    firewallError: 'Error: Could not process rule: Operation not permitted',
    userJailLocal: '[DEFAULT]\nbanaction = nftables-allports\nbanaction_allports = nftables-allports\n',
  });
  const s = session(dms, { netAdmin: false });
  const got = await s.service();
  assert.ok('service' in got);
  const ban = await got.service.ban('192.0.2.61');
  assert.deepEqual(ban.ok && ban.value.status, 'banned'); // DMS says banned…
  await pollUntil(() => (/Failed to execute ban jail 'custom'/.test(readFileSync(dms.server.logFile, 'utf8')) ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 100,
    timeoutMessage: () => readFileSync(dms.server.logFile, 'utf8'),
  });
  const state = ready(await s.refresh());
  const custom = state.jails.find((jail) => jail.jail === 'custom');
  assert.deepEqual(custom?.ips, ['192.0.2.61']);
  assert.equal(custom?.unenforced?.action, 'nftables-allports');
  assert.deepEqual(custom?.unenforced?.errors, ['Error: Could not process rule: Operation not permitted']);
  assert.equal(state.jails.find((jail) => jail.jail === 'dovecot')?.unenforced, undefined);
  assert.match(state.enforcement ?? '', /^Bans in custom are listed but not enforced: fail2ban's firewall action failed \(the firewall said: Error: Could not process rule: Operation not permitted\)\./);
  assert.match(state.enforcement ?? '', /compose\.yaml has no `cap_add: \[NET_ADMIN\]` for mailserver\. Add `cap_add: - NET_ADMIN`/);
  assertReadOnlyNoShell(dms);
});

test('partial status: a jail that vanishes mid-list (reload) is shown as unanswered, and the list says it is partial', async () => {
  const dms = await container();
  const s = session(dms);
  dms.setReloadingJail('dovecot');
  const state = ready(await s.refresh());
  assert.deepEqual(state.jails.map((jail) => [jail.jail, jail.unavailable !== undefined]), [['custom', false], ['dovecot', true], ['postfix', false]]);
  assert.match(state.jails[1].unavailable ?? '', /dovecot/);
  assert.match(state.notes.join('\n'), /^Partial list: no answer for dovecot \(fail2ban said: .*\)\. fail2ban was probably reloading/m);
  await dms.server.client(['reload']);
  // the plain listing (DMS v12 has no `status`) drops the jail's stderr: it is reported too
  const got = await s.service();
  assert.ok('service' in got);
  const list = await got.service.listBans();
  assert.ok(list.ok);
  assert.deepEqual(list.value.map((jail) => [jail.jail, jail.unavailable]), [['dovecot', "NOK: ('dovecot',)"]]);
  assert.match(list.notes.join('\n'), /Partial list: no answer for dovecot/);
  dms.setReloadingJail(undefined);
  await dms.server.client(['reload']);
  const whole = ready(await s.refresh());
  assert.deepEqual(whole.notes, []);
});

test('unban covered by a CIDR ban: "still blocked by the ban of 192.0.2.0/24 in custom", then the network is unbanned', async () => {
  const dms = await container();
  const got = await session(dms).service();
  assert.ok('service' in got);
  const svc = got.service;
  assert.ok((await svc.ban('192.0.2.0/24')).ok);
  const unban = await svc.unban('192.0.2.7');
  assert.ok(unban.ok);
  assert.equal(unban.value.wasBanned, false); // DMS printed 0 for every jail
  assert.deepEqual(unban.value.stillBlockedBy, [{ network: '192.0.2.0/24', jail: 'custom' }]);
  assert.match(describeUnban(unban.value), /^192\.0\.2\.7 is still blocked by the ban of 192\.0\.2\.0\/24 in custom/);
  const network = await svc.unban('192.0.2.0/24');
  assert.ok(network.ok);
  assert.equal(network.value.wasBanned, true);
  assert.deepEqual(network.value.stillBlockedBy, []);
});

test('DMS v12.0 layout: the log is /var/log/fail2ban.log (no mail/ copy); the session reads the right file', async () => {
  const dms = await container({ dmsVersion: 'v12.0' });
  const s = session(dms);
  const facts = await s.containerFacts('mailserver');
  assert.equal(facts?.dmsVersion, 'v12.0');
  assert.equal(facts?.fail2banLog, '/var/log/fail2ban.log');
  const got = await s.service();
  assert.ok('service' in got);
  const log = await got.service.readLogFiles(facts?.fail2banLog);
  assert.ok(log.ok);
  assert.deepEqual(log.notes, []);
  assert.match(log.value.text, /^==> \/var\/log\/fail2ban\.log <==$/m);
  assert.match(log.value.text, /Starting Fail2ban v1\.0\.2/);
});
