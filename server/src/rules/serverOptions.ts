// Server file values (fail2ban 1.1.0 client/fail2banreader.py, server/server.py;
// DMS Dockerfile, target/fail2ban/fail2ban.d/fixes.local): loglevel is checked by
// the client before anything else (fatal), logtarget/syslogsocket by the server (fatal when unusable, but
// writability cannot be known here), allowipv6 silently means "off" unless exactly 'auto' or a true word.
// dbpurgeage, dbmaxmatches and [Thread] stacksize are checked in durations.ts / integers.ts.
import { pyAsBool } from '../context/readerOptions';
import { isDmsLogDirectory } from '../knowledge/dms';
import { LOG_LEVELS, LOGTARGET_PARAMS, LOGTARGET_RESERVED, SYSLOG_FACILITIES, SYSLOG_PRIORITY_NAMES } from '../knowledge/serverOptions';
import type { Severity } from '../types';
import { parseLogLevel } from '../values/misc';
import { parseNameParams } from '../values/nameParams';
import type { RuleContext } from './rule';
import { interpolated, isDmsKind, isJailKind, isSameOption, lookupRaw, userOptions, valueRange, valueToCheck, wholeValueRange, type CheckedValue, type OptionSite } from './ruleKit';
import { didYouMean, replacementFixes, suggest } from './suggest';
import { t } from '../l10n';

/** Accepted spellings of allowipv6 besides the exact word 'auto'. source: fail2ban 1.1.0 server/server.py, configreader _as_bool. */
const ALLOWIPV6_WORDS: readonly string[] = ['auto', 'yes', 'no', 'true', 'false', 'on', 'off', '1', '0'];
const FALSE_WORDS: readonly string[] = ['no', 'false', 'off', '0'];
/** logtarget words the server handles itself (case-insensitive); INHERITED is internal but accepted. */
const LOGTARGET_WORDS: readonly string[] = [...LOGTARGET_RESERVED, 'INHERITED'];
/** The file `setup fail2ban log` prints, and the stock path DMS symlinks to it. source: DMS target/bin/fail2ban (`cat /var/log/mail/fail2ban.log`), Dockerfile (`ln -sf`) */
const DMS_LOG_FILES: readonly string[] = ['/var/log/fail2ban.log', '/var/log/mail/fail2ban.log'];
/** The syslog socket of the DMS container ('auto' on Linux: fail2ban 1.1.0 server/server.py); DMS runs rsyslog, which listens there. */
const DMS_SYSLOG_SOCKET = '/dev/log';
/** Where DMS keeps the ban database so that bans survive a re-created container. source: DMS target/scripts/startup/setup.d/mail_state.sh ('lib/fail2ban' kept in /var/mail-state) */
const DMS_DB_DIR = '/var/lib/fail2ban/';

/**
 * The user option is the value fail2ban reads: it sits in [Definition] or [DEFAULT] and nothing later
 * (the user's own [Definition], DMS's fixes.local) overrides it.
 */
function effectiveSite(ctx: RuleContext, site: OptionSite): boolean {
  if (site.section.name !== 'Definition' && site.section.name !== 'DEFAULT') return false;
  return isSameOption(lookupRaw(ctx, 'Definition', site.option.name), site.option);
}

interface ServerFinding {
  severity: Severity;
  message: string;
  start?: number;
  end?: number;
  candidates?: string[];
}

type ServerCheck = (value: string, ctx: RuleContext) => ServerFinding[];

function checkLogLevel(value: string): ServerFinding[] {
  const result = parseLogLevel(value);
  if (result.ok) return [];
  return [
    {
      severity: 'error',
      message:
        t(
          "fail2ban refuses to start: 'ERROR: Invalid log level '{0}'' ('Init of command line failed'). Use CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG, TRACEDEBUG, HEAVYDEBUG or a number.",
          value,
        ),
      candidates: suggest(value.toUpperCase(), LOG_LEVELS.map((l) => l.name), { limit: 2 }),
    },
  ];
}

