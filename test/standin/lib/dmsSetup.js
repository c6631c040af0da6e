'use strict';
// DMS's /usr/local/bin/setup (fail2ban part) and /usr/local/bin/fail2ban, step by step as the bash
// scripts do it (DMS target/bin/setup, target/bin/fail2ban), each fail2ban-client call made for real against the
// container's fail2ban-server.
const { spawnSync } = require('node:child_process');
/** `setup fail2ban` usage text; v12.0.0 printed only the first line, v12.1.0 the first two (DMS target/bin/fail2ban). */
const USAGE_LINES = [
  'Usage: ./setup.sh fail2ban [<ban|unban> <IP>]',
  '       ./setup.sh fail2ban log',
  '       ./setup.sh fail2ban status',
];
const { formatLogLine } = require('./dmsLog');
const { runFail2banClient, runCaptured, toHostPath, CONTAINER_PATH } = require('./containerProcess');

const SCRIPT_PATH = '/usr/local/bin/fail2ban';
/** Line of `if [[ ${RESULT} -gt 0 ]]` in target/bin/fail2ban (v13.0.0 → edge), as bash reports it. */
const BAN_RESULT_TEST_LINE = 44;
const FAIL2BAN_LOG = '/var/log/mail/fail2ban.log';

/** `$(…)` drops trailing newlines. */
function commandSubstitution(text) {
  return text.replace(/\n+$/, '');
}

/**
 * `[[ ${RESULT} -gt 0 ]]`: plain digits compare as numbers; anything else goes through real bash so its
 * arithmetic (and its error message for text like "Sorry but the jail …") is exactly bash's.
 */
function bashGreaterThanZero(result) {
  if (/^[0-9]+$/.test(result)) return { truth: Number(result) > 0, stderr: '' };
  if (result === '') return { truth: false, stderr: '' };
  const run = spawnSync('/bin/bash', ['-c', '[[ $1 -gt 0 ]]', SCRIPT_PATH, result], { encoding: 'utf8' });
  return { truth: run.status === 0, stderr: (run.stderr ?? '').replace(/: line 1: /g, `: line ${BAN_RESULT_TEST_LINE}: `) };
}

/** `fail2ban-client status` → the `Jail list:` entries (cut -f2- | sed 's/,/ /g', split on whitespace). */
function parseJailList(statusOutput) {
  const line = statusOutput.split('\n').find((l) => l.includes('Jail list'));
  if (!line) return [];
  const tab = line.indexOf('\t');
  return tab < 0 ? [] : line.slice(tab + 1).replace(/,/g, ' ').split(/\s+/).filter(Boolean);
}

/** `grep -oP '(?<=Banned IP list:\s).+'` */
function bannedIpList(jailStatus) {
  const matches = [];
  for (const line of jailStatus.split('\n')) {
    const m = /Banned IP list:\s(.+)/.exec(line);
    if (m) matches.push(m[1]);
  }
  return matches.join('\n');
}

/**
 * @param ctx {{ container, dms, io: {out(t:string):void, err(t:string):void}, logLevel?: string }}
 * @param args arguments after `fail2ban`
 * @returns exit status
 */
