'use strict';
// DMS's `_log` helper as `setup fail2ban` prints it, per release line.
// Source: DMS target/scripts/helpers/log.sh of each release line.

const RESET = '\x1b[0m';

/** Verbosity of each level; a line is printed when LOG_LEVEL's number is >= the line's. */
const LEVEL_RANK = { error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

/** `[   INF   ]  msg` style (≤ v13): padding outside the colour, label and padding inside it. */
const BRACKETED = {
  trace: { before: '  ', colour: '\x1b[37m', label: 'TRACE  ' },
  debug: { before: '  ', colour: '\x1b[94m', label: 'DEBUG  ' },
  info: { before: '   ', colour: '\x1b[34m', label: 'INF   ' },
  warn: { before: ' ', colour: '\x1b[93m', label: 'WARNING ' },
  error: { before: '  ', colour: '\x1b[91m', label: 'ERROR  ' },
};

/** `<ts> LEVEL fail2ban: msg` style (v14+, DMS PR #4035). `WARN ` and `INFO ` keep a trailing space. */
const RFC3339 = {
  info: { colour: '\x1b[0;34m', label: 'INFO ' },
  warn: { colour: '\x1b[1;33m', label: 'WARN ' },
  error: { colour: '\x1b[1;31m', label: 'ERROR' },
};

/** `date --rfc-3339=seconds` in the container (TZ unset → UTC). */
function rfc3339Seconds(now) {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** LOG_LEVEL name → rank; anything unknown counts as info, like the script's `case … ( * )`. */
function logLevelRank(logLevel) {
  return LEVEL_RANK[logLevel] ?? LEVEL_RANK.info;
}

/**
 * One `_log` line (with newline), or '' when LOG_LEVEL hides it.
 * @param {{logStyle: 'bracketed'|'rfc3339', infoStream: 'stdout'|'stderr'}} dms
 * @returns {{ stream: 'stdout'|'stderr', text: string }}
 */
function formatLogLine(dms, level, message, { logLevel, scriptName = 'fail2ban', now = new Date() } = {}) {
  const stream = level === 'warn' || level === 'error' ? 'stderr' : dms.infoStream;
  if (LEVEL_RANK[level] > logLevelRank(logLevel)) return { stream, text: '' };
  if (dms.logStyle === 'bracketed') {
    const style = BRACKETED[level];
    return { stream, text: `${RESET}[${style.before}${style.colour}${style.label}${RESET}]  ${message}\n` };
  }
  const style = RFC3339[level];
  return { stream, text: `${rfc3339Seconds(now)} ${style.colour}${style.label}${RESET} ${scriptName}: ${message}\n` };
}

module.exports = { formatLogLine, LEVEL_RANK };
