// The built CLI (dist/cli.js through bin/dms-fail2ban), spawned as users run it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_CONFIG_FILE_BYTES, MAX_CONFIG_FILE_LABEL } from '../../../server/src/cli/readConfigFile';
import { GENEROUS_WAIT_MS } from '../../support/poll';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'dms-fail2ban');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's rule messages follow LC_ALL / LC_MESSAGES / LANG: these tests read the English ones. */
const ENGLISH_ENV = { ...process.env, LC_ALL: 'C.UTF-8' };

function cli(...args: string[]): Run {
  return cliIn(ENGLISH_ENV, ...args);
}

function cliIn(env: NodeJS.ProcessEnv, ...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, env });
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
    assert.match(line, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:13: error invalid-interpolation: This '%' is neither`));
    // fail2ban's own words follow on a details line
    const lines = run.stdout.split('\n');
    assert.match(lines[lines.indexOf(line) + 1], /^ {4}details: fail2ban: Failed during configuration: '%' must be followed by '%' or '\(', found: '%'$/);
  });

  it('rule messages follow LANG=de_DE.UTF-8 (German bundle); fail2ban\'s own words and the CLI\'s format stay as they are', () => {
    const path = file('german/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    const german = cliIn({ ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'de_DE.UTF-8' }, 'check', path);
    assert.equal(german.status, 1, german.stderr);
    const line = german.stdout.split('\n').find((l) => l.includes('invalid-interpolation'));
    assert.match(line ?? '', /:2:13: error invalid-interpolation: Dieses '%' ist weder '%%' noch ein vollständiger Verweis/, german.stdout);
    assert.match(german.stdout, /details: fail2ban: Failed during configuration: '%' must be followed by '%' or '\(', found: '%'/);
    // LC_ALL wins over LANG, as in gettext
    const english = cliIn({ ...process.env, LC_ALL: 'C', LANG: 'de_DE.UTF-8' }, 'check', path);
    assert.match(english.stdout, /error invalid-interpolation: This '%' is neither/);
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
    assert.match(String(diagnostic?.details), /^fail2ban: Failed during configuration: /);
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

  it('own filters/actions: an error in a DMS file unless compose.yaml mounts them or --extra-config-dir holds them', () => {
    const jail = file('provided/docker-data/dms/config/fail2ban-jail.cf', '[postfix]\nfilter = my-postfix\naction = my-ban\n');
    const missing = cli('check', jail);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /:2:10: error unknown-filter: /);
    assert.match(missing.stdout, /:3:10: error unknown-action: /);
    file('provided/fail2ban/filter.d/my-postfix.local', '[Definition]\n');
    file(
      'provided/compose.yaml',
      'services:\n  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver:15.1.0\n    volumes:\n' +
        '      - ./docker-data/dms/config/:/tmp/docker-mailserver/\n      - ./fail2ban/filter.d/:/etc/fail2ban/filter.d/\n',
    );
    const mounted = cli('check', jail);
    assert.doesNotMatch(mounted.stdout, /unknown-filter/);
    assert.match(mounted.stdout, /error unknown-action: /);
    file('extra/action.d/my-ban.conf', '[Definition]\n');
    const both = cli('check', '--extra-config-dir', join(dir, 'extra'), jail);
    assert.equal(both.status, 0, both.stdout + both.stderr);
    assert.doesNotMatch(both.stdout, /unknown-(filter|action)/);
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
    ['extra config dir that is no folder', ['check', '--extra-config-dir', '/nonexistent-dms-f2b', 'x'], /--extra-config-dir '\/nonexistent-dms-f2b' is not a folder/],
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
      env: ENGLISH_ENV,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot read '.*fail2ban-fail2ban\.cf': EACCES/);
    const entries = JSON.parse(run.stdout) as Array<{ file: string; diagnostics: Array<{ code: string }> }>;
    assert.deepEqual(entries.map((entry) => entry.file), [good]);
    assert.ok(entries[0].diagnostics.some((d) => d.code === 'invalid-interpolation'));
  });
});

// Inputs that are not config files: the run must end by itself (exit 2, one line on stderr), never read a
// device forever, block on a FIFO, or die of V8's out-of-memory abort. The spawn timeout only bounds a broken
// run; the assertions are that the process exited by itself.
describe('check refuses what is not a config file', () => {
  function bounded(...args: string[]): Run & { signal: NodeJS.Signals | null } {
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, env: ENGLISH_ENV, timeout: 120_000, killSignal: 'SIGKILL' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, signal: run.signal };
  }

  function assertRefused(run: Run & { signal: NodeJS.Signals | null }, reason: RegExp): void {
    assert.equal(run.signal, null, `the CLI was killed (it did not end by itself); stderr: ${run.stderr.slice(0, 500)}`);
    assert.equal(run.status, 2, run.stderr.slice(0, 500));
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, run.stderr.slice(0, 2000));
    assert.match(lines[0], reason);
  }

  for (const device of ['/dev/zero', '/dev/urandom']) {
    it(`${device}: a character device is refused without reading it`, () => {
      assertRefused(bounded('check', device), new RegExp(`cannot read '${device}': a character device, not a regular file`));
    });
  }

  it('a FIFO (nobody writing to it) is refused without blocking', () => {
    const fifo = join(dir, 'pipe-fail2ban-jail.cf');
    const made = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assertRefused(bounded('check', fifo), /a FIFO \(named pipe\), not a regular file/);
  });

  it(`a file over the cap (${MAX_CONFIG_FILE_BYTES} bytes) is refused; the other files are still checked`, () => {
    const big = file('big/jail.local', '[DEFAULT]\n');
    truncateSync(big, MAX_CONFIG_FILE_BYTES + 1); // sparse: nothing is written
    const good = file('big/fail2ban-jail.cf', '[DEFAULT]\nbantime = 50%\n');
    const run = bounded('check', big, good);
    assertRefused(run, new RegExp(`cannot read '.*jail\\.local': larger than ${MAX_CONFIG_FILE_LABEL} \\(${MAX_CONFIG_FILE_BYTES + 1} bytes\\)`));
    assert.match(run.stdout, /fail2ban-jail\.cf:2:13: error invalid-interpolation/);
  });

  it('--help documents the cap and the refusal', () => {
    assert.match(cli('--help').stdout, new RegExp(`Only regular files of at most ${MAX_CONFIG_FILE_LABEL} are read: a device, FIFO or larger file is refused`));
  });
});

// A file name like ESC ] 0 ; title BEL ESC [ 2 J would set the terminal's title and clear the screen if the
// text output printed it raw. It is shown escaped (still identifiable); JSON keeps the exact name.
describe('control characters never reach the terminal', () => {
  const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\u202e';
  const SHOWN = '\\x1b]0;pwned\\x07\\x1b[2J\\u202e';
  const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

  it('text output escapes file names and the values quoted in messages', () => {
    const path = file(`hostile/${HOSTILE}jail.local`, `[DEFAULT]\nmaxretry = 3\nmaxretry = 4\nbantme${HOSTILE} = 1h\n`);
    const run = cli('check', path);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    assert.ok(lines.length >= 2, run.stdout);
    for (const line of lines) assert.ok(line.startsWith(`${join(dir, 'hostile')}/${SHOWN}jail.local:`), line);
    assert.ok(lines.some((line) => line.slice(line.indexOf(': ')).includes(SHOWN)), `a message quotes the hostile key: ${run.stdout}`);
  });

  it('stderr escapes the names of unreadable files and of bad arguments', () => {
    const missing = join(dir, `hostile/${HOSTILE}missing.cf`);
    const run = cli('check', missing);
    assert.equal(run.status, 2);
    assert.doesNotMatch(run.stderr, RAW_CONTROL);
    assert.match(run.stderr, /cannot read '.*\\x1b\]0;pwned\\x07\\x1b\[2J\\u202emissing\.cf': ENOENT/);
    const usage = cli('check', `--kind=${HOSTILE}`, 'x');
    assert.equal(usage.status, 2);
    assert.doesNotMatch(usage.stderr, RAW_CONTROL);
    assert.ok(usage.stderr.includes(`invalid value '${SHOWN}'`), usage.stderr);
  });

  it('json output is escaped JSON that parses back to the exact file name', () => {
    const path = file(`hostile-json/${HOSTILE}\u0085jail.local`, '[DEFAULT]\nmaxretry = 3\nmaxretry = 4\n');
    const run = cli('check', '--format', 'json', path);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    const entries = JSON.parse(run.stdout) as { file: string }[];
    assert.equal(entries[0].file, path);
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

describe('output', () => {
  /** A DMS jail file with an error and `count` unknown jails (a finding each): a report far larger than a pipe's buffer. */
  function bigReport(count: number): string {
    const jails = Array.from({ length: count }, (_, index) => `[jail${index}]\nmaxretry = 3\n`).join('\n');
    return file(`big-${count}/fail2ban-jail.cf`, `[DEFAULT]\nbantime = 50%\n\n${jails}`);
  }

  it('a report larger than a pipe buffer arrives whole', () => {
    const run = spawnSync(process.execPath, [BIN, 'check', bigReport(5000)], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines.filter((line) => / information unknown-jail: \[jail\d+\]/.test(line)).length, 5000);
    assert.equal(lines.filter((line) => / error invalid-interpolation: /.test(line)).length, 1);
    assert.equal(lines.at(-1), '');
  });

  it('check … | head: a reader that goes away early is not an error (exit status as for the whole report)', async () => {
    const child = spawn(process.execPath, [BIN, 'check', bigReport(20000)], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.equal(stderr, '');
    assert.equal(status, 1);
  });
});

describe('code cache', () => {
  const cacheFile = join(ROOT, 'dist', 'cli-main.v8cache');
  const commandsInCache = (): string[] => readFileSync(cacheFile, 'latin1').split('\n', 1)[0].split(' ').at(-1)?.split(',') ?? [];

  it("is written by the first run and rewritten by a run of a command it does not cover (a first --version must not leave check uncached)", () => {
    rmSync(cacheFile, { force: true });
    assert.equal(cli('--version').status, 0);
    assert.deepEqual(commandsInCache(), ['other']);
    assert.equal(cli('check', file('cache/fail2ban-jail.cf', '[DEFAULT]\nbantime = 1h\n')).status, 0);
    assert.deepEqual(commandsInCache(), ['other', 'check']);
    const covered = readFileSync(cacheFile);
    assert.equal(cli('check', file('cache/fail2ban-jail.cf', '[DEFAULT]\nbantime = 2h\n')).status, 0);
    assert.ok(readFileSync(cacheFile).equals(covered), 'a run of a covered command leaves the cache as it is');
  });

  it('is not written by a run with several full garbage collections (V8 may have dropped bytecode it ran once); the next lighter run writes it', () => {
    rmSync(cacheFile, { force: true });
    // five full collections at the end of the run, as a long check over many files has them
    const fullGcs = file('cache-gc/full-gcs.js', 'process.on("exit", () => { for (let i = 0; i < 5; i++) globalThis.gc(); });');
    const config = file('cache/fail2ban-jail.cf', '[DEFAULT]\nbantime = 1h\n');
    const collected = spawnSync(process.execPath, ['--expose-gc', '--require', fullGcs, BIN, 'check', config], { encoding: 'utf8', cwd: ROOT, env: ENGLISH_ENV });
    assert.equal(collected.status, 0, collected.stderr);
    assert.equal(existsSync(cacheFile), false, 'a cache lacking the code V8 dropped would slow every later run');
    assert.equal(cli('check', config).status, 0);
    assert.deepEqual(commandsInCache(), ['check']);
  });

  it('is not used when DMS_FAIL2BAN_NO_CODE_CACHE is set', () => {
    rmSync(cacheFile, { force: true });
    const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, DMS_FAIL2BAN_NO_CODE_CACHE: '1' } });
    assert.equal(run.status, 0);
    assert.equal(existsSync(cacheFile), false);
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
