// Pure parts of the "why is fail2ban down / not blocking" checks: CIDR cover, the compose file (real YAML
// parser), fail2ban's action-failure log lines, and the order in which causes are decided.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveringBans, networkContains } from '../../../client/src/docker/cidrCover';
import { composeFacts, grantsNetAdmin, parseComposeFile } from '../../../client/src/docker/composeFacts';
import { decide, lastErrors, parseInspect, parseNofile, parseSupervisorStatus, type Probes } from '../../../client/src/docker/diagnose';
import { describeEnforcement, scanEnforcement } from '../../../client/src/docker/enforcement';
import type { RunResult } from '../../../client/src/docker/runner';
import { formatStatusReport } from '../../../client/src/bans/format';
import { dmsRelease, dmsVersionOfImage } from '../../../server/src/knowledge/dms';
import { DMS_RELEASES } from '../../../server/src/knowledge/releases';

test('CIDR cover: IPv4 and IPv6 networks that contain an address; the address itself and other families do not', () => {
  assert.equal(networkContains('192.0.2.0/24', '192.0.2.7'), true);
  assert.equal(networkContains('192.0.2.0/24', '192.0.3.7'), false);
  assert.equal(networkContains('2001:db8::/32', '2001:db8:1::5'), true);
  assert.equal(networkContains('2001:db8::/32', '2001:db9::5'), false);
  assert.equal(networkContains('0.0.0.0/0', '198.51.100.1'), true);
  const jails = [
    { jail: 'custom', ips: ['192.0.2.0/24', '192.0.2.7', '2001:db8::/48'] },
    { jail: 'dovecot', ips: ['192.0.0.0/16', '198.51.100.3'] },
  ];
  assert.deepEqual(coveringBans('192.0.2.7', jails), [
    { network: '192.0.2.0/24', jail: 'custom' },
    { network: '192.0.0.0/16', jail: 'dovecot' },
  ]);
  assert.deepEqual(coveringBans('2001:db8::9', jails), [{ network: '2001:db8::/48', jail: 'custom' }]);
  assert.deepEqual(coveringBans('198.51.100.3', jails), []);
  // a network is covered only by a shorter prefix
  assert.deepEqual(coveringBans('192.0.2.0/24', jails), [{ network: '192.0.0.0/16', jail: 'dovecot' }]);
});

test('compose file: cap_add and ENABLE_FAIL2BAN from environment (list or map) and env_file, through a real YAML parser', () => {
  const compose = `
x-common: &common
  cap_add: [NET_ADMIN]
services:
  web:
    image: nginx
  mailserver:
    <<: *common
    image: ghcr.io/docker-mailserver/docker-mailserver:latest
    container_name: mailserver
    env_file: mailserver.env
    environment:
      - LOG_LEVEL=debug
`;
  const files: Record<string, string> = { 'mailserver.env': '# comment\nENABLE_FAIL2BAN=0\nENABLE_CLAMAV=1\n' };
  assert.deepEqual(composeFacts('compose.yaml', compose, 'mailserver', (path) => files[path]), {
    file: 'compose.yaml',
    service: 'mailserver',
    netAdmin: true,
    enableFail2ban: { value: '0', where: 'mailserver.env' },
  });
  const mapForm = 'services:\n  mail:\n    image: mailserver/docker-mailserver:15.1.0\n    environment:\n      ENABLE_FAIL2BAN: 1\n    cap_add:\n      - SYS_PTRACE\n';
  assert.deepEqual(composeFacts('docker-compose.yml', mapForm, 'mailserver', () => undefined), {
    file: 'docker-compose.yml',
    service: 'mail',
    netAdmin: false,
    enableFail2ban: { value: '1', where: 'docker-compose.yml (environment)' },
  });
  assert.equal(grantsNetAdmin(['cap_net_admin']), true);
  assert.equal(grantsNetAdmin(['ALL']), true);
  assert.ok(parseComposeFile('services: [unclosed').error);
});

