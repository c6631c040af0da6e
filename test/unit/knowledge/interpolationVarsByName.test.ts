// interpolationVar answers the first names asked for without building the table of every variable (a CLI check
// asks for a few); each such answer must be what the whole table holds for that name.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { interpolationVar, interpolationVarNames } from '../../../server/src/knowledge/interpolationVars';
import { FAIL2BAN_VERSIONS } from '../../../server/src/types';

/** The entry as plain data, its lazily found `source` included. */
const plain = (info: ReturnType<typeof interpolationVar>) => (info ? { ...info, source: info.source } : info);

it('answers a name asked for alone as the whole table does', () => {
  // this file runs in a process of its own: no table is built before these (fewer than the names that make one)
  const names = ['banaction', 'MODE', 'postfix_log', 'syslog_mail', 'fail2ban_version', '__name__', 'maxretry', 'nosuchvar', 'constructor', 'action_mwl'];
  const alone = FAIL2BAN_VERSIONS.flatMap((version) => names.map((name) => plain(interpolationVar(name, version))));
  assert.ok(alone.some((info) => info !== undefined) && alone.includes(undefined));
  for (const version of FAIL2BAN_VERSIONS) interpolationVarNames(version); // builds the whole table
  const fromTable = FAIL2BAN_VERSIONS.flatMap((version) => names.map((name) => plain(interpolationVar(name, version))));
  assert.deepStrictEqual(alone, fromTable);
});
