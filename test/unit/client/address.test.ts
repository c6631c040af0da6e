import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAddress } from '../../../client/src/docker/address';

test('accepts IPv4, IPv6 and CIDR networks', () => {
  assert.deepEqual(validateAddress('192.0.2.7'), { ok: true, address: '192.0.2.7', family: 4 });
  assert.deepEqual(validateAddress(' 198.51.100.0/24 '), { ok: true, address: '198.51.100.0/24', family: 4, prefix: 24 });
  assert.deepEqual(validateAddress('2001:DB8::1'), { ok: true, address: '2001:db8::1', family: 6 });
  assert.deepEqual(validateAddress('2001:db8::/32'), { ok: true, address: '2001:db8::/32', family: 6, prefix: 32 });
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
