'use strict';
// `docker exec [OPTIONS] CONTAINER COMMAND [ARG...]` against a stand-in container.
const { spawn } = require('node:child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { updateContainer } = require('./state');
const { DOCKER_MESSAGES } = require('./dockerMessages');
const { runSetup, runFail2banScript } = require('./dmsSetup');
const { runSupervisorctl } = require('./supervisor');
const {
  CONTAINER_PATH, mapArgument, runStreaming, fail2banClientArgv, fail2banRegexArgv, toHostPath, killChildren,
} = require('./containerProcess');

/** What a stand-in container can run besides DMS's scripts: real coreutils on mapped paths. */
const FILE_PROGRAMS = {
  cat: '/bin/cat', cp: '/bin/cp', mv: '/bin/mv', rm: '/bin/rm', mkdir: '/bin/mkdir', ls: '/bin/ls', touch: '/bin/touch',
  test: '/usr/bin/test', '[': '/usr/bin/[', stat: '/usr/bin/stat', head: '/usr/bin/head', tail: '/usr/bin/tail',
  grep: '/bin/grep', diff: '/usr/bin/diff', tee: '/usr/bin/tee', readlink: '/bin/readlink', sha256sum: '/usr/bin/sha256sum',
  md5sum: '/usr/bin/md5sum', wc: '/usr/bin/wc', chmod: '/bin/chmod', ln: '/bin/ln', cmp: '/usr/bin/cmp', true: '/bin/true',
  false: '/bin/false', echo: '/bin/echo', printenv: '/usr/bin/printenv',
};
/** Programs a DMS container has but the stand-in does not emulate (told apart from "not in the image"). */
const KNOWN_UNEMULATED = ['sh', 'bash', 'supervisorctl', 'nft', 'iptables', 'postfix', 'doveadm', 'setup.sh', 'python3'];
/** DMS programs: missing from a non-DMS image. */
const DMS_PROGRAMS = ['setup', 'fail2ban', 'fail2ban-client', 'fail2ban-server', 'fail2ban-regex'];

/** Boolean and valued flags of `docker exec` (docker 27). */
const EXEC_BOOL_FLAGS = { i: 'interactive', t: 'tty', d: 'detach' };
const EXEC_LONG_BOOL = ['interactive', 'tty', 'detach', 'privileged'];
const EXEC_SHORT_VALUED = { e: 'env', u: 'user', w: 'workdir' };
const EXEC_LONG_VALUED = ['env', 'env-file', 'user', 'workdir', 'detach-keys'];

function parseExecArgs(args) {
  const options = { interactive: false, tty: false, detach: false, env: [], workdir: '/' };
  let i = 0;
  const setValued = (name, value) => {
    if (name === 'env') options.env.push(value);
    else if (name === 'env-file') options.envFile = value;
    else options[name] = value;
  };
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (EXEC_LONG_BOOL.includes(name)) {
        options[name] = inline === undefined ? true : inline !== 'false';
      } else if (EXEC_LONG_VALUED.includes(name)) {
        const value = inline ?? args[++i];
        if (value === undefined) return { error: DOCKER_MESSAGES.flagNeedsArgument({ flag: `--${name}`, command: 'exec' }) };
        setValued(name, value);
      } else {
        return { error: DOCKER_MESSAGES.unknownFlag({ flag: `--${name}`, command: 'exec' }) };
      }
      continue;
    }
    // combined short flags: -it, -ite K=V, -eK=V
    const letters = arg.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const letter = letters[k];
      if (EXEC_BOOL_FLAGS[letter]) {
        options[EXEC_BOOL_FLAGS[letter]] = true;
      } else if (EXEC_SHORT_VALUED[letter]) {
        const inline = letters.slice(k + 1);
        const value = inline !== '' ? inline.replace(/^=/, '') : args[++i];
        if (value === undefined) return { error: DOCKER_MESSAGES.flagNeedsArgument({ flag: `-${letter}`, command: 'exec' }) };
        setValued(EXEC_SHORT_VALUED[letter], value);
        break;
      } else {
        return { error: DOCKER_MESSAGES.unknownFlag({ flag: `-${letter}`, command: 'exec' }) };
      }
    }
  }
  const rest = args.slice(i);
  if (rest.length < 2) {
    return {
      error: DOCKER_MESSAGES.requiresArguments({
        command: 'exec', count: 2, usage: 'docker exec [OPTIONS] CONTAINER COMMAND [ARG...]',
        description: 'Execute a command in a running container',
      }),
    };
  }
  return { options, container: rest[0], command: rest.slice(1) };
}

/** -e K=V sets, -e K copies from the caller's environment (absent → unset). */
function execEnvironment(options, callerEnv) {
  const env = {};
  for (const entry of options.env) {
    const eq = entry.indexOf('=');
    if (eq >= 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    else if (callerEnv[entry] !== undefined) env[entry] = callerEnv[entry];
  }
  return env;
}

/** `_log` takes LOG_LEVEL from the environment, else /etc/dms-settings, else info (DMS target/scripts/helpers/log.sh). */
function effectiveLogLevel(container, execEnv) {
  if (execEnv.LOG_LEVEL !== undefined) return execEnv.LOG_LEVEL;
  if (container.env && container.env.LOG_LEVEL !== undefined) return container.env.LOG_LEVEL;
  try {
    const settings = readFileSync(toHostPath(container, '/etc/dms-settings'), 'utf8');
    const m = /^LOG_LEVEL='?([^'\n]*)'?$/m.exec(settings);
    if (m) return m[1];
  } catch {
    // no settings file
  }
  return 'info';
}

/** Output writers; with -t docker merges both streams into stdout and the TTY turns \n into \r\n. */
function makeIo(tty) {
  if (tty) {
    const write = (t) => process.stdout.write(t.replace(/\r?\n/g, '\r\n'));
    return { out: write, err: write };
  }
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
}

