// The runner against real processes: a small executable standing in for the container CLI that
// reports the argv it received, prints ANSI colours, or hangs (until killed, or until its parent is gone, so that it never
// outlives the test even when something between — a shell — swallowed the kill).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBanList } from '../../../client/src/docker/dmsOutput';
import { connectionArgs, formatCommandLine, normaliseOutput, runInContainer, runRuntime, runSetupFail2ban } from '../../../client/src/docker/runner';

let dir = '';
let fakeCli = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-test-'));
  fakeCli = join(dir, 'fake-docker');
  await writeFile(
    fakeCli,
    `#!/usr/bin/env node
const args = process.argv.slice(2);
if (args.includes('hang')) { require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'hang.pid'))}, String(process.pid)); const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200); }
else if (args.includes('colour')) { process.stdout.write('\\x1b[0;34mINFO \\x1b[0m fail2ban: hi\\r\\n'); process.stderr.write('\\x1b[1;31mERROR\\x1b[0m bad\\n'); process.exit(3); }
else if (args.includes('hostile')) { process.stdout.write('Banned in cus\\x1b]0;my title\\x07tom: 192.0.2.7\\x1b[2J\\x1b[H 192.0.2.8\\x9b31m\\r\\n\\x1b]8;;https://evil.example/\\x1b\\\\log\\tline\\x07\\n'); process.stderr.write('\\x1b]2;owned\\x1b\\\\bad\\x00\\n'); }
else if (args.includes('stdin')) { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => process.stdout.write('got:' + s + ' args:' + args.join(' '))); }
else process.stdout.write(JSON.stringify({ args, env: process.env.RUNNER_TEST_VALUE ?? null }));
`,
  );
  await chmod(fakeCli, 0o755);
});
after(async () => rm(dir, { recursive: true, force: true }));

test('arguments arrive one by one, never through a shell', async () => {
  const lines: string[] = [];
  // Inert even if a shell ran it (as under the "runs through a shell" mutant): it could only create a file in
  // this test's own temporary directory, which the test then looks for.
  const shellMark = join(dir, 'shell-ran');
  const hostile = `192.0.2.7; touch ${shellMark}-$(echo substituted)`;
  const result = await runSetupFail2ban({ runtime: fakeCli }, 'mail.server', ['ban', hostile], {
    timeoutMs: 10_000,
    sink: { appendLine: (line) => lines.push(line) },
    env: { RUNNER_TEST_VALUE: 'seen' },
  });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), { args: ['exec', 'mail.server', 'setup', 'fail2ban', 'ban', hostile], env: 'seen' });
  assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('shell-ran')), [], 'no shell ran the argument');
  assert.match(lines[0], /^\$ .*fake-docker exec mail\.server setup fail2ban ban '/);
  assert.ok(lines[0].endsWith(` ban '${hostile}'`), lines[0]);
  assert.match(lines[lines.length - 1], /→ exit 0/);
});

test('connection flags: docker --context / -H, podman --connection / --url', async () => {
  assert.deepEqual(connectionArgs({ runtime: 'docker', context: 'prod' }), ['--context', 'prod']);
  assert.deepEqual(connectionArgs({ runtime: '/usr/bin/docker', host: 'ssh://me@mail' }), ['-H', 'ssh://me@mail']);
  assert.deepEqual(connectionArgs({ runtime: 'podman', context: 'remote' }), ['--connection', 'remote']);
  assert.deepEqual(connectionArgs({ runtime: '/opt/podman', host: 'unix:///run/podman.sock' }), ['--url', 'unix:///run/podman.sock']);
  assert.deepEqual(connectionArgs({ runtime: 'docker' }), []);
  // docker refuses --context with -H; the explicit context is kept.
  assert.deepEqual(connectionArgs({ runtime: 'docker', context: 'prod', host: 'tcp://h:2376' }), ['--context', 'prod']);
  assert.deepEqual(connectionArgs({ runtime: 'podman', context: 'remote', host: 'unix:///run/podman.sock' }), ['--connection', 'remote']);
  const result = await runRuntime({ runtime: fakeCli, host: 'tcp://h:2376' }, ['ps'], { timeoutMs: 10_000 });
  assert.deepEqual(JSON.parse(result.stdout).args, ['-H', 'tcp://h:2376', 'ps']);
});

