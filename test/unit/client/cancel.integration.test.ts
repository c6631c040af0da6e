// Cancel in a progress notification (issue 14.12): the AbortSignal handed to Fail2banService.withSignal and to
// the container listing kills the running docker command, and the outcome is 'cancelled' (shown quietly), not a
// timeout. The stand-in's `timeout` mode makes `docker exec` hang until killed; the timeout is far away, so only
// the abort can end these runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDockerStandin, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';
import { Fail2banService } from '../../../client/src/docker/fail2banService';
import { startContainer } from '../../../client/src/docker/containers';
import { until } from '../../support/poll';

const FAR_TIMEOUT_MS = 10 * 60 * 1000;
let standin: DockerStandin;
let mail: DmsContainer;

before(async () => {
  standin = await createDockerStandin();
  mail = await standin.startDmsContainer({ name: 'mail', dmsVersion: 'v15.1' });
});
after(async () => {
  await standin?.dispose();
});

test('aborting the signal kills a hanging `setup fail2ban status` and reports "cancelled"', async () => {
  await mail.setFailure('timeout');
  try {
    const service = new Fail2banService({ target: { runtime: 'docker' }, container: 'mail', timeoutMs: FAR_TIMEOUT_MS, env: standin.env });
    const controller = new AbortController();
    standin.clearInvocations();
    const running = service.withSignal(controller.signal).status();
    await until('docker exec started', () => standin.invocations().length > 0);
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.ok ? 'ok' : outcome.failure.kind, 'cancelled');
  } finally {
    await mail.setFailure(undefined);
  }
});

test('a service without a signal is unaffected, and an already aborted signal never leaves docker running', async () => {
  const service = new Fail2banService({ target: { runtime: 'docker' }, container: 'mail', timeoutMs: FAR_TIMEOUT_MS, env: standin.env });
  assert.equal((await service.status()).ok, true);
  const aborted = AbortSignal.abort();
  const outcome = await service.withSignal(aborted).status();
  assert.equal(outcome.ok ? 'ok' : outcome.failure.kind, 'cancelled');
  const start = await startContainer({ runtime: 'docker' }, 'mail', false, { timeoutMs: FAR_TIMEOUT_MS, env: standin.env, signal: aborted });
  assert.equal(start.ok ? 'ok' : start.failure.kind, 'cancelled');
});
