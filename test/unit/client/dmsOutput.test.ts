// Exact `setup fail2ban` outputs as DMS target/bin/fail2ban and target/scripts/helpers/log.sh print them (ANSI colours as DMS prints them,
// stripped first the way the runner does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mentionsNotRunning,
  mentionsUnknownCommand,
  parseBanList,
  parseBanResult,
  parseLogLine,
  parseLogResult,
  parseStatus,
  parseUnbanResult,
} from '../../../client/src/docker/dmsOutput';
import { normaliseOutput } from '../../../client/src/docker/runner';

const TS = '2025-09-08 12:54:36+02:00';
const v14 = (level: 'ERROR' | 'WARN ' | 'INFO ', colour: string, message: string) =>
  normaliseOutput(`${TS} \x1b[${colour}m${level}\x1b[0m fail2ban: ${message}\n`);
const INFO = (message: string) => v14('INFO ', '0;34', message);
const WARN = (message: string) => v14('WARN ', '1;33', message);
const ERROR = (message: string) => v14('ERROR', '1;31', message);
const v13 = (tag: string, message: string) => normaliseOutput(`[ \x1b[1;31m${tag}\x1b[0m ]  ${message}\n`);

test('log lines of every DMS version and of fail2ban-client are recognised', () => {
  assert.deepEqual(parseLogLine(INFO('No IPs have been banned').trimEnd()), { level: 'info', message: 'No IPs have been banned' });
  assert.deepEqual(parseLogLine(ERROR('Fail2ban not running').trimEnd()), { level: 'error', message: 'Fail2ban not running' });
  assert.deepEqual(parseLogLine(WARN('You need to specify an IP address').trimEnd())?.level, 'warn');
  assert.deepEqual(parseLogLine('[   INF   ]  No IPs have been banned'), { level: 'info', message: 'No IPs have been banned' });
  assert.deepEqual(parseLogLine(v13(' ERROR ', 'Aborting').trimEnd()), { level: 'error', message: 'Aborting' });
  assert.deepEqual(parseLogLine('[ WARNING ]  You need to specify an IP address')?.level, 'warn');
  assert.deepEqual(parseLogLine("2025-01-02 10:11:12,345 fail2ban                [1234]: ERROR   NOK: ('custom',)"), {
    level: 'error',
    message: "NOK: ('custom',)",
  });
  assert.equal(parseLogLine('Banned in custom: 192.0.2.7'), undefined);
  assert.equal(parseLogLine('Unbanned IP from custom: 1'), undefined);
});

test('list: bans per jail, IPv6 and CIDR kept, order kept, empty jails omitted', () => {
  const stdout =
    'Banned in custom: 192.0.2.7 192.0.2.8 192.0.2.9 198.51.100.0/24 2001:db8::1 not-an-ip\n' +
    'Banned in dovecot: 203.0.113.4 203.0.113.5\n' +
    'Banned in postfix: 192.0.2.7\n';
  const parsed = parseBanList(stdout, '');
  assert.deepEqual(parsed.jails, [
    { jail: 'custom', ips: ['192.0.2.7', '192.0.2.8', '192.0.2.9', '198.51.100.0/24', '2001:db8::1', 'not-an-ip'] },
    { jail: 'dovecot', ips: ['203.0.113.4', '203.0.113.5'] },
    { jail: 'postfix', ips: ['192.0.2.7'] },
  ]);
  assert.deepEqual(parsed.unrecognised, []);
});

test('list: "No IPs have been banned" on stdout (v14–v15.1), on stderr (edge), v13 style, or nothing at all (LOG_LEVEL=warn)', () => {
  for (const [stdout, stderr] of [
    [INFO('No IPs have been banned'), ''],
    ['', INFO('No IPs have been banned')],
    ['[   INF   ]  No IPs have been banned\n', ''],
    ['', ''],
  ]) {
    assert.deepEqual(parseBanList(stdout, stderr), { jails: [], unrecognised: [], failedJails: [] });
  }
});

test('list: garbage is reported as unrecognised', () => {
  const parsed = parseBanList('Segmentation fault\nBanned in custom: 192.0.2.7\n', '');
  assert.deepEqual(parsed.jails, [{ jail: 'custom', ips: ['192.0.2.7'] }]);
  assert.deepEqual(parsed.unrecognised, ['Segmentation fault']);
});

