// The classifier against the exact messages docker, podman and DMS print (as each CLI
// prints them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRun, type FailureKind } from '../../../client/src/docker/errors';
import type { RunResult } from '../../../client/src/docker/runner';

function run(partial: Partial<RunResult>): RunResult {
  return { argv: ['docker'], exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...partial };
}
const context = { runtime: 'docker', container: 'mailserver', subcommand: '', timeoutMs: 30_000 };
const TS = '2025-09-08 12:54:36+02:00';

const CASES: Array<{ name: string; result: Partial<RunResult>; kind: FailureKind | undefined; subcommand?: string }> = [
  { name: 'CLI missing', result: { exitCode: undefined, spawnErrorCode: 'ENOENT' }, kind: 'runtime-not-found' },
  { name: 'CLI not executable', result: { exitCode: undefined, spawnErrorCode: 'EACCES' }, kind: 'runtime-not-found' },
  { name: 'timeout', result: { exitCode: undefined, timedOut: true }, kind: 'timeout' },
  {
    name: 'daemon down',
    result: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' },
    kind: 'daemon-unreachable',
  },
  {
    name: 'socket permission',
    result: {
      exitCode: 1,
      stderr:
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied\n',
    },
    kind: 'permission-denied',
  },
  {
    name: 'unknown context',
    result: { exitCode: 1, stderr: 'context "prod" does not exist\n' },
    kind: 'invalid-connection',
  },
  { name: 'no such container', result: { exitCode: 1, stderr: 'Error response from daemon: No such container: mailserver\n' }, kind: 'no-such-container' },
  {
    name: 'podman: no such container',
    result: { exitCode: 125, stderr: 'Error: no container with name or ID "mailserver" found: no such container\n' },
    kind: 'no-such-container',
  },
  {
    name: 'container stopped',
    result: { exitCode: 1, stderr: 'Error response from daemon: container 3f4e5d6c7b8a is not running\n' },
    kind: 'container-not-running',
  },
  {
    name: 'container paused',
    result: { exitCode: 1, stderr: 'Error response from daemon: container 3f4e5d6c7b8a is paused, unpause the container before exec\n' },
    kind: 'container-paused',
  },
  {
    name: 'podman: container stopped',
    result: { exitCode: 125, stderr: 'Error: can only create exec sessions on running containers: container state improper\n' },
    kind: 'container-not-running',
  },
  {
    name: 'not a DMS container',
    result: {
      exitCode: 127,
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "setup": executable file not found in $PATH: unknown\n',
    },
    kind: 'not-dms-container',
  },
  {
    name: 'fail2ban not running (v14+)',
    result: { exitCode: 1, stderr: `${TS} ERROR fail2ban: Fail2ban not running\n${TS} ERROR fail2ban: Aborting\n` },
    kind: 'fail2ban-not-running',
  },
  {
    name: 'fail2ban not running (v13)',
    result: { exitCode: 1, stderr: '[  ERROR  ]  Fail2ban not running\n[  ERROR  ]  Aborting\n' },
    kind: 'fail2ban-not-running',
  },
  {
    name: 'unknown subcommand (old DMS)',
    subcommand: 'status',
    result: {
      exitCode: 1,
      stdout: 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n       ./setup.sh fail2ban log\n',
      stderr: "[  ERROR  ]  Unknown command 'status'\n[  ERROR  ]  Aborting\n",
    },
    kind: 'unknown-subcommand',
  },
  { name: 'other non-zero exit', result: { exitCode: 3, stdout: 'weird\n' }, kind: 'unexpected-output' },
  { name: 'healthy listing', result: { exitCode: 0, stdout: 'Banned in custom: 192.0.2.7\n' }, kind: undefined },
  // `setup fail2ban help` answers with the usage text: asked for, so not the sign of an older DMS
  {
    name: "'help' prints the usage: not an unknown subcommand",
    subcommand: 'help',
    result: { exitCode: 0, stdout: 'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]\n       ./setup.sh fail2ban log\n' },
    kind: undefined,
  },
  // a successful run's output (here a log line) may quote a runtime's words; only a failed run is read for them
  { name: 'runtime words in a successful output', result: { exitCode: 0, stdout: 'postfix: Error: No such container: relay\n' }, kind: undefined },
  { name: 'failed ban still exits 0', result: { exitCode: 0, stderr: `${TS} ERROR fail2ban: Banning '1.2.3.4' failed. Already banned?\n` }, kind: undefined },
];

for (const entry of CASES) {
  test(`classifies: ${entry.name}`, () => {
    const failure = classifyRun(run(entry.result), { ...context, subcommand: entry.subcommand ?? context.subcommand });
    assert.equal(failure?.kind, entry.kind);
    if (failure) {
      assert.ok(failure.message.length > 20, 'a sentence, not a code');
      assert.ok(failure.actions.length > 0, 'offers something to do');
    }
  });
}

test('the raw output travels with the failure', () => {
  const failure = classifyRun(run({ exitCode: 3, stdout: 'weird\n', stderr: 'worse\n' }), context);
  assert.equal(failure?.detail, 'weird\nworse');
  assert.equal(failure?.exitCode, 3);
});

test('not running suggests validating the workspace files and reading the log', () => {
  const failure = classifyRun(run({ exitCode: 1, stderr: '[  ERROR  ]  Fail2ban not running\n' }), context);
  assert.deepEqual(failure?.actions, ['validate-config', 'show-log', 'show-output']);
  assert.match(failure?.message ?? '', /ENABLE_FAIL2BAN/);
});
