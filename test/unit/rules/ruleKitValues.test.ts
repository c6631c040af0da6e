// The one text a rule checks for a site (server/src/rules/ruleKit.ts oneValue, checkPerJail): oneValue's answer is
// one object used again by the next call, so checkPerJail keeps its own. A check run by checkPerJail may ask oneValue
// about other sites (as rules do) without changing the value checkPerJail handed it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildContext } from '../../../server/src/context/build';
import { userFilePath } from '../../../server/src/context/sources';
import { parseDocument } from '../../../server/src/parser/parse';
import type { RuleContext, RuleReport } from '../../../server/src/rules/rule';
import { checkPerJail, oneValue, readVerdict, sitesNamed, type CheckedValue, type OptionSite, type ValueProblem } from '../../../server/src/rules/ruleKit';

const TEXT = ['[DEFAULT]', 'bantime = 1h', '', '[sshd]', 'enabled = true', 'bantime = 2h', 'findtime = %(bantime)s', '', '[dovecot]', 'enabled = true', 'bantime = 3h'].join('\n');

function ruleContext(reports: RuleReport[]): RuleContext {
  const doc = parseDocument(TEXT, { fail2banPath: userFilePath('dms-jail') });
  const context = buildContext(doc, { kind: 'dms-jail' });
  return {
    doc,
    context,
    options: { kind: 'dms-jail', fail2banVersion: context.fail2banVersion, dmsVersion: context.dmsVersion },
    report: (report) => void reports.push(report),
  };
}

/** The text and precision a check saw, copied (the object it is given may be used again). */
function seen(checked: CheckedValue): string {
  return `${checked.text}|${checked.precise}`;
}

describe('ruleKit: the one value of a site', () => {
  it('oneValue gives the raw text (precise) or its interpolation in its own section', () => {
    const ctx = ruleContext([]);
    const [findtime] = sitesNamed(ctx.doc, 'findtime');
    const answer = oneValue(ctx, findtime);
    assert.ok(answer !== undefined && answer !== 'per-jail');
    assert.equal(seen(answer), '2h|false');
    const texts = sitesNamed(ctx.doc, 'bantime').map((site) => {
      const one = oneValue(ctx, site);
      assert.ok(one !== undefined && one !== 'per-jail');
      return seen(one);
    });
    assert.deepEqual(texts, ['1h|true', '2h|true', '3h|true']);
  });

  it("a check that asks oneValue about other sites keeps checkPerJail's value, on both passes", () => {
    const reports: RuleReport[] = [];
    const ctx = ruleContext(reports);
    const others = sitesNamed(ctx.doc, 'bantime');
    const checkedTexts: string[] = [];
    const check = (inner: RuleContext, site: OptionSite, checked: CheckedValue): readonly ValueProblem[] => {
      for (const other of others) oneValue(inner, other); // a rule's own lookups in between
      checkedTexts.push(seen(checked));
      return [{ code: 'invalid-duration', range: site.option.valueRange, severity: 'error', message: `saw ${checked.text}` }];
    };
    const [findtime] = sitesNamed(ctx.doc, 'findtime');
    checkPerJail(ctx, findtime, readVerdict, check);
    // the quick pass on the one value, then the pass per jail (sshd alone reads it)
    assert.deepEqual(checkedTexts, ['2h|false', '2h|false']);
    assert.deepEqual(
      reports.map((report) => report.message),
      ['saw 2h'],
    );
  });
});
