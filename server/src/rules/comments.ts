// Comment mistakes inside values (CPython 3.11 Lib/configparser.py with fail2ban 1.1.0
// client/configparserinc.py: inline_comment_prefixes=";"): '#' is never an inline comment, and ';' starts one
// only after whitespace. Both leave text in the value that fail2ban then reads.
import { interpolationVar } from '../knowledge/interpolationVars';
import { serverOption } from '../knowledge/serverOptions';
import type { OptionValueType } from '../knowledge/types';
import type { Fail2banVersion, Severity } from '../types';
import type { CodeTable, Rule, RuleContext } from './rule';
import { isJailKind, knownJailOption, readVerdict, reportValue, sitesWithMarker, valueRange, type OptionSite } from './ruleKit';
import { deferred, t } from '../l10n';

/** Value types whose text is code or a pattern, where '#' and ';' may be meant literally. */
const FREE_TEXT_TYPES: ReadonlySet<OptionValueType> = new Set<OptionValueType>([
  'regex',
  'regex-list',
  'command',
  'datepattern-list',
  'journalmatch-list',
  'expression',
  'logtarget',
]);

/** What a stray '#…' does to a value of this type (observed with the real fail2ban-client -t 1.1.0). */
const HASH_EFFECT: Partial<Record<OptionValueType, { effect: string; severity: Severity }>> = {
  duration: {
    effect: deferred("it happens to work for times because fail2ban evaluates them as Python, where '#' starts a comment"),
    severity: 'information',
  },
  bool: { effect: deferred('the value is then not one of 1/on/true/yes, so fail2ban silently reads it as false'), severity: 'warning' },
  int: { effect: deferred("Python int() then fails on it and fail2ban does not start"), severity: 'warning' },
  'ip-list': { effect: deferred("'#' and every word after it become host names in the ignore list"), severity: 'warning' },
  'logpath-list': { effect: deferred("the text after the last space must be 'head' or 'tail', so fail2ban stops"), severity: 'warning' },
  'action-list': { effect: deferred("'#' and every word after it are read as action names"), severity: 'warning' },
};

interface CheckedOption {
  type: OptionValueType | 'variable';
}

/** `section`: needed for server kinds only (their options' types depend on the section). */
function classify(ctx: RuleContext, name: string, section: string | undefined, version: Fail2banVersion): CheckedOption | undefined {
  if (isJailKind(ctx.options.kind)) {
    const option = knownJailOption(name, version);
    if (option) return FREE_TEXT_TYPES.has(option.type) ? undefined : { type: option.type };
    // interpolation variables that end up in action/filter parameters (port, protocol, mode, banaction…)
    if (name.startsWith('action') || !interpolationVar(name, version)) return undefined;
    return { type: 'variable' };
  }
  const option = section === undefined ? undefined : serverOption(name, section);
  if (!option || FREE_TEXT_TYPES.has(option.type)) return undefined;
  return { type: option.type };
}

/** Options whose value holds '#', and those holding ';' (most have neither: no character walk, no classification for them). */
function optionsWithMarkers(ctx: RuleContext): { hash: readonly OptionSite[]; semicolon: readonly OptionSite[] } {
  return { hash: sitesWithMarker(ctx.doc, '#'), semicolon: sitesWithMarker(ctx.doc, ';') };
}

function hashComments(ctx: RuleContext, sites: readonly OptionSite[]): void {
  for (const site of sites) {
    const checked = classify(ctx, site.option.name, site.section.name, ctx.options.fail2banVersion);
    if (!checked) continue;
    const value = site.option.value;
    const at = findUnquotedMarker(value, '#', (before) => before === undefined || /\s/.test(before));
    if (at < 0) continue;
    const lineEnd = value.indexOf('\n', at);
    const end = lineEnd < 0 ? value.length : lineEnd;
    const outcome = checked.type === 'variable' ? undefined : HASH_EFFECT[checked.type];
    const effect = outcome ? t(outcome.effect) : t('fail2ban passes it on as part of the value');
    const verdict = readVerdict(ctx, site);
    reportValue(ctx, verdict, {
      code: 'inline-hash-comment',
      range: valueRange(site.option, at, end),
      severity: outcome?.severity ?? 'warning',
      message:
        t("'#' does not start a comment here: put the comment on its own line, or use ' ; ' instead. fail2ban keeps '{0}' as part of the value of '{1}'; {2}.", value.slice(at, end), site.option.name, effect),
      fixes: [{ title: t("Use ';' for the inline comment"), edits: [{ range: valueRange(site.option, at, at + 1), newText: ';' }], preferred: true }],
    });
  }
}

function semicolonComments(ctx: RuleContext, sites: readonly OptionSite[]): void {
  for (const site of sites) {
    const checked = classify(ctx, site.option.name, site.section.name, ctx.options.fail2banVersion);
    if (!checked) continue;
    const value = site.option.value;
    const at = findUnquotedMarker(value, ';', (before) => before !== undefined && !/\s/.test(before));
    if (at < 0) continue;
    const lineEnd = value.indexOf('\n', at);
    const end = lineEnd < 0 ? value.length : lineEnd;
    const verdict = readVerdict(ctx, site);
    reportValue(ctx, verdict, {
      code: 'semicolon-without-space',
      range: valueRange(site.option, at, end),
      severity: 'warning',
      message:
        t("';' right after text does not start a comment: fail2ban keeps '{0}' in the value of '{1}' (an inline comment needs whitespace before ';').", value.slice(at, end), site.option.name),
      fixes: [
        { title: t("Insert a space before ';'"), edits: [{ range: valueRange(site.option, at, at), newText: ' ' }], preferred: true },
      ],
    });
  }
}

/** First `marker` outside quotes whose preceding character passes `accept`; -1 if none. */
function findUnquotedMarker(value: string, marker: string, accept: (before: string | undefined) => boolean): number {
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\n') quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (ch === marker) {
      const before = i === 0 || value[i - 1] === '\n' ? undefined : value[i - 1];
      if (accept(before)) return i;
    }
  }
  return -1;
}

const COMMENT_CODES: CodeTable = {
  'inline-hash-comment': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: "A '# comment' after a value: fail2ban keeps it as part of the value.",
    docs:
      "fail2ban's config parser only knows full-line comments (`#` or `;` first on the line) and inline comments " +
      'that start with ` ;` (a `;` after whitespace). A `#` after a value is **part of the value**:\n\n' +
      '```ini\nignoreip = 127.0.0.1/8 # office   ; "#" and "office" become host names\nenabled = true # on      ; not "true" → the jail is silently disabled\n```\n\n' +
      'For times (`bantime = 1h # one hour`) it happens to work, because fail2ban evaluates times as Python. ' +
      'Fix: move the comment to its own line or write ` ; comment`.',
  },
  'semicolon-without-space': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: "A ';' directly after text: not a comment, it stays in the value.",
    docs:
      'An inline comment needs whitespace before the `;`. `bantime = 1h;ban` keeps `1h;ban` (fail2ban then cannot read the time and ' +
      'stops); `allowipv6 = auto;` keeps `auto;`, which silently means "off" — the mistake in DMS\'s own `fixes.local`.\n\n' +
      'Fix: `bantime = 1h ; ban`.',
  },
};

export const rules: Rule[] = [
  {
    name: 'comments',
    codes: COMMENT_CODES,
    check(ctx) {
      const { hash, semicolon } = optionsWithMarkers(ctx);
      hashComments(ctx, hash);
      semicolonComments(ctx, semicolon);
    },
  },
];
