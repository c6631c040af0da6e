// Differential test of whole-jail reads: the REAL fail2ban 1.1.0 and 1.1.1 JailsReader (filters read, `known/`
// filter options merged, every option of enabled jails interpolated) vs our context + read replay:
// effective action/filter/logpath/ignoreip/… of every enabled jail, and the first interpolation error.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context/build';
import { readAnalysis } from '../../../server/src/context/reads';
import { DMS_CUSTOM_FILTER_TEXT, newestDmsReleaseWith } from '../../../server/src/knowledge/dms';
import type { RealFail2banVersion } from '../../support/fail2banVerdict';
import type { CheckOptions } from '../../../server/src/types';
import { ensureFail2banInstalled, FAIL2BAN_INSTALLS } from '../../support/fail2banInstalls';
import { runPython } from '../../support/python';
import { treeFor } from './realReader';

const COMPARED = ['backend', 'filter', 'action', 'logpath', 'ignoreip', 'bantime', 'findtime', 'maxretry', 'logencoding', 'usedns', 'ignorecommand'];

interface Case {
  name: string;
  text: string;
  options: CheckOptions;
}

const CASES: Case[] = [
  { name: 'DMS defaults', text: '', options: { kind: 'dms-jail' } },
  {
    name: 'known/ extensions in a jail',
    text: '[DEFAULT]\nbantime = 2w\nignoreip = 127.0.0.1/8 192.168.0.0/16\n[postfix]\nignoreip = %(known/ignoreip)s 10.0.0.0/8\nport = %(known/port)s,2525\n',
    options: { kind: 'dms-jail' },
  },
  { name: 'filter known/failregex', text: '[dovecot]\nfailregex = %(known/failregex)s\n  ^extra <HOST>$\n', options: { kind: 'dms-jail' } },
  { name: 'disabled jail: action never read', text: '[sshd]\naction = %(nosuch)s\n', options: { kind: 'dms-jail' } },
  { name: 'disabled jail: filter is read', text: '[sshd]\nfilter = %(nosuch)s\n', options: { kind: 'dms-jail' } },
  { name: 'action_mwl in [custom] without logpath', text: '[custom]\naction = %(action_mwl)s\n', options: { kind: 'dms-jail' } },
  { name: 'mail actions with mode', text: '[postfix]\nmode = aggressive\naction = %(action_mw)s\n', options: { kind: 'dms-jail' } },
  {
    name: 'banaction and mta from DEFAULT into action_mwl',
    text: '[DEFAULT]\nbanaction = iptables-multiport\nmta = mail\n[dovecot]\naction = %(action_mwl)s\n',
    options: { kind: 'dms-jail' },
  },
  { name: 'lone percent in DEFAULT', text: '[DEFAULT]\nbantime = 50%\n', options: { kind: 'dms-jail' } },
  { name: 'backend reference in an enabled jail', text: '[dovecot]\nbackend = %(nope)s\n', options: { kind: 'dms-jail' } },
  { name: 'plain: sshd and recidive enabled', text: '[sshd]\nenabled = true\n[recidive]\nenabled = true\n', options: { kind: 'jail' } },
  {
    name: 'plain: DEFAULT action template per jail',
    text: '[DEFAULT]\naction = %(action_)s\n  %(mta)s-whois[name=%(__name__)s, dest="%(destemail)s"]\n[nginx-http-auth]\nenabled = yes\n',
    options: { kind: 'jail' },
  },
  { name: 'known/ inside DEFAULT loops', text: '[DEFAULT]\nignoreip = %(known/ignoreip)s 10.0.0.0/8\n', options: { kind: 'dms-jail' } },
  { name: 'section reference with capitals', text: '[postfix]\nlogpath = %(Dovecot/logpath)s\n', options: { kind: 'dms-jail' } },
];

interface JailsAnswer {
  error?: string;
  jails?: Record<string, Record<string, string>>;
}

function realJailReads(cases: Case[], version: RealFail2banVersion): JailsAnswer[] {
  const input = cases.map((testCase) => ({
    files: { ...treeFor(testCase.text, testCase.options), 'filter.d/custom.conf': DMS_CUSTOM_FILTER_TEXT },
    options: COMPARED,
  }));
  const fail2ban = FAIL2BAN_INSTALLS[version];
  const { stdout } = runPython({
    args: [join(__dirname, 'jails_reader.py'), fail2ban.configTree],
    input: JSON.stringify(input),
    pythonPath: fail2ban.packagesDir,
    what: 'jails_reader.py',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as JailsAnswer[];
}

/** Each case as read by `version` (DMS files: the newest DMS release shipping it, e.g. v16 for 1.1.1). */
function casesFor(version: RealFail2banVersion): Case[] {
  const dmsVersion = newestDmsReleaseWith(version);
  return CASES.map((c) => ({ ...c, options: { ...c.options, fail2banVersion: version, ...(dmsVersion ? { dmsVersion } : {}) } }));
}

for (const version of ['1.1.0', '1.1.1'] as const) describe(`enabled jails vs real fail2ban ${version} JailsReader`, () => {
  before(ensureFail2banInstalled);

  it('same enabled jails, effective values and first interpolation error', () => {
    const cases = casesFor(version);
    const answers = realJailReads(cases, version);
    let failures = 0;
    let values = 0;
    cases.forEach((testCase, index) => {
      const real = answers[index];
      const context = buildContextFromText(testCase.text, testCase.options);
      const errors = readAnalysis(context).errors;
      if (real.error !== undefined) {
        assert.ok(errors.length > 0, `${testCase.name}: fail2ban fails (${real.error}) but we read no error`);
        assert.equal(errors[0].result.error?.message, real.error, testCase.name);
        failures++;
        return;
      }
      assert.deepEqual(errors.map((e) => e.result.error?.message), [], `${testCase.name}: fail2ban reads this without error`);
      const enabled = context.jailNames().filter((name) => context.isEnabled(name));
      assert.deepEqual(enabled.sort(), Object.keys(real.jails ?? {}).sort(), `${testCase.name}: enabled jails`);
      for (const [jail, options] of Object.entries(real.jails ?? {})) {
        assert.equal(options['config-error'], undefined, `${testCase.name}: [${jail}] ${options['config-error']}`);
        for (const [name, value] of Object.entries(options)) {
          const ours = context.interpolate(jail, name);
          // filter-provided known/ values are unknown to us (empty); compare the rest of the value
          const expected = testCase.name === 'filter known/failregex' && name === 'failregex' ? undefined : value;
          if (expected === undefined) continue;
          assert.equal(ours.value, expected, `${testCase.name}: [${jail}] ${name}`);
          values++;
        }
      }
    });
    assert.ok(failures >= 5 && values >= 100, `too little compared: ${failures} failing cases, ${values} values`);
  });
});
