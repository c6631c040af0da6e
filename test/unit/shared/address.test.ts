import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAddress, wideNetworkConfirmation } from '../../../server/src/shared/address';

test('accepts IPv4, IPv6 and CIDR networks', () => {
  assert.deepEqual(validateAddress('192.0.2.7'), { ok: true, address: '192.0.2.7', family: 4 });
  assert.deepEqual(validateAddress(' 198.51.100.0/24 '), { ok: true, address: '198.51.100.0/24', family: 4, prefix: 24 });
  assert.deepEqual(validateAddress('2001:DB8::1'), { ok: true, address: '2001:db8::1', family: 6 });
  assert.deepEqual(validateAddress('2001:db8::/32'), { ok: true, address: '2001:db8::/32', family: 6, prefix: 32 });
  // the longest prefixes are single hosts and valid: /32 for IPv4, /128 for IPv6
  assert.deepEqual(validateAddress('192.0.2.7/32'), { ok: true, address: '192.0.2.7/32', family: 4, prefix: 32 });
  assert.deepEqual(validateAddress('2001:db8::7/128'), { ok: true, address: '2001:db8::7/128', family: 6, prefix: 128 });
  assert.deepEqual(validateAddress('0.0.0.0/0'), { ok: true, address: '0.0.0.0/0', family: 4, prefix: 0 });
  assert.deepEqual(validateAddress('::ffff:192.0.2.1'), { ok: true, address: '::ffff:192.0.2.1', family: 6 });
});

test('a prefix with leading zeros is sent in its plain form', () => {
  assert.deepEqual(validateAddress('198.51.100.0/024'), { ok: true, address: '198.51.100.0/24', family: 4, prefix: 24 });
  assert.deepEqual(validateAddress('2001:DB8::/032'), { ok: true, address: '2001:db8::/32', family: 6, prefix: 32 });
});

test('rejects what fail2ban would take as a raw string ban', () => {
  for (const input of ['not-an-ip', 'mail.example.com', '256.1.1.1', '192.0.2', '1.2.3.4.5', '', '   ']) {
    assert.equal(validateAddress(input).ok, false, input);
  }
});

test('rejects prefixes out of range or malformed', () => {
  for (const input of ['192.0.2.0/33', '2001:db8::/129', '192.0.2.0/', '192.0.2.0/+8', '192.0.2.0/24/8', '192.0.2.0/1e1']) {
    assert.equal(validateAddress(input).ok, false, input);
  }
  const tooLong = validateAddress('10.0.0.0/40');
  assert.equal(tooLong.ok, false);
  assert.match(!tooLong.ok ? tooLong.reason : '', /at most \/32/);
});

test('rejects option-like input, whitespace, lists and shell characters', () => {
  const hostile = [
    '-h',
    '--help',
    '192.0.2.7 192.0.2.8',
    '192.0.2.7,192.0.2.8',
    '192.0.2.7;rm -rf /',
    '$(reboot)',
    '`id`',
    '192.0.2.7|cat',
    '192.0.2.7\n',
    '192.0.2.7\t10.0.0.1',
    'fe80::1%eth0',
    "192.0.2.7'",
    '192.0.2.7&',
    '192.0.2.7>x',
  ];
  for (const input of hostile) {
    const result = validateAddress(input);
    // trim() removes a trailing newline only; an inner one must still be refused.
    if (input === '192.0.2.7\n') assert.equal(result.ok, true);
    else assert.equal(result.ok, false, JSON.stringify(input));
  }
  const dash = validateAddress('-192.0.2.7');
  assert.equal(dash.ok, false);
  assert.match(!dash.ok ? dash.reason : '', /starts with '-'/);
});

test('a network that covers everything (any /0) needs an explicit confirmation that says so', () => {
  for (const [input, family] of [['0.0.0.0/0', 'IPv4'], ['1.2.3.4/0', 'IPv4'], ['::/0', 'IPv6'], ['2001:db8::1/0', 'IPv6'], ['0.0.0.0/000', 'IPv4']] as const) {
    const ban = wideNetworkConfirmation(input, 'ban');
    assert.ok(ban, input);
    assert.match(ban.message, new RegExp(`covers every ${family} address\\. Banning it blocks every ${family} client`), input);
    assert.equal(ban.button, `Ban Every ${family} Address`);
    const ignore = wideNetworkConfirmation(input, 'ignore');
    assert.ok(ignore, input);
    assert.match(ignore.message, new RegExp(`never ban any ${family} client: brute-force protection stops`), input);
    assert.equal(ignore.button, `Never Ban Any ${family} Address`);
  }
});

test('very wide networks (IPv4 shorter than /8, IPv6 shorter than /7) need it too, with the size', () => {
  const v4 = wideNetworkConfirmation('128.0.0.0/1', 'ban');
  assert.equal(v4?.button, 'Ban the Whole Range');
  assert.match(v4?.message ?? '', /^128\.0\.0\.0\/1 covers 2,147,483,648 addresses \(50% of all IPv4 addresses\)\. Banning it blocks all of them/);
  assert.match(wideNetworkConfirmation('10.0.0.0/7', 'ignore')?.message ?? '', /covers 33,554,432 addresses \(0\.781% of all IPv4/);
  assert.match(wideNetworkConfirmation('2000::/3', 'ban')?.message ?? '', /covers 2\^125 addresses \(12\.5% of all IPv6/);
  assert.equal(wideNetworkConfirmation('fc00::/6', 'ignore')?.button, 'Never Ban the Whole Range');
});

test('ordinary addresses and networks, common ignoreip entries included, need no extra confirmation', () => {
  for (const input of ['192.0.2.7', '0.0.0.0', '::', '10.0.0.0/8', '127.0.0.1/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10', '2001:db8::/32', 'not-an-ip']) {
    assert.equal(wideNetworkConfirmation(input, 'ban'), undefined, input);
    assert.equal(wideNetworkConfirmation(input, 'ignore'), undefined, input);
  }
});
