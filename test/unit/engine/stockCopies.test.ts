// Lines pasted unchanged from the stock jail.conf / fail2ban.conf get no advice: the user did nothing wrong there.
// Errors stay: fail2ban decides those, stock line or not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDocument } from '../../../server/src/engine';
import { stockFail2banConf, stockJailConf } from '../../../server/src/knowledge/stockConfigs';
import type { EngineDiagnostic } from '../../../server/src/types';

function show(diagnostics: EngineDiagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line + 1}: ${d.severity} ${d.code}: ${d.message}`).join('\n');
}

function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line, i) => i >= after && line.startsWith(needle));
  assert.ok(index >= 0, needle);
  return index;
}

describe('lines copied from the stock files', () => {
  for (const version of ['1.0.2', '1.1.0'] as const) {
    const dmsVersion = version === '1.0.2' ? 'v14' : 'v15.1.0';
    it(`the whole stock jail.conf of ${version} as fail2ban-jail.cf or jail.local: no diagnostic`, () => {
      const text = stockJailConf(version);
      // without the exemption: iptables-in-dms on the stock banactions, mode-ignored on [DEFAULT] mode (DMS's [custom])
      assert.deepEqual(checkDocument(text, { kind: 'dms-jail', fail2banVersion: version, dmsVersion }), []);
      assert.deepEqual(checkDocument(text, { kind: 'jail', fail2banVersion: version }), []);
    });

    it(`the stock fail2ban.conf of ${version} as fail2ban-fail2ban.cf: no diagnostic`, () => {
      const text = stockFail2banConf(version);
      assert.equal(show(checkDocument(text, { kind: 'dms-server', fail2banVersion: version, dmsVersion })), '');
    });
  }

  it('one deliberate line that happens to equal the stock value is no paste: its advice stays', () => {
    const found = checkDocument('[DEFAULT]\nbanaction = iptables-multiport\n[custom]\nenabled = false\n', { kind: 'dms-jail' });
    assert.deepEqual(found.map((d) => [d.range.start.line, d.code]), [[1, 'iptables-in-dms'], [3, 'custom-jail-disabled']], show(found));
  });

  it('an edited line keeps its advice; a stock line that breaks fail2ban keeps its error', () => {
    const stock = stockJailConf('1.1.0');
    const banaction = lineOf(stock, 'banaction = ');
    const edited = stock.replace(/^banaction = iptables-multiport$/m, 'banaction = iptables-allports');
    const advice = checkDocument(edited, { kind: 'dms-jail', fail2banVersion: '1.1.0' });
    assert.deepEqual(advice.map((d) => [d.range.start.line, d.code, d.severity]), [[banaction, 'iptables-in-dms', 'information']], show(advice));
    // [sshd] enabled in DMS: its stock logpath (/var/log/auth.log) does not exist there, so fail2ban stops
    const sshd = lineOf(stock, '[sshd]');
    const lines = stock.split('\n');
    lines.splice(sshd + 1, 0, 'enabled = true');
    const enabled = lines.join('\n');
    const errors = checkDocument(enabled, { kind: 'dms-jail', fail2banVersion: '1.1.0' }).filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]), [[lineOf(enabled, 'logpath', sshd), 'missing-log']], show(errors));
  });
});
