// The value rules decide a clean value on its own text: they do not ask which jails read it (for a [DEFAULT] value
// that is a walk through every jail of a big file), and they ask the context a bounded number of questions per option.
// Work is counted, not timed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContext } from '../../../server/src/context/build';
import { userFilePath } from '../../../server/src/context/sources';
import type { ConfigContext } from '../../../server/src/context/types';
import { parseDocument } from '../../../server/src/parser/parse';
import { allRules } from '../../../server/src/rules';
import type { RuleReport } from '../../../server/src/rules/rule';
import type { FileKind } from '../../../server/src/types';

const KIND: FileKind = 'dms-jail';

function jailFile(jails: number, defaults: string): string {
  const parts = [`[DEFAULT]\n${defaults}\n`];
  for (let i = 0; i < jails; i++) {
    parts.push(
      `[guard-${i}]\nenabled = true\nfilter = postfix[mode=auth]\nbantime = ${1 + (i % 5)}h\nfindtime = 10m\nmaxretry = ${3 + (i % 4)}\n` +
        `logpath = /var/log/mail/mail.log\nignoreip = 127.0.0.1/8 192.0.2.${i % 250}\naction = %(action_)s\n\n`,
    );
  }
  return parts.join('');
}

interface Counts {
  jailsInheriting: number;
  lookup: number;
  interpolate: number;
}

/** Runs every rule but interpolation (not a value rule) on `text` with a context that counts the questions asked. */
function countQuestions(text: string): { counts: Counts; reports: RuleReport[] } {
  const doc = parseDocument(text, { fail2banPath: userFilePath(KIND) });
  const context = buildContext(doc, { kind: KIND });
  const counts: Counts = { jailsInheriting: 0, lookup: 0, interpolate: 0 };
  const counting: ConfigContext = Object.create(context);
  counting.jailsInheriting = (option, enabledOnly) => (counts.jailsInheriting++, context.jailsInheriting(option, enabledOnly));
  counting.lookup = (section, option) => (counts.lookup++, context.lookup(section, option));
  counting.interpolateDetailed = (section, option) => (counts.interpolate++, context.interpolateDetailed(section, option));
  const reports: RuleReport[] = [];
  for (const rule of allRules) {
    if (rule.name === 'interpolation') continue;
    rule.check({ doc, options: { kind: KIND, fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0' }, context: counting, report: (r) => void reports.push(r) });
  }
  return { counts, reports };
}

describe('cost of the value rules', () => {
  it('do not ask which jails inherit a clean [DEFAULT] value', () => {
    const { counts, reports } = countQuestions(jailFile(300, 'bantime = 1w\nfindtime = 1d\nmaxretry = 6\nbantime.increment = true\nbantime.factor = 2\nignoreip = 127.0.0.1/8 ::1'));
    assert.deepEqual(reports.map((r) => r.code), []);
    assert.equal(counts.jailsInheriting, 0);
  });

  it('still name the jails that inherit a bad [DEFAULT] value', () => {
    const { counts, reports } = countQuestions(jailFile(5, 'bantime = 1hr'));
    assert.equal(counts.jailsInheriting > 0, true);
    const bad = reports.filter((r) => r.code === 'invalid-duration');
    assert.equal(bad.length, 1);
    // the guard jails set their own bantime: DMS's enabled jails inherit this one
    assert.match(bad[0].message, /This \[DEFAULT\] value is used by jails 'postfix', 'dovecot'\./);
  });

  it('ask the context a bounded number of questions per option', () => {
    const small = countQuestions(jailFile(100, 'bantime = 1w')).counts;
    const big = countQuestions(jailFile(400, 'bantime = 1w')).counts;
    // 8 options per jail: a handful of lookups and interpolations each, growing with the jails, not faster
    for (const question of ['lookup', 'interpolate'] as const) {
      assert.ok(big[question] <= 4 * small[question] + 50, `${question}: ${small[question]} for 100 jails, ${big[question]} for 400`);
      assert.ok(big[question] <= 400 * 8, `${question}: ${big[question]} for 400 jails of 8 options`);
    }
  });
});
