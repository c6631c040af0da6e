// Pure helpers behind the VS Code glue: settings → servers, report texts, status bar text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, resolveServers } from '../../../client/src/targets';
import { describeBan, describeUnban, describeValidation, formatStatusReport, totalBanned } from '../../../client/src/bans/format';
import { createValidator } from '../../../client/src/configValidator';
import { computeCheckText } from '../../../server/src/features/checkText';
import { statusText, statusTooltip } from '../../../client/src/statusText';

test('one local server from the flat settings', () => {
  const { servers, problems } = resolveServers({ ...DEFAULT_SETTINGS, container: 'mailserver' });
  assert.deepEqual(problems, []);
  assert.deepEqual(servers, [{ id: 'local', label: 'Local', target: { runtime: 'docker', context: undefined, host: undefined }, container: 'mailserver' }]);
  const remote = resolveServers({ ...DEFAULT_SETTINGS, containerRuntime: 'podman', dockerHost: 'ssh://me@mail.example.com' });
  assert.deepEqual(remote.servers[0].target, { runtime: 'podman', context: undefined, host: 'ssh://me@mail.example.com' });
  assert.equal(remote.servers[0].container, undefined, 'empty container = detect');
});

test('dmsFail2ban.servers: one node each, invalid entries reported and skipped', () => {
  const { servers, problems } = resolveServers({
    ...DEFAULT_SETTINGS,
    servers: [
      { name: 'Prod', context: 'prod', container: 'mailserver' },
      { name: 'Backup', host: 'tcp://10.0.0.2:2376' },
      { name: 'Evil', context: '--privileged' },
      { name: 'Evil host', host: '-H=unix:///x' },
      { name: 'Evil container', context: 'other', container: '--rm' },
      { name: 'Twice', context: 'prod' },
    ],
  });
  assert.deepEqual(
    servers.map((server) => [server.id, server.label, server.container]),
    [
      ['context:prod', 'Prod', 'mailserver'],
      ['host:tcp://10.0.0.2:2376', 'Backup', undefined],
    ],
  );
  assert.equal(problems.length, 4);
  assert.match(problems[0], /servers\[2\].*not a valid context name/);
  assert.match(problems[3], /already listed/);
});

test('a runtime that looks like an option is refused', () => {
  const { servers, problems } = resolveServers({ ...DEFAULT_SETTINGS, containerRuntime: '--help' });
  assert.deepEqual(servers, []);
  assert.equal(problems.length, 1);
});

test('unban and ban reports', () => {
  assert.equal(
    describeUnban({ address: '192.0.2.7', total: 2, wasBanned: true, jails: [{ jail: 'custom', count: 1 }, { jail: 'dovecot', count: 0 }, { jail: 'postfix', count: 1 }], stillBlockedBy: [] }),
    'Unbanned 192.0.2.7 from custom, postfix.',
  );
  assert.equal(
    describeUnban({ address: '10.9.9.9', total: 0, wasBanned: false, jails: [{ jail: 'custom', count: 0 }, { jail: 'dovecot', count: 0 }], stillBlockedBy: [] }),
    '10.9.9.9 was not banned in any jail (checked custom, dovecot).',
  );
  assert.equal(describeUnban({ address: '192.0.2.0/24', total: 2, wasBanned: true, jails: [{ jail: 'custom', count: 2 }], stillBlockedBy: [] }), 'Unbanned 192.0.2.0/24 from custom (2 entries).');
  assert.equal(
    describeUnban({ address: '192.0.2.7', total: 0, wasBanned: false, jails: [{ jail: 'custom', count: 0 }], stillBlockedBy: [{ network: '192.0.2.0/24', jail: 'custom' }] }),
    '192.0.2.7 is still blocked by the ban of 192.0.2.0/24 in custom: fail2ban only removes the exact entry, so unban that network to let 192.0.2.7 in.',
  );
  assert.equal(describeBan({ address: '192.0.2.7', status: 'banned', count: 1 }), 'Banned 192.0.2.7 in the custom jail.');
  assert.match(describeBan({ address: '192.0.2.7', status: 'already-banned', count: 0 }), /already banned/);
  assert.equal(totalBanned([{ jail: 'a', ips: ['1', '2'] }, { jail: 'b', ips: ['3'] }]), 3);
});

test('status report lists every jail', () => {
  const text = formatStatusReport('mailserver', [
    { jail: 'custom', currentlyFailed: 0, totalFailed: 0, fileList: [], currentlyBanned: 1, totalBanned: 2, bannedIps: ['192.0.2.8'] },
    { jail: 'dovecot', fileList: ['/var/log/mail.log'], bannedIps: [] },
  ]);
  assert.match(text, /^fail2ban status in mailserver \(2 jails\)/);
  assert.match(text, /\[custom\]\n {2}currently failed: 0 {3}total failed: 0\n {2}currently banned: 1 {3}total banned: 2\n {2}log files: \(none\)\n {2}banned: 192\.0\.2\.8/);
  assert.match(text, /\[dovecot\][^[]*currently failed: \?[^[]*log files: \/var\/log\/mail\.log/);
  const taken = new Date(2026, 11, 6, 8, 41, 2);
  const stamped = formatStatusReport('mailserver', [], taken);
  assert.equal(stamped.split('\n')[0], `fail2ban status in mailserver (0 jails) — taken at ${taken.toLocaleTimeString()}, refreshed with the Fail2Ban view`);
});

test('status bar text names the kind and versions', () => {
  assert.equal(statusText('dms-jail', '1.1.0'), 'DMS jail · fail2ban 1.1.0');
  assert.equal(statusText('server', '1.0.2'), 'fail2ban server · fail2ban 1.0.2');
  assert.match(statusTooltip('dms-server', '1.1.0', 'v15.1.0'), /\/etc\/fail2ban\/fail2ban\.local.*docker-mailserver v15\.1\.0/);
  assert.doesNotMatch(statusTooltip('jail', '1.1.0', 'v15.1.0'), /docker-mailserver/);
});

test('"Fail2ban not running" → validate: the engine errors explain it, or the files are cleared', async () => {
  const validate = createValidator(computeCheckText);
  const errorsOf = async (text: string, kind: 'dms-jail' | 'dms-server') =>
    (await validate(text, kind))
      .filter((d) => d.severity === 'error')
      .map((d) => ({ line: d.range.start.line + 1, code: d.code, message: d.message }));
  const broken = describeValidation([
    { name: 'config/fail2ban-jail.cf', errors: await errorsOf('[DEFAULT]\nbantime = 1w\n\n[postfix]\nmode = extr\n', 'dms-jail') },
    { name: 'config/fail2ban-fail2ban.cf', errors: await errorsOf('[Definition]\nloglevel = INFO\n', 'dms-server') },
  ]);
  assert.equal(broken.ok, false);
  assert.match(broken.message, /^1 error in your fail2ban files/);
  assert.match(broken.message, /config\/fail2ban-jail\.cf line 5 \(invalid-mode\)/);

  const clean = describeValidation([{ name: 'config/fail2ban-jail.cf', errors: await errorsOf('[DEFAULT]\nbantime = 1w\n', 'dms-jail') }]);
  assert.equal(clean.ok, true);
  assert.match(clean.message, /No error in config\/fail2ban-jail\.cf.*ENABLE_FAIL2BAN/);
});