/** Deterministic nonsense for the "unexpected output" failure mode. */
const GARBAGE_OUTPUT = '\u0000\u001b[?1049h<html><body><h1>502 Bad Gateway</h1></body></html>\n\uFFFD\uFFFD%PDF-1.4 ???\n';

function hangForever() {
  setInterval(() => {}, 1 << 30);
  return new Promise(() => {});
}

/**
 * The 'reload-timeout' mode: the reload runs to the end inside the container, but the CLI never answers — as a
 * real `docker exec` killed on the host leaves its process running in the container. The reload runs in a
 * detached node process that removes its `<stateDir>/background/<pid>.running` marker when done
 * (DmsContainer.waitForBackgroundReloads waits for that).
 */
function reloadInBackground(python, argv, env, container, callerEnv) {
  const dir = join(dirname(callerEnv.DMS_STANDIN_STATE), 'background');
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, `${process.pid}.running`);
  writeFileSync(marker, `${python} ${argv.join(' ')}\n`);
  const script = 'const { spawnSync } = require("node:child_process"); const { rmSync } = require("node:fs");' +
    'const [python, marker, cwd, ...argv] = process.argv.slice(1);' +
    'spawnSync(python, argv, { cwd, stdio: "ignore" }); rmSync(marker, { force: true });';
  const child = spawn(process.execPath, ['-e', script, python, marker, container.rootDir, ...argv], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, detached: true, stdio: 'ignore',
  });
  child.unref();
  return hangForever();
}

/** Maps fail2ban-client's own -c/-s/-p to the container's, so no call can reach the default socket. */
function stripLocationOptions(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (['-c', '-s', '-p', '--conf', '--socket', '--pidfile'].includes(arg)) {
      i++;
      continue;
    }
    if (/^--(conf|socket|pidfile)=/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}

/**
 * Runs COMMAND in the container. The caller has already checked the daemon and the container state.
 * @returns exit status
 */
async function runInContainer(container, options, command, callerEnv) {
  const io = makeIo(options.tty);
  const execEnv = execEnvironment(options, callerEnv);
  const [program, ...args] = command;
  const name = program.includes('/') ? program.slice(program.lastIndexOf('/') + 1) : program;
  const isDms = Boolean(container.dms) && container.failure !== 'not-dms';

  if (container.failure === 'timeout') return hangForever();
  if (container.failure === 'garbage') {
    process.stdout.write(GARBAGE_OUTPUT);
    return 0;
  }

  // killed like the real CLI (by the signal), but take the programs started for the container along
  const forward = (signal) => {
    killChildren(signal);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  };
  process.once('SIGTERM', () => forward('SIGTERM'));
  process.once('SIGINT', () => forward('SIGINT'));

  if (DMS_PROGRAMS.includes(name)) {
    if (!isDms || !container.fail2ban) {
      const e = DOCKER_MESSAGES.executableNotFound({ program });
      process.stdout.write(e.stdout);
      return e.exitCode;
    }
    // container.dms carries the image's `setup fail2ban` dialect (test/support/dmsReleases.ts, from the release registry)
    const ctx = { container, dms: container.dms, io, logLevel: effectiveLogLevel(container, execEnv) };
    if (name === 'setup') return runSetup(ctx, args);
    if (name === 'fail2ban') return runFail2banScript(ctx, args);
    if (name === 'fail2ban-client') {
      const { command: python, args: argv, env } = fail2banClientArgv(container, stripLocationOptions(args));
      const reload = args.includes('reload');
      if (reload && container.failure === 'reload-timeout') return reloadInBackground(python, argv, { ...env, ...execEnv }, container, callerEnv);
      const status = await runStreaming(container, python, argv, {
        env: { ...env, ...execEnv }, cwd: container.rootDir, stdin: options.interactive ? 'inherit' : 'ignore',
        onStdout: io.out, onStderr: io.err,
      });
      if (reload && container.failure === 'stops-after-reload') updateContainer(callerEnv, container.id, { status: 'exited' });
      return status;
    }
    if (name === 'fail2ban-regex') {
      const { command: python, args: argv, env } = fail2banRegexArgv(container, args);
      return runStreaming(container, python, argv, {
        env: { ...env, ...execEnv }, cwd: container.rootDir, stdin: options.interactive ? 'inherit' : 'ignore',
        onStdout: io.out, onStderr: io.err,
      });
    }
    const e = DOCKER_MESSAGES.notEmulated({ what: `'${name}' in the container` });
    io.err(e.stderr);
    return e.exitCode;
  }

  if (name === 'supervisorctl' && isDms && container.fail2ban) {
    const code = await runSupervisorctl(container, args, io);
    if (code !== undefined) return code;
  }

  if (FILE_PROGRAMS[name]) {
    const cwd = toHostPath(container, options.workdir ?? '/');
    return runStreaming(container, FILE_PROGRAMS[name], args.map((a) => mapArgument(container, a)), {
      env: { PATH: CONTAINER_PATH, LANG: 'C.UTF-8', ...(container.env ?? {}), ...execEnv },
      cwd,
      stdin: options.interactive ? 'inherit' : 'ignore',
      onStdout: io.out,
      onStderr: io.err,
    });
  }
  if (KNOWN_UNEMULATED.includes(name)) {
    const e = DOCKER_MESSAGES.notEmulated({ what: `'${name}' in the container` });
    io.err(e.stderr);
    return e.exitCode;
  }
  const e = DOCKER_MESSAGES.executableNotFound({ program });
  process.stdout.write(e.stdout);
  return e.exitCode;
}

module.exports = { parseExecArgs, runInContainer, GARBAGE_OUTPUT, stripLocationOptions };
