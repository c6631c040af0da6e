// A differential fixture must never pass on a fail2ban that hangs: a process killed at the time limit has said
// nothing about the file, so it is the outcome 'hangs' — not 'dies', which a fixture may claim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureFail2banInstalled } from '../../support/fail2banInstalls';
import { describeOutcome, fail2banOutcome, fail2banVerdict, type Fail2banOutcome } from '../../support/fail2banVerdict';

/** fail2ban stops at start-up on this file (empty bantime: SyntaxError in the server). */
const DIES = '[DEFAULT]\nbantime =\n';
const DIES_CLAIM: Fail2banOutcome = { kind: 'dies' };

describe('fail2banVerdict: a hang is not a verdict', () => {
  it('a run killed at its limit is "hangs", which never matches a fixture that claims "dies"', async () => {
    ensureFail2banInstalled();
    // 1 ms: unshare, the mounts and Python's start-up alone take far longer, so both processes are still running
    const verdict = await fail2banVerdict({ version: '1.1.0', kind: 'dms-jail', text: DIES, timeoutMs: 1 });
    assert.deepEqual(verdict.hung, ['client -t', 'server']);
    const outcome = fail2banOutcome(verdict);
    assert.equal(outcome.kind, 'hangs');
    assert.notEqual(describeOutcome(outcome), describeOutcome(DIES_CLAIM));
    assert.match(describeOutcome(outcome), /killed at the time limit/);
  });

  it('the same file with time to finish is a real "dies" with nothing hung', { timeout: 5 * 60_000 }, async () => {
    const verdict = await fail2banVerdict({ version: '1.1.0', kind: 'dms-jail', text: DIES });
    assert.deepEqual(verdict.hung, []);
    assert.equal(describeOutcome(fail2banOutcome(verdict)), describeOutcome(DIES_CLAIM));
  });

  it('outcomes compare on their kind and sorted jails', () => {
    assert.equal(describeOutcome({ kind: 'skips', jails: ['postfix', 'dovecot'] }), describeOutcome({ kind: 'skips', jails: ['dovecot', 'postfix'] }));
    const hung = { clientOk: false, serverOk: false, jailsStarted: [], jailsSkipped: [], messages: [], hung: ['server'] };
    assert.deepEqual(fail2banOutcome(hung), { kind: 'hangs', processes: ['server'] });
    assert.deepEqual(fail2banOutcome({ ...hung, hung: [] }), { kind: 'dies' });
  });
});
