// Show Log → Follow (issue 14.13): each tick re-reads the end of fail2ban's log in the container (stand-in docker,
// real files), hands over only changed text, never more than the bound, and stops on a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDockerStandin, type DmsContainer, type DockerStandin } from '../../support/dmsContainer';
import { Fail2banService } from '../../../client/src/docker/fail2banService';
import { DIRECT_LOG_FILES } from '../../../client/src/docker/fail2banService';
import { boundLines, FOLLOW_MAX_LINES, LogFollower } from '../../../client/src/bans/logFollow';
import type { DockerFailure } from '../../../client/src/docker/errors';

let standin: DockerStandin;
let mail: DmsContainer;

before(async () => {
  standin = await createDockerStandin();
  mail = await standin.startDmsContainer({ name: 'mail', dmsVersion: 'v15.1' });
});
after(async () => {
  await standin?.dispose();
});

test('boundLines keeps the last lines and the final newline', () => {
  assert.equal(boundLines('a\nb\nc\n', 2), 'b\nc\n');
  assert.equal(boundLines('a\nb\nc', 2), 'b\nc');
  assert.equal(boundLines('a\nb\n', 5), 'a\nb\n');
  assert.ok(FOLLOW_MAX_LINES <= 5000);
});

test('each tick shows the newest lines, only when they changed, bounded; a failure stops following', async () => {
  const service = new Fail2banService({ target: { runtime: 'docker' }, container: 'mail', timeoutMs: 60_000, env: standin.env });
  const logFile = mail.hostPath(DIRECT_LOG_FILES[1]);
  mkdirSync(dirname(logFile), { recursive: true });
  const texts: string[] = [];
  const failures: DockerFailure[] = [];
  const follower = new LogFollower(service, DIRECT_LOG_FILES[1], { text: (text) => void texts.push(text), failed: (failure) => void failures.push(failure) }, 50);

  appendFileSync(logFile, Array.from({ length: 80 }, (_, i) => `2026-12-06 08:00:${String(i % 60).padStart(2, '0')},000 fail2ban.filter [1]: INFO [dovecot] Found 192.0.2.${i}\n`).join(''));
  assert.equal(await follower.tick(), true);
  const first = texts.at(-1) ?? '';
  assert.equal(first.split('\n').filter(Boolean).length, 50, 'bounded to the follower\'s limit');
  assert.match(first, /Found 192\.0\.2\.79\n$/);
  assert.equal(await follower.tick(), false, 'nothing new: no update');

  appendFileSync(logFile, '2026-12-06 08:01:00,000 fail2ban.actions [1]: NOTICE [dovecot] Ban 192.0.2.200\n');
  assert.equal(await follower.tick(), true);
  assert.match(texts.at(-1) ?? '', /Ban 192\.0\.2\.200\n$/);
  assert.equal((texts.at(-1) ?? '').split('\n').filter(Boolean).length, 50);

  await mail.setFailure('not-running');
  try {
    assert.equal(await follower.tick(), false);
    assert.equal(failures[0]?.kind, 'container-not-running');
    assert.equal(follower.following, false);
  } finally {
    await mail.setFailure(undefined);
  }
  follower.stop();
  assert.equal(await follower.tick(), false, 'a stopped follower never runs docker again');
});
