'use strict';
// `supervisorctl status [fail2ban]` and `supervisorctl restart fail2ban` in a stand-in DMS container.
// DMS runs fail2ban as supervisor program `fail2ban` (`/usr/bin/fail2ban-server -xf start`, autorestart,
// output in /var/log/supervisor/fail2ban.log; target/supervisor/conf.d/dms-services.conf, v12.1.0 … v15.1.0).
// The state comes from the real server process: its pid file, and whether that pid is alive and ours.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, openSync, closeSync, readFileSync, rmSync } = require('node:fs');

/** supervisorctl's columns: name left-aligned in 33, state in 10 (supervisor/supervisorctl.py `_procrepr`). */
function statusLine(state, description) {
  return `${'fail2ban'.padEnd(33)}${state.padEnd(10)}${description}`;
}

function readPid(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The live fail2ban-server of this container: the pid file's pid, alive, with our socket on its command line. */
function serverPid(server) {
  const pid = readPid(server.pidFile);
  if (pid === undefined) return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(server.socket) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function uptime(pid) {
  // /proc/<pid>/stat field 22 is the start time in clock ticks since boot
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const seconds = Math.max(0, Math.floor(boot - startTicks / 100));
    const h = Math.floor(seconds / 3600);
    const m = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
    const s = String(seconds % 60).padStart(2, '0');
    return `${h}:${m}:${s}`;
  } catch {
    return '0:00:00';
  }
}

function status(container, io) {
  const pid = serverPid(container.fail2ban);
  if (pid !== undefined) {
    io.out(`${statusLine('RUNNING', `pid ${pid}, uptime ${uptime(pid)}`)}\n`);
    return 0;
  }
  // start-mailserver.sh starts the program only with ENABLE_FAIL2BAN=1 (autostart=false in dms-services.conf)
  const enabled = (container.env ?? {}).ENABLE_FAIL2BAN === '1';
  const when = new Date().toLocaleString('en-US', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: true }).replace(',', '');
  io.out(`${statusLine(enabled ? 'EXITED' : 'STOPPED', enabled ? when : 'Not started')}\n`);
  return 3; // supervisorctl exits 3 when a queried process is not running
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function restart(container, io) {
  const server = container.fail2ban;
  const pid = serverPid(server);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
    // stopwaitsecs=55 in DMS; a hung server is killed sooner here
    for (let waited = 0; waited < 5000 && existsSync(`/proc/${pid}`); waited += 50) sleep(50);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // stopped by SIGTERM
    }
    io.out('fail2ban: stopped\n');
  }
  rmSync(server.socket, { force: true });
  const out = openSync(server.serverOutput, 'a');
  const [program, ...args] = server.serverCommand;
  const child = spawn(program, args, { env: { ...process.env, ...server.serverEnv }, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  child.unref();
  let exited = false;
  child.on('exit', () => (exited = true));
  // supervisord (startsecs=0) reports "started" at once; here we wait until the server answers or gives up,
  // so the next command sees its state (a configuration error makes it exit at once, its words in serverOutput)
  const [client, ...prefix] = server.clientCommand;
  for (let waited = 0; waited < 30000 && !exited; waited += 100) {
    const ping = spawnSync(client, [...prefix, 'ping'], { env: { ...process.env, ...server.clientEnv }, encoding: 'utf8' });
    if (ping.status === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  io.out('fail2ban: started\n');
  return 0;
}

/** @returns exit status, or undefined when the arguments are not emulated */
async function runSupervisorctl(container, args, io) {
  const [command, ...names] = args;
  if (command === 'status' && names.every((n) => n === 'fail2ban')) return status(container, io);
  if (command === 'restart' && names.length === 1 && names[0] === 'fail2ban') return restart(container, io);
  return undefined;
}

module.exports = { runSupervisorctl };
