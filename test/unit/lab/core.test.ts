// Jail lab pure parts: fail2ban-regex arguments from the effective jail, reading its verbose output,
// the sliding window, ignoreip CIDR matching, the lock-out guard and name validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context';
import {
  FailureTally, LineSplitter, RegexOutputReader, buildJailTestPlan, dockerExecArgs, fail2banRegexArguments, firstBanTime,
  lockoutWarnings, parseInspectNetworks, readIgnoreIp, validateDockerTarget,
} from '../../../server/src/lab';

function plan(text: string, jail: string) {
  const result = buildJailTestPlan(buildContextFromText(text, { kind: 'dms-jail' }), jail);
  if (!result.ok) throw new Error(result.message);
  return result.plan;
}

describe('jail lab: fail2ban-regex arguments', () => {
  it("DMS's postfix jail: the filter file with mode=extra, maxretry 6, findtime 1w, the jail's log", () => {
    const p = plan('', 'postfix');
    assert.equal(p.filterArgument, '/etc/fail2ban/filter.d/postfix.conf[mode=extra]');
    assert.equal(p.maxretry, 6);
    assert.equal(p.findtimeSeconds, 604800);
    assert.equal(p.jailLogPath, '/var/log/mail.log');
    assert.deepEqual(fail2banRegexArguments(p, '/var/log/mail.log'), [
      '-c', '/etc/fail2ban', '-v', '--no-check-all', '--usedns', 'warn', '--', '/var/log/mail.log', p.filterArgument,
    ]);
  });

  it("the user's file wins: mode, jail-level failregex/ignoreregex (quoted), datepattern, maxlines", () => {
    const p = plan('[postfix]\nmode = aggressive\nfailregex = ^x, "<HOST>"$\nignoreregex = ^y\ndatepattern = {^LN-BEG}\nmaxlines = 2\nmaxretry = 3\nfindtime = 10m\n', 'postfix');
    assert.equal(p.filterArgument, `/etc/fail2ban/filter.d/postfix.conf[mode=aggressive, failregex='^x, "<HOST>"$', ignoreregex=^y]`);
    assert.deepEqual(p.options.slice(4, 8), ['-d', '{^LN-BEG}', '-L', '2']);
    assert.equal(p.maxretry, 3);
    assert.equal(p.findtimeSeconds, 600);
  });

  it('a regex holding both quote kinds cannot be passed: an error, not a wrong test', () => {
    const result = buildJailTestPlan(buildContextFromText(`[postfix]\nfailregex = ^a"b'<HOST>\n`, { kind: 'dms-jail' }), 'postfix');
    assert.equal(result.ok, false);
  });

  it('%(known/failregex)s in a jail-level failregex is reported, the filter is tested alone', () => {
    const p = plan('[postfix]\nfailregex = %(known/failregex)s\n            ^extra <HOST>$\n', 'postfix');
    assert.equal(p.filterArgument, '/etc/fail2ban/filter.d/postfix.conf[mode=extra]');
    assert.ok(p.warnings.some((w) => w.code === 'known-regex'));
  });

  it('an unknown jail and a filter name that is a path are refused', () => {
    assert.equal(buildJailTestPlan(buildContextFromText('', { kind: 'dms-jail' }), 'nope').ok, false);
    assert.equal(buildJailTestPlan(buildContextFromText('[postfix]\nfilter = ../../x\n', { kind: 'dms-jail' }), 'postfix').ok, false);
  });

  it('docker argv: global flags first, exec, the container, fail2ban-regex; bad names refused', () => {
    assert.deepEqual(dockerExecArgs({ runtime: 'docker', container: 'mail', context: 'remote' }, ['-v']), ['--context', 'remote', 'exec', 'mail', 'fail2ban-regex', '-v']);
    assert.equal(validateDockerTarget({ runtime: 'docker', container: 'mailserver' }), undefined);
    for (const container of ['-it', 'a b', 'x;rm', '']) assert.ok(validateDockerTarget({ runtime: 'docker', container }), container);
    assert.ok(validateDockerTarget({ runtime: 'sh -c', container: 'mail' }));
    assert.ok(validateDockerTarget({ runtime: 'docker', container: 'mail', host: 'tcp://x;y' }));
  });
});

