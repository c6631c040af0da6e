// The built CLI (dist/cli.js through bin/dms-fail2ban), spawned as users run it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GENEROUS_WAIT_MS } from '../../support/poll';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'dms-fail2ban');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;

function file(relative: string, content: string | Uint8Array): string {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

before(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { encoding: 'utf8', cwd: ROOT });
  assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'dms-fail2ban-cli-'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('check', () => {
  it('prints path:line:column: severity code: message and exits 1 on errors', () => {
    const path = file('errors/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    const run = cli('check', path);
    assert.equal(run.status, 1, run.stderr);
    const line = run.stdout.split('\n').find((l) => l.includes('invalid-interpolation'));
    assert.ok(line, run.stdout);
    assert.match(line, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:13: error invalid-interpolation: fail2ban stops`));
  });

  it('exits 0 for a clean DMS file (warnings do not count)', () => {
    const path = file('clean/fail2ban-jail.cf', '[DEFAULT]\nbantime = 2w\n\n[postfix]\nmaxretry = 4\n');
    const run = cli('check', path);
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it('json: one entry per file in argument order, 1-based positions, kind from the file name', () => {
    const jail = file('json/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    const server = file('json/fail2ban-fail2ban.cf', '[Definition]\nloglevel = INFO\n');
    const run = cli('check', '--format', 'json', server, jail);
    const entries = JSON.parse(run.stdout) as { file: string; kind: string; diagnostics: Record<string, unknown>[] }[];
    assert.deepEqual(entries.map((e) => [e.file, e.kind]), [
      [server, 'dms-server'],
      [jail, 'dms-jail'],
    ]);
    const diagnostic = entries[1].diagnostics.find((d) => d.code === 'invalid-interpolation');
    assert.deepEqual(
      { line: diagnostic?.line, column: diagnostic?.column, endLine: diagnostic?.endLine, endColumn: diagnostic?.endColumn, severity: diagnostic?.severity },
      { line: 2, column: 13, endLine: 2, endColumn: 14, severity: 'error' },
    );
    assert.equal(typeof diagnostic?.message, 'string');
    assert.equal(run.status, 1);
  });

  it('a folder means its DMS files and plain fail2ban files', () => {
    file('folder/fail2ban-jail.cf', '[DEFAULT]\nbantime = 1w\n');
    file('folder/fail2ban-fail2ban.cf', '[Definition]\nloglevel = INFO\n');
    file('folder/jail.d/zz.local', '[sshd]\nenabled = false\n');
    file('folder/fail2ban.d/a.conf', '[Definition]\n');
    file('folder/notes.txt', 'not a config');
    const run = cli('check', '--format=json', join(dir, 'folder'));
    const entries = JSON.parse(run.stdout) as { file: string; kind: string }[];
    assert.deepEqual(entries.map((e) => [e.file.slice(dir.length + 1), e.kind]), [
      ['folder/fail2ban-jail.cf', 'dms-jail'],
      ['folder/fail2ban-fail2ban.cf', 'dms-server'],
      ['folder/jail.d/zz.local', 'jail'],
      ['folder/fail2ban.d/a.conf', 'server'],
    ]);
  });

  it('--kind overrides the file name; --rule changes severities; --fail2ban-version is passed on', () => {
    const path = file('kind/anything.txt', '[sshd]\naction = %(nosuch)s\n');
    const asJail = cli('check', '--kind', 'dms-jail', path);
    assert.equal(asJail.status, 0);
    assert.match(asJail.stdout, /:2:10: warning undefined-variable: /);
    const promoted = cli('check', '--kind', 'dms-jail', '--rule', 'undefined-variable=error', path);
    assert.equal(promoted.status, 1);
    assert.match(promoted.stdout, /:2:10: error undefined-variable: /);
    const off = cli('check', '--kind=dms-jail', '--rule=undefined-variable=off', '--fail2ban-version', '1.0.2', path);
    assert.doesNotMatch(off.stdout, /undefined-variable/);
  });

  it('reports invalid UTF-8 bytes', () => {
    const path = file('bytes/fail2ban-jail.cf', Buffer.concat([Buffer.from('[DEFAULT]\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const run = cli('check', path);
    assert.match(run.stdout, /:2:\d+: error invalid-encoding: /);
    assert.equal(run.status, 1);
  });
});

describe('usage errors and unreadable files exit 2', () => {
  for (const [label, args, pattern] of [
    ['no command', [], /missing command/],
    ['unknown command', ['lint'], /unknown command 'lint'/],
    ['no path', ['check'], /needs at least one PATH/],
    ['unknown option', ['check', '--frobnicate', 'x'], /unknown option '--frobnicate'/],
    ['bad kind', ['check', '--kind', 'nginx', 'x'], /invalid value 'nginx' for --kind/],
    ['bad version', ['check', '--fail2ban-version', '0.11', 'x'], /invalid value '0.11'/],
    ['bad rule code', ['check', '--rule', 'no-such-rule=off', 'x'], /unknown rule code 'no-such-rule'/],
    ['bad rule severity', ['check', '--rule', 'utf8-bom=fatal', 'x'], /invalid value 'fatal' for --rule/],
    ['missing value', ['check', 'x', '--format'], /--format needs a value/],
  ] as const) {
    it(label, () => {
      const run = cli(...args);
      assert.equal(run.status, 2);
      assert.match(run.stderr, pattern);
      assert.equal(run.stdout, '');
    });
  }

  it('a missing file still lets the others be checked', () => {
    const good = file('missing/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    const run = cli('check', join(dir, 'missing', 'nope.cf'), good);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /cannot read '.*nope\.cf': ENOENT/);
    assert.match(run.stdout, /invalid-interpolation/);
  });

  it('a file that cannot be read (permission denied) exits 2 and names it; the others are still checked', () => {
    const folder = join(dir, 'unreadable');
    const locked = file('unreadable/fail2ban-fail2ban.cf', '[Definition]\nloglevel = INFO\n');
    const good = file('unreadable/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    chmodSync(locked, 0o000);
    // root reads anything: run the CLI as 'nobody' then (the folders on the way must be searchable)
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const path of [dir, folder]) chmodSync(path, 0o755);
    const run = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', folder], {
      encoding: 'utf8',
      cwd: ROOT,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot read '.*fail2ban-fail2ban\.cf': EACCES/);
    const entries = JSON.parse(run.stdout) as Array<{ file: string; diagnostics: Array<{ code: string }> }>;
    assert.deepEqual(entries.map((entry) => entry.file), [good]);
    assert.ok(entries[0].diagnostics.some((d) => d.code === 'invalid-interpolation'));
  });
});

describe('help, version, rules', () => {
  it('--help and --version', () => {
    const help = cli('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /dms-fail2ban check \[options\] PATH\.\.\./);
    const version = cli('--version');
    assert.equal(version.status, 0);
    const pkg = JSON.parse(spawnSync('cat', [join(ROOT, 'package.json')], { encoding: 'utf8' }).stdout) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  it('rules lists every code with its default severity', () => {
    const run = cli('rules');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^invalid-interpolation\terror\t/m);
    assert.match(run.stdout, /^indented-line\twarning\t/m);
  });
});

describe('lsp --stdio', () => {
  it('answers initialize over stdio', async () => {
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`no initialize reply; got: ${buffer}`)), GENEROUS_WAIT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const match = /Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (match && buffer.length >= (match.index ?? 0) + match[0].length + Number(match[1])) {
          clearTimeout(timer);
          resolve(buffer.slice((match.index ?? 0) + match[0].length));
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${buffer}`)));
    }).finally(() => child.kill());
    const message = JSON.parse(reply) as { id: number; result?: { capabilities?: object } };
    assert.equal(message.id, 1);
    assert.ok(message.result?.capabilities, reply);
  });
});