test('ban: counts, already banned, custom jail missing, missing address', () => {
  assert.deepEqual(parseBanResult('Banned custom IP: 1\n', '').outcome, { kind: 'banned', count: 1 });
  assert.deepEqual(parseBanResult('Banned custom IP: 2\n', '').outcome, { kind: 'banned', count: 2 });
  assert.deepEqual(parseBanResult('', ERROR("Banning '192.0.2.7' failed. Already banned?")).outcome, { kind: 'already-banned' });
  assert.deepEqual(parseBanResult('', v13(' ERROR ', "Banning '192.0.2.7' failed. Already banned?")).outcome, {
    kind: 'already-banned',
  });
  const missingCustom =
    "2025-01-02 10:11:12,345 fail2ban                [99]: ERROR   NOK: ('custom',)\n" +
    `/usr/local/bin/fail2ban: line 44: [[: Sorry but the jail 'custom' does not exist: syntax error: invalid arithmetic operator (error token is "'custom' does not exist")\n` +
    ERROR("Banning '192.0.2.50' failed. Already banned?");
  assert.deepEqual(parseBanResult('', missingCustom).outcome, { kind: 'custom-jail-missing' });
  assert.deepEqual(parseBanResult('', WARN("You need to specify an IP address: Run './setup.sh fail2ban ban <IP>'")).outcome, {
    kind: 'missing-address',
  });
  assert.deepEqual(parseBanResult('', '').outcome, { kind: 'unrecognised' });
  assert.deepEqual(parseBanResult('Banned custom IP: 0\n', '').outcome, { kind: 'unrecognised' });
});

test('unban: one line per jail, counts summed; all zero = not banned', () => {
  const once = parseUnbanResult('Unbanned IP from custom: 1\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 1\n', '');
  assert.deepEqual(once.jails, [
    { jail: 'custom', count: 1 },
    { jail: 'dovecot', count: 0 },
    { jail: 'postfix', count: 1 },
  ]);
  assert.equal(once.total, 2);
  const nowhere = parseUnbanResult('Unbanned IP from custom: 0\nUnbanned IP from dovecot: 0\nUnbanned IP from postfix: 0\n', '');
  assert.equal(nowhere.total, 0);
  assert.equal(nowhere.jails.length, 3);
  assert.equal(parseUnbanResult('Unbanned IP from custom: 2\nUnbanned IP from dovecot: 0\n', '').total, 2);
});

test('status: blocks per jail with counters, file list and banned list', () => {
  const stdout = [
    'Status for the jail: custom',
    '|- Filter',
    '|  |- Currently failed:\t0',
    '|  |- Total failed:\t0',
    '|  `- File list:\t',
    '`- Actions',
    '   |- Currently banned:\t3',
    '   |- Total banned:\t6',
    '   `- Banned IP list:\t192.0.2.8 192.0.2.9 2001:db8::1',
    '',
    'Status for the jail: dovecot',
    '|- Filter',
    '|  |- Currently failed:\t1',
    '|  |- Total failed:\t4',
    '|  `- File list:\t/var/log/mail.log',
    '`- Actions',
    '   |- Currently banned:\t0',
    '   |- Total banned:\t2',
    '   `- Banned IP list:\t',
    '',
  ].join('\n');
  const parsed = parseStatus(stdout, '');
  assert.deepEqual(parsed.unrecognised, []);
  assert.deepEqual(parsed.jails, [
    {
      jail: 'custom',
      currentlyFailed: 0,
      totalFailed: 0,
      fileList: [],
      currentlyBanned: 3,
      totalBanned: 6,
      bannedIps: ['192.0.2.8', '192.0.2.9', '2001:db8::1'],
    },
    {
      jail: 'dovecot',
      currentlyFailed: 1,
      totalFailed: 4,
      fileList: ['/var/log/mail.log'],
      currentlyBanned: 0,
      totalBanned: 2,
      bannedIps: [],
    },
  ]);
});

test('status: a systemd jail prints journal matches', () => {
  const parsed = parseStatus(
    'Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t0\n|  |- Total failed:\t0\n|  `- Journal matches:\t_SYSTEMD_UNIT=sshd.service + _COMM=sshd\n`- Actions\n   |- Currently banned:\t0\n   |- Total banned:\t0\n   `- Banned IP list:\t\n',
    '',
  );
  assert.equal(parsed.jails[0].journalMatches, '_SYSTEMD_UNIT=sshd.service + _COMM=sshd');
});

test('not running and unknown subcommand are recognised in every log style', () => {
  assert.equal(mentionsNotRunning('', ERROR('Fail2ban not running') + ERROR('Aborting')), true);
  assert.equal(mentionsNotRunning('', '[  ERROR  ]  Fail2ban not running\n[  ERROR  ]  Aborting\n'), true);
  assert.equal(mentionsNotRunning('Banned in custom: 192.0.2.7\n', ''), false);
  const usage = "Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n       ./setup.sh fail2ban log\n       ./setup.sh fail2ban status\n";
  assert.equal(mentionsUnknownCommand(usage, ERROR("Unknown command 'bogus'") + ERROR('Aborting')), true);
  // DMS v12.0.0 prints only the first usage line.
  assert.equal(mentionsUnknownCommand('Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n', ''), true);
  assert.equal(mentionsUnknownCommand('Banned in custom: 192.0.2.7\n', ''), false);
});

test('log: content kept, a missing file noted', () => {
  assert.deepEqual(parseLogResult('line 1\nline 2\n', ''), { text: 'line 1\nline 2\n', missingFile: false });
  assert.deepEqual(parseLogResult('', 'cat: /var/log/mail/fail2ban.log: No such file or directory\n'), { text: '', missingFile: true });
});
