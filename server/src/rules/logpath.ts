// `logpath` (fail2ban 1.1.0 client/jailreader.py JailReader.convert, server/transmitter.py):
// one glob per line, each split at its LAST space into path + 'head'|'tail'; an enabled, non-systemd jail
// whose lines match no file stops fail2ban ('Have not found any log file for <jail> jail').
import { dmsLogFiles, dmsLogPathExists, isDmsLogDirectory, logPathMatchesIn } from '../knowledge/dms';
import type { OptionNode } from '../parser/model';
import type { DmsVersion, Fail2banVersion, Range } from '../types';
import { jailReaderReads, pyAsBool } from '../context/readerOptions';
import { fail2banFacts } from '../knowledge/releases';
import type { CodeTable, Rule, RuleContext } from './rule';
import { SHARED_CODES } from './sharedCodes';
import {
  enabledJails,
  interpolated,
  isDmsKind,
  isJailKind,
  jailList,
  lookupRaw,
  memoizeText,
  readVerdict,
  reportValue,
  userOptions,
  valueRange,
  wholeValueRange,
  type ReadVerdict,
} from './ruleKit';
import { suggest } from './suggest';
import { t } from '../l10n';

/** Globs repeat across jails; matching one compiles a regex. Per DMS version, then per path (no key string per ask). */
const dmsLogPathExistsByVersion = new Map<DmsVersion, (path: string) => boolean>();

function dmsLogPathExistsOnce(version: DmsVersion, path: string): boolean {
  let exists = dmsLogPathExistsByVersion.get(version);
  if (!exists) dmsLogPathExistsByVersion.set(version, (exists = memoizeText((glob) => dmsLogPathExists(glob, version))));
  return exists(path);
}

/** Does a line of this logpath value match a log file (a trailing space is part of the glob and matches nothing)? */
function anyLineMatches(lines: readonly LogpathLine[], exists: (path: string) => boolean): boolean {
  return lines.some((line) => line.path === line.path.trim() && exists(line.path));
}

/** anyLineMatches for the modelled DMS release, per version and value: thousands of jails repeat their logpath. */
const dmsLogpathMatchesByVersion = new Map<DmsVersion, (value: string) => boolean>();

function dmsLogpathMatches(version: DmsVersion, value: string): boolean {
  let matches = dmsLogpathMatchesByVersion.get(version);
  if (!matches) {
    const exists = (path: string) => dmsLogPathExistsOnce(version, path);
    dmsLogpathMatchesByVersion.set(version, (matches = memoizeText((text) => anyLineMatches(splitLogpathOnce(text), exists))));
  }
  return matches(value);
}
const isDmsLogDirectoryOnce = memoizeText(isDmsLogDirectory);

/** Read-position words the server accepts after the last space (case-insensitive). */
const READ_POSITIONS: readonly string[] = ['head', 'tail'];

export interface LogpathLine {
  /** The glob (everything before the last space, or the whole line). */
  path: string;
  /** The word after the last space, if the line has a space. */
  position?: string;
  /** Offsets in the value. */
  start: number;
  positionStart?: number;
  end: number;
}

/** Lines of a logpath value as JailReader.convert splits them (`rsplit(" ", 1)`); empty lines dropped. */
export function splitLogpath(value: string): LogpathLine[] {
  const lines: LogpathLine[] = [];
  let start = 0;
  for (const text of value.split('\n')) {
    const end = start + text.length;
    if (text !== '') {
      const space = text.lastIndexOf(' ');
      lines.push(
        space < 0
          ? { path: text, start, end }
          : { path: text.slice(0, space), position: text.slice(space + 1), start, positionStart: start + space + 1, end },
      );
    }
    start = end + 1;
  }
  return lines;
}

/** splitLogpath per text: thousands of jails repeat the same logpath (shared results: read only). */
const splitLogpathOnce = memoizeText(splitLogpath);

/**
 * Jails on a systemd backend never read `logpath` (jailreader convert skips it), e.g. [postfix] in fail2ban 1.1.1,
 * where paths-debian.conf sets postfix_backend = systemd: a bad logpath there cannot stop fail2ban.
 */
function withoutSystemdJails(ctx: RuleContext, verdict: ReadVerdict): ReadVerdict {
  if (!verdict.read || verdict.jails.length === 0) return verdict;
  const reading = verdict.jails.filter((jail) => !(interpolated(ctx, jail, 'backend') ?? 'auto').startsWith('systemd'));
  if (reading.length === verdict.jails.length) return verdict;
  if (reading.length > 0) return { ...verdict, jails: reading };
  const note =
    verdict.jails.length > 1
      ? t(' ({0} are on the systemd backend, which ignores logpath)', jailList(verdict.jails))
      : t(' ({0} is on the systemd backend, which ignores logpath)', jailList(verdict.jails));
  return { read: false, jails: [], note };
}