test('ANSI colours stripped, CRLF normalised, exit code kept', async () => {
  const result = await runRuntime({ runtime: fakeCli }, ['colour'], { timeoutMs: 10_000 });
  assert.equal(result.exitCode, 3);
  assert.equal(result.stdout, 'INFO  fail2ban: hi\n');
  assert.equal(result.stderr, 'ERROR bad\n');
  assert.equal(normaliseOutput('\x1b[1;31mERROR\x1b[0m'), 'ERROR');
});

test('hostile output (OSC title and link, screen clear, C1, BEL, NUL) never reaches a caller: clean text, clean jail names', async () => {
  const lines: string[] = [];
  const result = await runRuntime({ runtime: fakeCli }, ['hostile'], { timeoutMs: 10_000, sink: { appendLine: (line) => lines.push(line) } });
  assert.equal(result.stdout, 'Banned in custom: 192.0.2.7 192.0.2.8\nlog\tline\n');
  assert.equal(result.stderr, 'bad\n');
  assert.deepEqual(parseBanList(result.stdout, result.stderr).jails, [{ jail: 'custom', ips: ['192.0.2.7', '192.0.2.8'] }]);
  assert.ok(lines.every((line) => !/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(line)), 'the output channel gets clean lines too');
});

test('standard input is passed with exec -i', async () => {
  const result = await runInContainer({ runtime: fakeCli }, 'c', ['stdin'], { timeoutMs: 10_000, input: 'hello' });
  // Without -i, docker exec would not forward standard input to the container.
  assert.equal(result.stdout, 'got:hello args:exec -i c stdin');
});

test('a container name that could be read as an option is never passed: nothing runs, the reason is logged', async () => {
  const lines: string[] = [];
  for (const name of ['--env-file=/etc/passwd', '-e', 'mail server', 'a:b', '']) {
    const result = await runInContainer({ runtime: fakeCli }, name, ['setup', 'fail2ban'], { timeoutMs: 10_000, sink: { appendLine: (line) => lines.push(line) } });
    assert.equal(result.exitCode, undefined, name);
    assert.match(result.refused ?? '', /not a valid container name/, name);
  }
  assert.ok(lines.every((line) => line.startsWith('Not run: ')), lines.join('\n'));
});

// The command never ends by itself: if the runner did not kill it, this test would never finish (its generous
// limit fails it then). The outcome is asserted, not the time it took.
test('a hanging command is killed at the timeout', { timeout: 120_000 }, async () => {
  const result = await runRuntime({ runtime: fakeCli }, ['hang'], { timeoutMs: 300 });
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, undefined);
  // on a very busy machine the kill may come before the script even wrote its pid: then it never ran at all
  const pidFile = join(dir, 'hang.pid');
  if (existsSync(pidFile)) assert.throws(() => process.kill(Number(readFileSync(pidFile, 'utf8')), 0), { code: 'ESRCH' }, 'the hanging process is gone');
});

test('a missing executable is reported, not thrown', async () => {
  const result = await runRuntime({ runtime: join(dir, 'no-such-docker') }, ['ps'], { timeoutMs: 5000 });
  assert.equal(result.spawnErrorCode, 'ENOENT');
  assert.equal(result.exitCode, undefined);
});

test('command lines are logged readably', () => {
  assert.equal(formatCommandLine(['docker', 'exec', 'mailserver', 'setup', 'fail2ban']), 'docker exec mailserver setup fail2ban');
  assert.equal(formatCommandLine(['docker', "it's"]), `docker 'it'\\''s'`);
});