// The lines fail2ban 1.1.0 wrote in the stand-in when nft failed (same shape as DMS issue #3897's log).
const NFT_FAILURE_LOG = `2026-12-06 02:18:13,903 fail2ban.server         [18703]: INFO    Starting Fail2ban v1.1.0
2026-12-06 02:18:16,504 fail2ban.actions        [18703]: NOTICE  [custom] Ban 192.0.2.9
2026-12-06 02:18:16,700 fail2ban.utils          [18703]: ERROR   7ff98a524180 -- exec: nft add table inet f2b-table
nft add set inet f2b-table addr-set-custom \\{ type ipv4_addr\\; \\}

2026-12-06 02:18:16,702 fail2ban.utils          [18703]: ERROR   7ff98a524180 -- stderr: 'Error: Could not process rule: Operation not supported'
2026-12-06 02:18:16,702 fail2ban.utils          [18703]: ERROR   7ff98a524180 -- returned 1
2026-12-06 02:18:16,703 fail2ban.actions        [18703]: ERROR   Failed to execute ban jail 'custom' action 'nftables-allports' info 'ActionInfo({'ip': '192.0.2.9'})': Error starting action Jail('custom')/nftables-allports: 'Script error'
`;

test('enforcement: failed ban actions since the last start, per jail, with the firewall\'s words and cause', () => {
  const findings = scanEnforcement(NFT_FAILURE_LOG);
  assert.deepEqual(findings, [
    { jail: 'custom', action: 'nftables-allports', failures: 1, errors: ['Error: Could not process rule: Operation not supported'], cause: 'no-kernel-support' },
  ]);
  // a later start forgets earlier failures (the user fixed it and restarted)
  assert.deepEqual(scanEnforcement(`${NFT_FAILURE_LOG}2026-12-06 03:00:00,000 fail2ban.server         [19000]: INFO    Starting Fail2ban v1.1.0\n`), []);
  const noCap = describeEnforcement(findings, {
    containerHasNetAdmin: false,
    compose: { file: 'compose.yaml', service: 'mailserver', netAdmin: false },
  });
  assert.match(noCap, /^Bans in custom are listed but not enforced/);
  assert.match(noCap, /compose\.yaml has no `cap_add: \[NET_ADMIN\]` for mailserver/);
  assert.match(noCap, /Add `cap_add: - NET_ADMIN`/);
  const kernel = describeEnforcement(findings, { containerHasNetAdmin: true, compose: { file: 'compose.yaml', service: 'mailserver', netAdmin: true } });
  assert.match(kernel, /host kernel most likely lacks nftables support/);
  assert.match(kernel, /iptables/);
});

test('release registry: the fail2ban log path per release (v12.0.0 has no /var/log/mail/fail2ban.log)', () => {
  assert.equal(dmsRelease('v12.0').fail2banLog.path, '/var/log/fail2ban.log');
  for (const release of DMS_RELEASES.filter((entry) => entry.name !== 'v12.0')) assert.equal(release.fail2banLog.path, '/var/log/mail/fail2ban.log');
  for (const release of DMS_RELEASES) assert.match(release.fail2banLog.source, /Dockerfile/);
  assert.equal(dmsVersionOfImage('12.0.0'), 'v12.0');
  assert.equal(dmsVersionOfImage('v12.1.0'), 'v13');
  assert.equal(dmsVersionOfImage('13.3.1'), 'v13');
  assert.equal(dmsVersionOfImage('15.0.2'), 'v15.0');
  assert.equal(dmsVersionOfImage('15.1.0'), 'v15.1.0');
  assert.equal(dmsVersionOfImage('edge'), 'edge');
  assert.equal(dmsVersionOfImage('16.0.0'), 'v16');
  assert.equal(dmsVersionOfImage('13.0.0'), 'v13');
  assert.equal(dmsVersionOfImage('17.0.0'), undefined);
  assert.equal(dmsVersionOfImage('latest'), undefined);
});

function run(partial: Partial<RunResult>): RunResult {
  return { argv: [], exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...partial };
}

