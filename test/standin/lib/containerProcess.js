'use strict';
// Running real programs "inside" a stand-in container: container paths are mapped to the container's
// temp root (whose symlinks lead into the fail2ban server's temp dir), and host paths in the output are
// mapped back, so messages read like they would in DMS (e.g. `cat: /etc/fail2ban/x: No such file or directory`).
const { spawn } = require('node:child_process');
const { dirname, join, normalize } = require('node:path');

const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Container path → host path below the container root. */
function toHostPath(container, containerPath) {
  return join(container.rootDir, normalize(`/${containerPath}`));
}

/** Maps an argument that names an absolute container path (also `--opt=/path`). */
function mapArgument(container, arg) {
  if (arg.startsWith('/')) return toHostPath(container, arg);
  const eq = arg.indexOf('=/');
  if (arg.startsWith('--') && eq > 0) return `${arg.slice(0, eq + 1)}${toHostPath(container, arg.slice(eq + 1))}`;
  return arg;
}

/** Host paths in program output → the container paths they stand for (longest first). */
function hostToContainerText(container, text) {
  const pairs = [...(container.pathMap ?? []), [container.rootDir, '']].filter(([host]) => host);
  pairs.sort((a, b) => b[0].length - a[0].length);
  let result = text;
  for (const [host, inside] of pairs) result = result.split(host).join(inside);
  return result;
}

/** Passes chunks on line by line, so a path split across two chunks is still mapped. */
function lineMapper(map, write) {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        write(map(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
      }
    },
    flush() {
      if (pending) write(map(pending));
      pending = '';
    },
  };
}

const children = new Set();
function killChildren(signal) {
  for (const child of children) {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

/**
 * Runs a program, streaming its (mapped) output to onStdout/onStderr. Resolves with the exit status
 * (128+n for a signal, like a shell reports it).
 */
function runStreaming(container, command, args, { env, cwd, stdin = 'ignore', onStdout, onStderr }) {
  return new Promise((resolve) => {
    // argv0 = bare name, so messages say `cat: …` as in the container, not `/bin/cat: …`
    const argv0 = command.slice(command.lastIndexOf('/') + 1);
    const child = spawn(command, args, { env, cwd, argv0, stdio: [stdin, 'pipe', 'pipe'] });
    children.add(child);
    const map = (text) => hostToContainerText(container, text);
    const out = lineMapper(map, onStdout);
    const err = lineMapper(map, onStderr);
    child.stdout.setEncoding('utf8').on('data', (c) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c) => err.push(c));
    child.on('error', (e) => {
      children.delete(child);
      onStderr(`${command}: ${e.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      out.flush();
      err.flush();
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  });
}

/** Runs a program and collects its mapped output. */
async function runCaptured(container, command, args, options) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runStreaming(container, command, args, {
    ...options,
    onStdout: (t) => (stdout += t),
    onStderr: (t) => (stderr += t),
  });
  return { stdout, stderr, exitCode };
}

/** fail2ban-client of the container's fail2ban, always on the container's own socket. */
function fail2banClientArgv(container, args) {
  const [command, ...prefix] = container.fail2ban.clientCommand;
  return { command, args: [...prefix, ...args], env: { PATH: CONTAINER_PATH, LANG: 'C.UTF-8', ...container.fail2ban.clientEnv } };
}

/** An argument naming a container path, with fail2ban-regex's `path[options]` form (options kept as they are). */
function mapRegexArgument(container, arg) {
  if (!arg.startsWith('/')) return arg;
  const bracket = arg.indexOf('[');
  return bracket < 0 ? toHostPath(container, arg) : `${toHostPath(container, arg.slice(0, bracket))}${arg.slice(bracket)}`;
}

/**
 * The container's real fail2ban-regex (same install as its fail2ban-client). `-c` defaults to the container's
 * /etc/fail2ban as in DMS; a later `-c` given by the caller wins (optparse keeps the last value).
 */
function fail2banRegexArgv(container, args) {
  const [python, client] = container.fail2ban.clientCommand;
  const program = join(dirname(client), 'fail2ban-regex');
  return {
    command: python,
    args: [program, '-c', toHostPath(container, '/etc/fail2ban'), ...args.map((a) => mapRegexArgument(container, a))],
    env: { PATH: CONTAINER_PATH, LANG: 'C.UTF-8', ...container.fail2ban.clientEnv },
  };
}

function runFail2banClient(container, args) {
  const { command, args: argv, env } = fail2banClientArgv(container, args);
  return runCaptured(container, command, argv, { env, cwd: container.rootDir });
}

module.exports = {
  CONTAINER_PATH, toHostPath, mapArgument, hostToContainerText, runStreaming, runCaptured,
  fail2banClientArgv, fail2banRegexArgv, runFail2banClient, killChildren,
};