describe('jail lab: reading fail2ban-regex -v', () => {
  const sample = [
    'Failregex: 3 total',
    '|-  #) [# of hits] regular expression',
    '|   1) [3] ^[^[]*\\[<HOST>\\]',
    '|      203.0.113.5  Sat Dec 05 10:00:01 2026',
    '|      2001:db8::7  Sat Dec 05 10:00:02 2026 (multiple regex matched)',
    '|      203.0.113.5  Sun Dec 06 00:00:00 2026',
    '`-',
    '',
    'Ignoreregex: 0 total',
    '',
    'Lines: 6 lines, 1 ignored, 3 matched, 2 missed',
    '[processed in 0.03 sec]',
    '|- Missed line(s):',
    '|  a missed line',
    '`-',
  ];

  it('totals, failures with times, the missed sample; split across arbitrary chunks', () => {
    const failures: [string, number][] = [];
    const reader = new RegexOutputReader((ip, time) => failures.push([ip, time]));
    const splitter = new LineSplitter((line) => reader.push(line));
    const text = sample.join('\r\n') + '\n';
    for (let i = 0; i < text.length; i += 7) splitter.write(Buffer.from(text.slice(i, i + 7)));
    splitter.end();
    assert.deepEqual(reader.totals, { lines: 6, ignored: 1, matched: 3, missed: 2 });
    assert.equal(reader.failregexTotal, 3);
    assert.deepEqual(failures, [
      ['203.0.113.5', Date.UTC(2026, 11, 5, 10, 0, 1) / 1000],
      ['2001:db8::7', Date.UTC(2026, 11, 5, 10, 0, 2) / 1000],
      ['203.0.113.5', Date.UTC(2026, 11, 6) / 1000],
    ]);
    assert.deepEqual(reader.missedSamples, ['a missed line']);
  });

  it('a line without line breaks is cut, never held whole', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 100);
    for (let i = 0; i < 1000; i++) splitter.write('x'.repeat(100));
    splitter.end();
    assert.equal(lines.length, 1);
    assert.ok(lines[0].length <= 200);
  });
});

describe('jail lab: would ban', () => {
  it('sliding window: maxretry failures within findtime (closed window)', () => {
    assert.equal(firstBanTime([0, 10, 20], 3, 20), 20);
    assert.equal(firstBanTime([0, 10, 21], 3, 20), undefined);
    assert.equal(firstBanTime([0, 100, 200, 205, 210], 3, 20), 210);
    assert.equal(firstBanTime([5], 1, 0), 5);
  });

  it('ignoreip: CIDR, IPv6 and exact addresses never banned; DNS names noted', () => {
    const ignore = readIgnoreIp('127.0.0.1/8 10.1.2.0/24 2001:db8::/32 198.51.100.9 mail.example.com', '1.1.0');
    assert.ok(ignore.warnings.some((w) => w.code === 'ignoreip-dns' && w.message.includes('mail.example.com')));
    const tally = new FailureTally();
    for (const ip of ['10.1.2.77', '2001:db8::5', '198.51.100.9', '198.51.100.10', '10.1.3.1']) for (let i = 0; i < 3; i++) tally.add(ip, 1000 + i);
    const { ips, wouldBan } = tally.summarize(3, 600, ignore);
    assert.deepEqual(wouldBan, ['10.1.3.1', '198.51.100.10']);
    const byIp = new Map(ips.map((entry) => [entry.ip, entry]));
    assert.equal(byIp.get('10.1.2.77')?.ignoredBy, '10.1.2.0/24');
    assert.equal(byIp.get('2001:db8::5')?.ignoredBy, '2001:db8::/32');
    assert.equal(byIp.get('198.51.100.9')?.wouldBan, false);
    assert.equal(byIp.get('10.1.3.1')?.wouldBanAt, '1970-01-01 00:16:42');
  });
});

describe('jail lab: lock-out guard', () => {
  const networks = parseInspectNetworks(JSON.stringify({
    mail_net: { Gateway: '172.22.0.1', IPAddress: '172.22.0.5', IPPrefixLen: 16, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0 },
  }));

  it('reads docker inspect networks', () => {
    assert.deepEqual(networks, [{ name: 'mail_net', gateway: '172.22.0.1', ipAddress: '172.22.0.5', prefixLength: 16, ipv6PrefixLength: 0 }]);
  });

  it('gateway, own network, private range, public address', () => {
    const warnings = lockoutWarnings(['172.22.0.1', '172.22.9.9', '192.168.1.20', '203.0.113.5', '::1'], networks, 'mailserver');
    assert.deepEqual(warnings.map((w) => [w.code, w.ip]), [
      ['lockout-gateway', '172.22.0.1'], ['lockout-own-network', '172.22.9.9'], ['lockout-private', '192.168.1.20'], ['lockout-private', '::1'],
    ]);
    assert.match(warnings[0].message, /slirp4netns/);
    assert.match(warnings[0].message, /NETWORK_INTERFACE=tap0/);
    assert.match(warnings[0].message, /PROXY protocol/);
  });
});