function probes(partial: Partial<Probes>): Probes {
  return {
    facts: parseInspect(JSON.stringify({ Config: { Env: ['ENABLE_FAIL2BAN=1'], Labels: { 'org.opencontainers.image.version': '15.1.0' } }, HostConfig: { CapAdd: ['NET_ADMIN'] } })),
    ping: run({ exitCode: 255, stderr: 'ERROR   Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?' }),
    supervisor: { state: 'EXITED', description: 'Dec 06 02:14 AM' },
    socketExists: false,
    nofile: 1048576,
    logTexts: [],
    userFiles: [],
    ...partial,
  };
}

test('diagnosis order: environment, running again, ulimit, hang, stale socket, missing log file, user files, last error', () => {
  const disabled = probes({ facts: parseInspect(JSON.stringify({ Config: { Env: ['ENABLE_FAIL2BAN=0'] } })), nofile: 1073741816 });
  assert.equal(decide('mailserver', disabled).cause, 'disabled');
  assert.equal(decide('mailserver', probes({ facts: parseInspect(JSON.stringify({ Config: { Env: [] } })) })).cause, 'disabled');
  assert.equal(decide('mailserver', probes({ ping: run({ stdout: 'Server replied: pong\n' }) })).cause, 'running-again');
  const hung = { supervisor: { state: 'RUNNING' as const, description: 'pid 760, uptime 1:06:35' }, socketExists: true, ping: run({ exitCode: 255, stderr: 'ERROR   timed out' }) };
  assert.equal(decide('mailserver', probes({ ...hung, nofile: 1073741816 })).cause, 'huge-ulimit');
  const hungDiagnosis = decide('mailserver', probes(hung));
  assert.equal(hungDiagnosis.cause, 'hung');
  assert.deepEqual(hungDiagnosis.actions[0], 'restart-fail2ban');
  assert.equal(decide('mailserver', probes({ socketExists: true })).cause, 'stale-socket');
  const missing = probes({ logTexts: ['2026-12-06 02:00:00,000 fail2ban                [1]: ERROR   Failed during configuration: Have not found any log file for sshd jail\n'] });
  assert.equal(decide('mailserver', missing).cause, 'missing-log-file');
  assert.match(decide('mailserver', missing).message, /\[sshd\]/);
  const files = probes({ userFiles: [{ name: 'fail2ban-jail.cf', errors: [{ line: 3, code: 'bad-duration', message: 'x' }] }] });
  assert.equal(decide('mailserver', files).cause, 'config-error');
  assert.equal(decide('mailserver', probes({})).cause, 'unknown');
});

test('probe parsers: supervisorctl status, /proc/1/limits, inspect, error lines since the last start', () => {
  assert.deepEqual(parseSupervisorStatus('fail2ban                         RUNNING   pid 760, uptime 1:06:35\n'), { state: 'RUNNING', description: 'pid 760, uptime 1:06:35' });
  assert.equal(parseNofile('Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1073741816           1073741816           files     \n'), 1073741816);
  assert.equal(parseNofile('Max open files            unlimited            unlimited            files\n'), Infinity);
  const facts = parseInspect(JSON.stringify({ Config: { Env: ['A=1=2'], Labels: { 'org.opencontainers.image.version': '12.0.0' } }, HostConfig: { CapAdd: null } }));
  assert.deepEqual(facts, { env: { A: '1=2' }, labels: { 'org.opencontainers.image.version': '12.0.0' }, capAdd: [], dmsVersion: 'v12.0', fail2banLog: '/var/log/fail2ban.log' });
  assert.deepEqual(lastErrors('x ERROR old\ny fail2ban.server [1]: INFO    Starting Fail2ban v1.1.0\nz ERROR new\n'), ['z ERROR new']);
});

test('a jail fail2ban did not answer for is "unknown" in the status report, not zero', () => {
  const text = formatStatusReport('mailserver', [
    { jail: 'custom', fileList: [], bannedIps: ['192.0.2.1'], currentlyBanned: 1, totalBanned: 1 },
    { jail: 'dovecot', fileList: [], bannedIps: [], unavailable: "NOK: ('dovecot',)" },
  ]);
  assert.match(text, /\[dovecot\]\n {2}no answer from fail2ban \(NOK: \('dovecot',\)\): counters unknown, not zero/);
  assert.doesNotMatch(text, /\[dovecot\]\n {2}currently failed/);
});