/** Does checkLines report any line of this (raw) value? The same tests, in the same order, without the messages. */
function linesHaveProblem(value: string, dms: boolean): boolean {
  for (const line of splitLogpathOnce(value)) {
    if (line.position !== undefined && !READ_POSITIONS.includes(line.position.toLowerCase())) return true;
    if (line.path.endsWith(' ')) return true;
    const path = line.path.trim();
    if (path !== '' && !path.startsWith('/') && !path.includes('%(')) return true;
    if (dms && isDmsLogDirectoryOnce(path)) return true;
  }
  return false;
}

/** linesHaveProblem per text: thousands of jails repeat their logpath. */
const hasLineProblem = memoizeText((value) => linesHaveProblem(value, false));
const hasLineProblemInDms = memoizeText((value) => linesHaveProblem(value, true));

function checkLines(ctx: RuleContext): void {
  if (!isJailKind(ctx.options.kind)) return;
  const hasProblem = isDmsKind(ctx.options.kind) ? hasLineProblemInDms : hasLineProblem;
  const sites = userOptions(ctx, ['logpath']);
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    const { option } = site;
    if (!hasProblem(option.value)) continue; // most values: no need to ask which jails read them
    const verdict = withoutSystemdJails(ctx, readVerdict(ctx, site));
    for (const line of splitLogpathOnce(option.value)) {
      if (line.position !== undefined && !READ_POSITIONS.includes(line.position.toLowerCase())) {
        const positionRange = valueRange(option, line.positionStart ?? line.start, line.end);
        const looksLikeList = line.path.endsWith(',') || line.path.includes(' ') || /[/*]/.test(line.position);
        const similar = suggest(line.position, READ_POSITIONS, { maxDistance: 2 });
        reportValue(ctx, verdict, {
          code: 'invalid-logpath',
          range: positionRange,
          severity: 'error',
          message: looksLikeList
            ? t(
                "fail2ban reads one log path per line and splits each line at its last space: '{0}' is taken as the read position, which must be 'head' or 'tail' — fail2ban stops at start-up ('File option must be 'head' or 'tail''). Put each path on its own (indented) line; commas do not separate paths.",
                line.position,
              )
            : t(
                "After the last space fail2ban expects 'head' or 'tail', not '{0}': fail2ban stops at start-up ('File option must be 'head' or 'tail''). A path cannot contain a space.",
                line.position,
              ),
          fixes: similar.map((word, index) => ({
            title: t("Change to '{0}'", word),
            edits: [{ range: positionRange, newText: word }],
            preferred: index === 0 && similar.length === 1 ? true : undefined,
          })),
        });
        continue;
      }
      if (line.path.endsWith(' ')) {
        reportValue(ctx, verdict, {
          code: 'invalid-logpath',
          range: valueRange(option, line.start, line.end),
          severity: 'warning',
          message: t("Two spaces before '{0}': fail2ban looks for the path '{1}' with a trailing space, which matches no file.", String(line.position), line.path),
        });
        continue;
      }
      const path = line.path.trim();
      if (path !== '' && !path.startsWith('/') && !path.includes('%(')) {
        reportValue(ctx, verdict, {
          code: 'invalid-logpath',
          range: valueRange(option, line.start, line.start + line.path.length),
          severity: 'warning',
          message: t("'{0}' is a relative path: fail2ban globs it relative to its working directory. Use an absolute path.", path),
        });
      } else if (isDmsKind(ctx.options.kind) && isDmsLogDirectoryOnce(path)) {
        reportValue(ctx, verdict, {
          code: 'invalid-logpath',
          range: valueRange(option, line.start, line.start + line.path.length),
          severity: 'error',
          message: t("'{0}' is a directory, not a log file. In DMS the mail log is /var/log/mail/mail.log.", path),
        });
      }
    }
  }
}

function missingLogMessage(jail: string, version: Fail2banVersion): string {
  return fail2banFacts(version).noLogFoundMessage.replace('{jail}', jail);
}

/** Where to show a missing log of `jail`: its user logpath value, else its user `enabled` line, else its user header. */
function missingLogRange(ctx: RuleContext, jail: string, logpath: OptionNode | undefined): Range | undefined {
  if (logpath) return wholeValueRange(logpath);
  const sections = ctx.context.userSectionList(jail);
  for (const section of sections) {
    const enabled = section.options.find((o) => o.name === 'enabled');
    if (enabled) return enabled.range;
  }
  return sections[0]?.nameRange;
}

function checkMissingLogs(ctx: RuleContext): void {
  if (ctx.options.kind !== 'dms-jail') return;
  const version = ctx.options.fail2banVersion;
  // a live container's own log files decide; else the modelled release's
  const live = ctx.options.container;
  const dmsVersion = ctx.options.dmsVersion;
  const existsLive = (path: string) => live !== undefined && logPathMatchesIn(path, live.logFiles).length > 0;
  const jails = enabledJails(ctx);
  for (let i = 0; i < jails.length; i++) {
    const jail = jails[i];
    // the logpath first: most jails of a big file have none (one lookup each, not the backend's too)
    const raw = lookupRaw(ctx, jail, 'logpath');
    if (!raw) continue; // no logpath at all: accepted (DMS's [custom] works that way)
    const backend = interpolated(ctx, jail, 'backend') ?? 'auto';
    if (backend.startsWith('systemd')) continue;
    const value = raw.raw.includes('%') ? interpolated(ctx, jail, 'logpath') : raw.raw; // (a plain value is its own interpolation)
    if (value === undefined) continue; // interpolation errors are reported elsewhere
    if (live ? anyLineMatches(splitLogpathOnce(value), existsLive) : dmsLogpathMatches(dmsVersion, value)) continue;
    const lines = splitLogpathOnce(value);
    const userOption = raw.layer.origin === 'user' ? raw.option : undefined;
    const range = missingLogRange(ctx, jail, userOption);
    if (!range) continue; // set up entirely by other layers (e.g. [DEFAULT] enabled = true: default-enabled reports it)
    const skipIfNoLogs = jailReaderReads(version, 'skip_if_nologs') && pyAsBool(interpolated(ctx, jail, 'skip_if_nologs') ?? 'false');
    // fail2ban 1.1.1+ (jailreader convert): a jail on `auto` with its own `journalmatch` option (the filter's does not
    // count; checked with real 1.1.1) moves to the systemd journal instead of stopping fail2ban
    const toJournal =
      !skipIfNoLogs &&
      jailReaderReads(version, 'systemd_if_nologs') &&
      backend.startsWith('auto') &&
      pyAsBool(interpolated(ctx, jail, 'systemd_if_nologs') ?? 'true') &&
      lookupRaw(ctx, jail, 'journalmatch') !== undefined;
    if (toJournal) {
      ctx.report({
        code: 'systemd-in-dms',
        range,
        severity: 'warning',
        message:
          t(
            "No log file of jail '{0}' exists in DMS ({1}): fail2ban {2} moves the jail to the systemd journal ('{3} Jail will monitor systemd journal.'), which DMS does not have — the jail never bans. Point logpath at /var/log/mail/mail.log (or set skip_if_nologs = true to drop the jail).",
            jail,
            lines.map((l) => l.path).join(', ') || t('(empty)'),
            version,
            missingLogMessage(jail, version),
          ),
      });
      continue;
    }
    const known = live
      ? live.logFiles.filter((path) => path.startsWith('/var/log/mail/'))
      : dmsLogFiles(ctx.options.dmsVersion)
          .filter((f) => !f.linksTo && f.path.startsWith('/var/log/mail/'))
          .map((f) => f.path);
    const shown = lines.map((l) => l.path).join(', ') || t('(empty)');
    ctx.report({
      code: 'missing-log',
      range,
      severity: skipIfNoLogs ? 'warning' : 'error',
      message: skipIfNoLogs
        ? t("No log file of jail '{0}' exists in DMS ({1}); with skip_if_nologs fail2ban skips this jail.", jail, shown)
        : live
          ? t(
              "{0} does not exist in the container {1}: point logpath at one of its logs or disable jail '{2}'. fail2ban stops at start-up and never runs ('setup fail2ban' says 'Fail2ban not running'). Its mail logs: {3}.",
              shown,
              live.container,
              jail,
              known.join(', '),
            )
          : t(
              "{0} does not exist in DMS: point logpath at a DMS log (/var/log/mail/mail.log) or disable jail '{1}'. fail2ban stops at start-up and never runs ('setup fail2ban' says 'Fail2ban not running'). DMS logs: {2}.",
              shown,
              jail,
              known.join(', '),
            ),
      ...(skipIfNoLogs ? {} : { details: `fail2ban: ${missingLogMessage(jail, version)}` }),
    });
  }
}

const LOGPATH_CODES: CodeTable = {
  'invalid-logpath': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: "A logpath line fail2ban cannot use (bad 'head'/'tail' suffix, comma lists, spaces, relative paths).",
    docs:
      '`logpath` takes **one glob per line**. fail2ban splits each line at its last space: the part after it must be `head` ' +
      '(default) or `tail`, otherwise the server stops with `File option must be \'head\' or \'tail\'`. So commas do not separate ' +
      'paths (`a.log, b.log`) and paths cannot contain spaces.\n\n```ini\nlogpath = /var/log/mail.log\n          /var/log/other.log tail\n```',
  },
  'missing-log': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'An enabled jail whose logpath matches no file in the DMS container.',
    docs:
      'When an enabled jail\'s `logpath` matches no file, fail2ban refuses the whole configuration: ' +
      '`Have not found any log file for <jail> jail` — in DMS fail2ban then never runs. DMS writes mail logs to ' +
      '`/var/log/mail/mail.log` (also reachable as `/var/log/mail.log`); `/var/log/auth.log` (sshd) etc. do not exist there. ' +
      'fail2ban 1.1.1 (DMS v16) can skip such jails with `skip_if_nologs = true`, and moves a jail on `backend = auto` that sets its ' +
      'own `journalmatch` to the systemd journal instead (reported as systemd-in-dms: DMS has no journal); 1.1.0 (DMS v15) can do neither.',
  },
  'systemd-in-dms': SHARED_CODES['systemd-in-dms'],
};

export const rules: Rule[] = [
  {
    name: 'logpath',
    codes: LOGPATH_CODES,
    check(ctx) {
      checkLines(ctx);
      checkMissingLogs(ctx);
    },
  },
];
