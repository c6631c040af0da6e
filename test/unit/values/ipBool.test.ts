// Differential tests: ignoreip split + IPAddr, and _as_bool, against fail2ban 1.1.0 (python3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIgnoreIpEntry, ipAddr, splitIgnoreIp } from '../../../server/src/values/ip';
import { asBool, readBool } from '../../../server/src/values/bool';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';

const ENTRIES = [
  '127.0.0.1', '127.0.0.1/8', '10.0.0.0/8', '192.168.0.0/255.255.0.0', '192.168.0.0/255.0.255.0', '1.2.3.4/255.255.255.255',
  '1.2.3.4/0.0.0.0', '0.0.0.0/0', '::1', '::', '2001:db8::/32', '2001:db8::1/129', '1.2.3.4/33', '1.2.3.4/99999999999',
  '300.1.1.1', '300.1.1.1/24', '010.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.4/abc', '1.2.3.4/ 8', 'fe80::1%eth0', '#', 'office',
  'not_an_ip', 'mail.example.com', '[::1]', '[2001:db8::1]/64', '[1.2.3.4]', '::ffff:1.2.3.4', '::ffff:1.2.3.4/120',
  '::1.2.3.4', '1::2:3:4:5:6:7', '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '12345::1', ':1', '1:',
  '1::2::3', 'ffff::/ffff::', '1.2.3.4/ffff:ff00::', '1.2.3.4/::ffff:255.255.255.0', '1.2.3.4/999.0.0.0', '1.2.3.4/1.2.3.4',
  '2001:db8::/ffff:ffff::', '2001:db8::/ffff:0:ffff::', 'file:/etc/fail2ban/ignore.list', '1.2.3.4/١٢', '١.2.3.4',
  '0.0.0.0', '255.255.255.255', '1.2.3.04', '::ffff:0:0', '::0:ffff:1.2.3.4', '1:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:1',
  '1:0:0:2:0:0:0:3', '1::1.2.3.4', '::1.2.3', '::256.1.1.1', '2001:DB8::A', '1.2.3.4/32', '1.2.3.4/31', '10.1.2.3/16',
];

test('IPAddr: curated and generated entries give fail2ban 1.1.0 family, prefix, text and errors', () => {
  const random = seededRandom(5);
  const pieces = ['1', '2', '25', '255', '256', '0', '00', '.', ':', '::', '/', '8', '24', '33', 'ff', 'ffff', 'a', '%', '[', ']'];
  const generated: string[] = [];
  while (generated.length < 600) {
    let s = '';
    const n = 1 + Math.floor(random() * 9);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(random() * pieces.length)];
    generated.push(s);
  }
  const values = [...ENTRIES, ...generated];
  const answers = askPython(values.map((value) => ({ q: 'ipaddr', value })));
  const problems: string[] = [];
  values.forEach((v, i) => {
    const ours = ipAddr(v);
    const py = answers[i];
    const a = ours.ok ? JSON.stringify([ours.ip.family, ours.ip.plen, ours.ip.text, ours.ip.isSingle]) : 'ERR ' + ours.message;
    const b = py.ok ? JSON.stringify([py.family, py.plen, py.str, py.isSingle]) : 'ERR ' + py.message;
    if (a !== b) problems.push(`${JSON.stringify(v)}: ours ${a} / python ${b}`);
  });
  assert.deepEqual(problems, []);
});

test('splitIgnoreIp matches splitwords (1.1.0) and keeps offsets', () => {
  const values = ['127.0.0.1/8 ::1', '1.2.3.4,5.6.7.8', '1.2.3.4 # office', 'a\tb\nc,,d', '  ', '', 'a, b ,c', 'x\u00a0y', 'x\u2003y'];
  const answers = askPython(values.map((value) => ({ q: 'splitwords', value })));
  values.forEach((v, i) => {
    const entries = splitIgnoreIp(v);
    assert.deepEqual(entries.map((e) => e.text), answers[i].words, JSON.stringify(v));
    for (const e of entries) assert.equal(v.slice(e.start, e.end), e.text);
  });
  assert.deepEqual(splitIgnoreIp('a\tb c', 'space-comma-newline').map((e) => e.text), ['a\tb', 'c']);
});

test('classifyIgnoreIpEntry: kinds and mistyped-address hints', () => {
  assert.equal(classifyIgnoreIpEntry('127.0.0.1').kind, 'ipv4');
  assert.equal(classifyIgnoreIpEntry('::1').kind, 'ipv6');
  assert.equal(classifyIgnoreIpEntry('10.0.0.0/8').kind, 'cidr');
  assert.equal(classifyIgnoreIpEntry('10.0.0.0/255.0.0.0').kind, 'mask');
  const bad = classifyIgnoreIpEntry('192.168.0.0/255.0.255.0');
  assert.equal(bad.kind, 'invalid-mask');
  assert.equal(bad.error, "invalid mask '255.0.255.0', no plen representation");
  for (const typo of ['300.1.1.1', '010.0.0.1', '1.2.3', '#', 'fe80::1%eth0']) {
    const c = classifyIgnoreIpEntry(typo);
    assert.equal(c.kind, 'dns-name', typo);
    assert.ok(c.mistypedIp, typo);
  }
  assert.equal(classifyIgnoreIpEntry('mail.example.com').mistypedIp, undefined);
  assert.equal(classifyIgnoreIpEntry('1.2.3.4/33').prefixTooLong, true);
  assert.equal(classifyIgnoreIpEntry('0.0.0.0/0').matchesEverything, true);
  assert.equal(classifyIgnoreIpEntry('127.0.0.1/8').hostBitsDropped, true);
  assert.equal(classifyIgnoreIpEntry('file:/x').needsFileSupport, true);
  assert.equal(classifyIgnoreIpEntry('file:/x', true).kind, 'file');
});

test('_as_bool: same as fail2ban, plus recognised spellings and suggestions', () => {
  const values = ['1', 'on', 'true', 'yes', 'TRUE', 'Yes', 'On', '0', 'off', 'false', 'no', 'ture', 'yes please', ' true', '', 'enabled', 'İ', 'ON'];
  const answers = askPython(values.map((value) => ({ q: 'asbool', value })));
  values.forEach((v, i) => assert.equal(asBool(v), answers[i].value, JSON.stringify(v)));
  assert.deepEqual(readBool('ture'), { value: false, recognised: false, suggestion: 'true' });
  assert.equal(readBool('No').recognised, true);
  assert.equal(readBool('yes please').recognised, false);
});
