// Filter-name completion offers only files a jail can use: include helpers (filter.d/common.conf,
// apache-common.conf, …) are read by other filters through [INCLUDES]; as a jail's filter they have no
// failregex (or, selinux-common, do not even resolve).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCompletion } from '../../../server/src/features/completion';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { filterNames, isIncludeOnlyFilter } from '../../../server/src/knowledge/filters';
import { atCursor } from './fixture';

function filterLabels(options: FeatureOptions): string[] {
  const { doc, position } = atCursor('[x]\nfilter = |');
  return computeCompletion(doc, position, options).map((item) => item.label);
}

describe('completion: filter names', () => {
  for (const fail2banVersion of ['1.0.2', '1.1.0', '1.1.1'] as const) {
    it(`fail2ban ${fail2banVersion}: every stock filter except the include helpers`, () => {
      const labels = filterLabels({ kind: 'dms-jail', fail2banVersion });
      for (const helper of ['common', 'apache-common', 'botsearch-common', 'exim-common']) assert.ok(!labels.includes(helper), helper);
      const usable = filterNames(fail2banVersion).filter((name) => !isIncludeOnlyFilter(name));
      assert.deepEqual([...labels].sort(), [...usable].sort());
      for (const name of ['postfix', 'dovecot', 'custom', 'apache-auth', 'nginx-botsearch']) assert.ok(labels.includes(name), name);
    });
  }

  it('include helpers are exactly the *-common files and common itself', () => {
    assert.deepEqual(
      filterNames('1.1.0', false).filter(isIncludeOnlyFilter).sort(),
      ['apache-common', 'botsearch-common', 'common', 'exim-common', 'nginx-error-common', 'selinux-common'],
    );
  });
});