function checkLogTarget(value: string, ctx: RuleContext): ServerFinding[] {
  const parsed = parseNameParams(value);
  if (!parsed.ok) {
    return [{ severity: 'error', message: t("fail2ban stops at start-up: logtarget '{0}' cannot be parsed ({1}).", value, parsed.message), start: parsed.start, end: parsed.end }];
  }
  const target = parsed.name.trim();
  const word = target.toUpperCase();
  const findings: ServerFinding[] = [];
  const dms = isDmsKind(ctx.options.kind);
  for (const param of parsed.params) {
    if (!LOGTARGET_PARAMS.includes(param.key)) {
      findings.push({
        severity: 'warning',
        message: t("fail2ban ignores logtarget option '{0}' (known: {1}).", param.key, LOGTARGET_PARAMS.join(', ')) + didYouMean(suggest(param.key, LOGTARGET_PARAMS)),
        start: param.keyStart,
        end: param.keyEnd,
      });
    } else if (param.key === 'facility' && word === 'SYSLOG') {
      const facility = param.value.toUpperCase();
      if (SYSLOG_FACILITIES.includes(facility)) continue;
      findings.push({
        severity: 'warning',
        message: SYSLOG_PRIORITY_NAMES.includes(facility)
          ? t("'{0}' is a syslog priority, not a facility: fail2ban accepts it but logs to an unexpected facility.", param.value)
          : t("fail2ban logs 'Unable to set facility '{0}', using 'DAEMON''.", param.value) + didYouMean(suggest(facility, SYSLOG_FACILITIES)),
        start: param.valueStart,
        end: param.valueEnd,
      });
    }
  }
  if (LOGTARGET_WORDS.includes(word)) {
    if (dms && word === 'SYSTEMD-JOURNAL') {
      findings.push({ severity: 'warning', message: t("DMS runs no journald: fail2ban's messages sent to the journal are lost ('setup fail2ban log' shows nothing).") });
    } else if (dms) {
      findings.push({
        severity: 'information',
        message: t("'setup fail2ban log' prints /var/log/mail/fail2ban.log; with logtarget = {0} it no longer shows fail2ban's messages.", target),
      });
    }
    return findings;
  }
  if (!target.startsWith('/')) {
    const similar = suggest(word, LOGTARGET_WORDS);
    findings.push({
      severity: 'warning',
      message:
        t("'{0}' is not one of {1}, so fail2ban treats it as a file name relative to its working directory.", target, LOGTARGET_RESERVED.join(', ')) +
        didYouMean(similar),
      start: parsed.nameStart,
      end: parsed.nameEnd,
      candidates: similar,
    });
    return findings;
  }
  const directory = target.slice(0, target.lastIndexOf('/'));
  if (dms && directory.startsWith('/var/log/') && !isDmsLogDirectory(directory)) {
    // not an error: user-patches.sh or a volume may create it, but a stock container has no such directory
    findings.push({
      severity: 'warning',
      message:
        t(
          "The DMS container has no directory {0}/: unless user-patches.sh or a volume creates it, fail2ban stops at start-up ('Unable to log to '{1}''). 'setup fail2ban log' prints /var/log/mail/fail2ban.log.",
          directory,
          target,
        ),
      start: parsed.nameStart,
      end: parsed.nameEnd,
    });
  } else if (dms && !DMS_LOG_FILES.includes(target)) {
    findings.push({
      severity: 'information',
      message:
        t(
          "'setup fail2ban log' prints /var/log/mail/fail2ban.log, not {0}. The directory must exist in the container, otherwise fail2ban stops ('Unable to log to '{0}'').",
          target,
        ),
      start: parsed.nameStart,
      end: parsed.nameEnd,
    });
  } else if (!dms && !/^\/(var\/log|tmp)\//.test(target)) {
    findings.push({
      severity: 'hint',
      message: t("fail2ban must be able to append to {0}; otherwise it stops at start-up ('Unable to log to '{0}'').", target),
      start: parsed.nameStart,
      end: parsed.nameEnd,
    });
  }
  return findings;
}

