// `%(known/<x>)s` in an enabled jail: fail2ban adds only the filter's own options (jailreader.py
// merge_section(..., 'known/')); any other <x> stops fail2ban (Bad value substitution). Our table of those
// names is checked against the real FilterReader of 1.0.2 and 1.1.0 for every stock filter.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context/build';
import { filterKnownOptionNames, isIncludeOnlyFilter } from '../../../server/src/knowledge/filters';
import type { CheckOptions } from '../../../server/src/types';
import { ensureFail2banInstalled, FAIL2BAN_INSTALLS } from '../../support/fail2banInstalls';
import { runPython } from '../../support/python';

const PROBE = join(__dirname, 'filter_known_names.py');

function realKnownNames(version: keyof typeof FAIL2BAN_INSTALLS): Record<string, string[] | null> {
  const { packagesDir, configTree } = FAIL2BAN_INSTALLS[version];
  const { stdout } = runPython({ args: [PROBE, configTree], pythonPath: packagesDir, what: `filter_known_names.py (fail2ban ${version})` });
  return JSON.parse(stdout) as Record<string, string[] | null>;
}

function interpolate(text: string, section: string, option: string, options: CheckOptions = { kind: 'dms-jail' }) {
  return buildContextFromText(text, options).interpolate(section, option);
}

describe('known/ names of a jail with a stock filter', () => {
  before(ensureFail2banInstalled);

  for (const version of ['1.1.0', '1.0.2'] as const) {
    it(`match fail2ban ${version}'s FilterReader for every stock filter`, () => {
      const real = realKnownNames(version);
      assert.ok(Object.keys(real).length > 50, 'probe found the stock filters');
      for (const [name, names] of Object.entries(real)) {
        const ours = filterKnownOptionNames(name, version, false);
        if (isIncludeOnlyFilter(name)) {
          assert.equal(ours, undefined, `${name}: include helpers are not judged`);
          continue;
        }
        assert.ok(names && ours, `${name}: readable filter, known to us`);
        // literal `known/…` keys of a filter would be `%(known/known/…)s`: not modelled
        assert.deepEqual([...ours].sort(), names.filter((n) => !n.startsWith('known/')), name);
      }
    });
  }

  it('resolves the filter options (and filter[params]) to empty text and rejects the rest like fail2ban', () => {
    const text = '[postfix-sasl]\nenabled = true\nfilter = postfix[mode=auth, mytag=x]\nignorecommand = %(known/_daemon)s %(known/MyTag)s %(known/logtype)s\n';
    const ok = interpolate(text, 'postfix-sasl', 'ignorecommand');
    assert.equal(ok.error, undefined);
    assert.equal(ok.value, '  ');
    const bad = interpolate('[dovecot]\nenabled = true\nport = %(known/bar)s\n', 'dovecot', 'port');
    assert.equal(bad.error?.code, 'undefined-variable');
    assert.match(bad.error?.message ?? '', /interpolation key 'known\/bar' which is not a valid option name/);
  });

  it("accepts any known/ name for a filter that is not a stock one (the user's own filter.d file)", () => {
    const text = '[mine]\nenabled = true\nfilter = my-own-filter\nlogpath = /var/log/mail.log\nport = %(known/bar)s\n';
    assert.equal(interpolate(text, 'mine', 'port', { kind: 'jail' }).error, undefined);
  });

  it('a known/ value of an earlier layer still wins over the filter (stock jail.conf port)', () => {
    const result = interpolate('[dovecot]\nenabled = true\nport = %(known/port)s,4190\n', 'dovecot', 'port');
    assert.equal(result.error, undefined);
    assert.match(result.value ?? '', /4190$/);
    assert.notEqual(result.value, ',4190');
  });
});
