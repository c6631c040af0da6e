// Hostile or broken output from docker / DMS / fail2ban (issue 10 items 3 and 7): escape sequences and control
// characters never reach a jail name, an address, a log shown in an editor or the output channel, and a jail or
// address printed twice gives one tree node, not two with the same id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanLabel, cleanOutput, hasControlCharacters } from '../../../client/src/docker/controlText';
import { parseBanList, parseStatus } from '../../../client/src/docker/dmsOutput';
import { normaliseOutput } from '../../../client/src/docker/runner';

const ESC = '\x1b';
const BEL = '\x07';
/** Sets the terminal title (with spaces: Node's stripVTControlCharacters alone leaves "y title" behind). */
const OSC_TITLE = `${ESC}]0;my title${BEL}`;
const OSC_TITLE_ST = `${ESC}]2;owned by you${ESC}\\`;
const OSC_LINK = `${ESC}]8;;https://evil.example/${ESC}\\`;
const CLEAR_SCREEN = `${ESC}[2J${ESC}[H`;
const C1_CSI = '\x9b31m';
const HOSTILE = [OSC_TITLE, OSC_TITLE_ST, OSC_LINK, CLEAR_SCREEN, C1_CSI, BEL, '\x00', '\x7f', '\x85', `${ESC}P1$r${ESC}\\`, `${ESC}[?1049h`];

test('output: every escape sequence and control character removed; TAB and LF kept; CRLF and CR become LF', () => {
  for (const sequence of HOSTILE) {
    assert.equal(normaliseOutput(`fail${sequence}2ban\tlog\r\nnext\rline\n`), 'fail2ban\tlog\nnext\nline\n', JSON.stringify(sequence));
  }
  assert.equal(normaliseOutput(`${ESC}[1;31mERROR${ESC}[0m bad`), 'ERROR bad', 'DMS colours still go');
  const unterminated = cleanOutput(`a${ESC}]0;unterminated\nb`);
  assert.match(unterminated, /^a.*terminated\nb$/, 'an unterminated OSC is cut short, the next line stays');
  assert.equal(hasControlCharacters(unterminated, true), false);
  const all = normaliseOutput(HOSTILE.join('x'));
  assert.equal(hasControlCharacters(all, true), false, JSON.stringify(all));
});

test('labels: no control character at all, TAB and line breaks become spaces', () => {
  assert.equal(cleanLabel(`cus${OSC_TITLE}tom\tjail\n`), 'custom jail ');
  for (const sequence of HOSTILE) assert.equal(hasControlCharacters(cleanLabel(`a${sequence}b\t`)), false, JSON.stringify(sequence));
});

test('status and list with escape sequences inside jail names and addresses: clean names and addresses', () => {
  const status = normaliseOutput(
    `Status for the jail: cus${OSC_TITLE}tom${CLEAR_SCREEN}\n` +
      '|- Filter\n|  |- Currently failed:\t0\n|  |- Total failed:\t0\n|  `- File list:\t\n`- Actions\n' +
      `   |- Currently banned:\t1\n   |- Total banned:\t1\n   \`- Banned IP list:\t192.0.2${OSC_LINK}.7${BEL}\n`,
  );
  const parsed = parseStatus(status, '');
  assert.deepEqual(parsed.jails.map((jail) => [jail.jail, jail.bannedIps]), [['custom', ['192.0.2.7']]]);
  const list = parseBanList(normaliseOutput(`Banned in dove${OSC_TITLE_ST}cot: 203.0.113.4${C1_CSI} 2001:db8::1${ESC}[2J\n`), '');
  assert.deepEqual(list.jails, [{ jail: 'dovecot', ips: ['203.0.113.4', '2001:db8::1'] }]);
  // Even text that did not pass through the runner comes out clean.
  assert.deepEqual(parseBanList(`Banned in dove\x85cot: 203.0.113.4\x07\n`, '').jails, [{ jail: 'dovecot', ips: ['203.0.113.4'] }]);
});

test('a jail or an address listed twice gives one jail with each address once (unique tree ids)', () => {
  const list = parseBanList('Banned in custom: 192.0.2.7 192.0.2.7 192.0.2.8\nBanned in custom: 192.0.2.8 192.0.2.9\nBanned in dovecot: 192.0.2.7\n', '');
  assert.deepEqual(list.jails, [
    { jail: 'custom', ips: ['192.0.2.7', '192.0.2.8', '192.0.2.9'] },
    { jail: 'dovecot', ips: ['192.0.2.7'] },
  ]);
  const block = (ips: string) =>
    `Status for the jail: custom\n|- Filter\n|  |- Currently failed:\t0\n\`- Actions\n   |- Currently banned:\t2\n   \`- Banned IP list:\t${ips}\n`;
  const status = parseStatus(block('192.0.2.7 192.0.2.7') + block('192.0.2.7 2001:db8::1'), '');
  assert.deepEqual(status.jails.map((jail) => [jail.jail, jail.bannedIps]), [['custom', ['192.0.2.7', '2001:db8::1']]]);
  assert.deepEqual(status.unrecognised, []);
});