function checkSyslogSocket(value: string, ctx: RuleContext): ServerFinding[] {
  if (value === 'auto') return [];
  const target = interpolated(ctx, 'Definition', 'logtarget');
  const findings: ServerFinding[] = [];
  if (!value.startsWith('/')) {
    findings.push({
      severity: 'warning',
      message: t(
        "syslogsocket must be 'auto' or the absolute path of a socket; with logtarget = SYSLOG fail2ban otherwise stops ('Syslog socket file: {0} does not exists or is not a socket').",
        value,
      ),
      candidates: suggest(value, ['auto']),
    });
  }
  const usedBySyslog = target === undefined || /^\s*syslog\s*(\[|$)/i.test(target);
  if (!usedBySyslog) {
    findings.push({ severity: 'hint', message: t('syslogsocket is only used with logtarget = SYSLOG.') });
  } else if (isDmsKind(ctx.options.kind) && value.startsWith('/') && value !== DMS_SYSLOG_SOCKET) {
    findings.push({
      severity: 'warning',
      message:
        t(
          "The DMS container has {0} (rsyslog); unless {1} exists there (a volume), fail2ban stops at start-up ('Syslog socket file: {1} does not exists or is not a socket').",
          DMS_SYSLOG_SOCKET,
          value,
        ),
      candidates: [DMS_SYSLOG_SOCKET],
    });
  }
  return findings;
}

function checkAllowIpv6(value: string): ServerFinding[] {
  if (value === 'auto' || pyAsBool(value) || FALSE_WORDS.includes(value.toLowerCase())) return [];
  const candidates = value.toLowerCase().startsWith('auto') ? ['auto'] : suggest(value, ALLOWIPV6_WORDS, { limit: 2 });
  return [
    {
      severity: 'warning',
      message: t("fail2ban silently treats '{0}' as 'no' (IPv6 off): only the exact word 'auto' (lower case) or yes/no words are understood.", value),
      candidates,
    },
  ];
}

function checkDbFile(value: string, ctx: RuleContext): ServerFinding[] {
  const dms = isDmsKind(ctx.options.kind);
  const lower = value.toLowerCase();
  if (value === '') {
    return [{ severity: 'warning', message: t('An empty dbfile makes sqlite use a temporary database: bans are not kept across restarts. Write None to disable the database.') }];
  }
  if (lower === 'none' || value === ':memory:') {
    return dms
      ? [
          {
            severity: 'information',
            message:
              lower === 'none'
                ? t('Without a database file bans are lost at every restart, and bantime.increment has no effect.')
                : t('Without a database file bans are lost at every restart.'),
          },
        ]
      : [];
  }
  if (!value.startsWith('/')) {
    return [{ severity: 'warning', message: t("'{0}' is a relative path: sqlite creates it in fail2ban's working directory. Use an absolute path.", value) }];
  }
  if (dms && !value.startsWith(DMS_DB_DIR)) {
    return [
      {
        severity: 'information',
        message:
          t(
            'DMS keeps {0} in /var/mail-state; a database elsewhere is lost when the container is re-created. fail2ban creates only the last directory level of the path; a missing parent stops it at start-up.',
            DMS_DB_DIR,
          ),
      },
    ];
  }
  return [];
}

function checkSocket(value: string): ServerFinding[] {
  // the server binds the socket before reading any jail: an empty path cannot be bound (fail2ban 1.0.2/1.1.0
  // server/server.py start → 'Could not start server. Maybe an old socket file is still present.')
  if (value.trim() !== '') return [];
  return [
    {
      severity: 'error',
      message:
        t(
          "fail2ban stops at start-up: an empty socket cannot be created ('Could not start server. Maybe an old socket file is still present. Try to remove .'). Remove the line to use the default /var/run/fail2ban/fail2ban.sock.",
        ),
    },
  ];
}

/** Checks per server option (section [Definition], inherited from [DEFAULT]). */
const SERVER_CHECKS: Readonly<Record<string, ServerCheck>> = {
  socket: checkSocket,
  loglevel: checkLogLevel,
  logtarget: checkLogTarget,
  syslogsocket: checkSyslogSocket,
  allowipv6: checkAllowIpv6,
  dbfile: checkDbFile,
};

function rangeOf(site: OptionSite, checked: CheckedValue, finding: ServerFinding) {
  if (!checked.precise || finding.start === undefined) return wholeValueRange(site.option);
  return valueRange(site.option, finding.start, Math.max(finding.end ?? finding.start + 1, finding.start + 1));
}

/** 'Did you mean' in the current language: a message that has it already gets no second one. */
function didYouMeanWords(): string {
  return didYouMean(['\u0000']).split("'\u0000'")[0].trim();
}

/** Reports `invalid-value` for server-file options; registered through values.ts (one meta per code). */
export function checkServerOptions(ctx: RuleContext): void {
  if (isJailKind(ctx.options.kind)) return;
  for (const site of userOptions(ctx, Object.keys(SERVER_CHECKS))) {
    if (!effectiveSite(ctx, site)) continue; // shadowed (e.g. DMS's fixes.local: dms-overridden says so)
    const checked = valueToCheck(ctx, site);
    if (!checked) continue;
    for (const finding of SERVER_CHECKS[site.option.name](checked.text, ctx)) {
      const range = rangeOf(site, checked, finding);
      ctx.report({
        code: 'invalid-value',
        range,
        severity: finding.severity,
        message: `${site.option.name}: ${finding.message}` + (finding.candidates && !finding.message.includes(didYouMeanWords()) ? didYouMean(finding.candidates) : ''),
        fixes: checked.precise && finding.candidates ? replacementFixes(range, finding.candidates) : undefined,
      });
    }
  }
}