async function runFail2banScript(ctx, args) {
  const { container, dms, io } = ctx;
  const log = (level, message) => {
    const line = formatLogLine(dms, level, message, { logLevel: ctx.logLevel });
    if (line.text) (line.stream === 'stdout' ? io.out : io.err)(line.text);
  };
  const exitWithError = (message) => {
    log('error', message);
    log('error', 'Aborting');
    return 1;
  };
  const usage = () => io.out(`${USAGE_LINES.slice(0, dms.usageLineCount).join('\n')}\n`);
  const client = (argv) => runFail2banClient(container, argv);

  // 1. fail2ban-client ping &>/dev/null || _exit_with_error 'Fail2ban not running'
  // 2. the jail list (stderr of this call is not redirected in the script)
  // Both are asked at once to save a round trip; the status answer is only used when ping succeeded.
  const [ping, status] = await Promise.all([client(['ping']), client(['status'])]);
  if (ping.exitCode !== 0) return exitWithError('Fail2ban not running');
  if (status.stderr) io.err(status.stderr);
  const jails = parseJailList(status.stdout);
  // a reload racing this script (test switch, see setReloadingJail): the jail is listed, then gone for real
  if (container.reloadingJail && jails.includes(container.reloadingJail)) await client(['stop', container.reloadingJail]);

  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '') {
    let anyBanned = false;
    // the script asks jail by jail; asking all at once gives the same output sooner
    const statuses = await Promise.all(jails.map((jail) => client(['status', jail])));
    for (const [index, jail] of jails.entries()) {
      const jailStatus = statuses[index];
      if (jailStatus.stderr) io.err(jailStatus.stderr);
      const ips = bannedIpList(jailStatus.stdout);
      if (ips) {
        io.out(`Banned in ${jail}: ${ips}\n`);
        anyBanned = true;
      }
    }
    if (!anyBanned) log('info', 'No IPs have been banned');
    return 0;
  }

  if (!dms.subcommands.includes(subcommand)) {
    usage();
    return exitWithError(`Unknown command '${subcommand}'`);
  }

  switch (subcommand) {
    case 'help':
      usage();
      return 0;
    case 'ban': {
      if (!rest[0]) {
        log('warn', "You need to specify an IP address: Run './setup.sh fail2ban ban <IP>'");
        return 0;
      }
      const ban = await client(['set', 'custom', 'banip', ...rest]);
      if (ban.stderr) io.err(ban.stderr);
      const result = commandSubstitution(ban.stdout);
      const test = bashGreaterThanZero(result);
      if (test.stderr) io.err(test.stderr);
      if (test.truth) io.out(`Banned custom IP: ${result}\n`);
      else log('error', `Banning '${rest.join(' ')}' failed. Already banned?`);
      return 0;
    }
    case 'unban': {
      if (!rest[0]) {
        log('warn', "You need to specify an IP address: Run './setup.sh fail2ban' to get a list of banned IP addresses");
        return 0;
      }
      const unbans = await Promise.all(jails.map((jail) => client(['set', jail, 'unbanip', ...rest])));
      for (const [index, jail] of jails.entries()) {
        const unban = unbans[index];
        const result = commandSubstitution(unban.stderr + unban.stdout); // 2>&1
        if (!result.includes('is not banned') && !result.includes('NOK')) io.out(`Unbanned IP from ${jail}: ${result}\n`);
      }
      return 0;
    }
    case 'log': {
      const cat = await runCaptured(container, '/bin/cat', [toHostPath(container, FAIL2BAN_LOG)], {
        env: { PATH: CONTAINER_PATH, LANG: 'C.UTF-8' },
        cwd: container.rootDir,
      });
      io.out(cat.stdout);
      if (cat.stderr) io.err(cat.stderr);
      return 0;
    }
    case 'status': {
      const statuses = await Promise.all(jails.map((jail) => client(['status', jail])));
      for (const [index] of jails.entries()) {
        const jailStatus = statuses[index];
        io.out(`${jailStatus.stderr}${jailStatus.stdout}\n`); // 2>&1, then echo
      }
      return 0;
    }
    default:
      return 0;
  }
}

/** `setup help`, section COMMAND fail2ban (DMS target/bin/setup); the rest of DMS's help is not emulated. */
const SETUP_HELP_FAIL2BAN = [
  '    COMMAND fail2ban :=',
  '        setup fail2ban ',
  '        setup fail2ban ban <IP>',
  '        setup fail2ban unban <IP>',
  '        setup fail2ban log',
  '        setup fail2ban status',
];

/** setup's other top-level commands: real in DMS, not emulated here. */
const SETUP_OTHER_COMMANDS = ['email', 'alias', 'quota', 'dovecot-master', 'config', 'relay', 'debug'];

async function runSetup(ctx, args) {
  const [command, ...rest] = args;
  if (command === 'fail2ban') return runFail2banScript(ctx, rest);
  if (command === 'help' || command === undefined) {
    ctx.io.out(`${SETUP_HELP_FAIL2BAN.join('\n')}\n`);
    return 0;
  }
  if (SETUP_OTHER_COMMANDS.includes(command)) {
    ctx.io.err(`docker stand-in: 'setup ${command}' is not emulated (test/standin)\n`);
    return 2;
  }
  ctx.io.err(`The command '${args.join(' ')}' is invalid.\nUse \`setup help\` to get an overview of all commands.\n`);
  return 2;
}

module.exports = { runSetup, runFail2banScript, parseJailList, bannedIpList };
