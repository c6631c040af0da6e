// A jail's effective configuration (all layers, the user's text included) → the fail2ban-regex call that
// tests it: the jail's filter file with its options (`/etc/fail2ban/filter.d/NAME.conf[mode=…]` — a path,
// so fail2ban-regex 1.1.0 does not swap in the container's installed jail of the same name), jail-level
// failregex/ignoreregex as filter options (they replace the filter's, as in fail2ban's JailReader),
// datepattern (-d), maxlines (-L), usedns, logencoding, logtimezone; plus maxretry/findtime/ignoreip.
import { fail2banFacts } from '../knowledge/releases';
import { effectiveJail, type ConfigContext } from '../context';
import { parseDuration } from '../values/duration';
import { parseNameParams } from '../values/nameParams';
import { readIgnoreIp, type IgnoreList } from './analyze';
import type { LabWarning } from './types';

/** What a filter name may look like before it becomes part of a path (no '/', no '..'). */
const FILTER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/;
/** fail2ban's option-key characters ([\w\-_\.], helpers.py OPTION_EXTRACT_CRE), ASCII only here. */
const OPTION_KEY = /^[A-Za-z0-9_.-]+$/;

export interface JailTestPlan {
  jail: string;
  filterName: string;
  /** The REGEX argument of fail2ban-regex. */
  filterArgument: string;
  /** Options before `-- LOG REGEX`. */
  options: string[];
  /** The jail's own log (first logpath entry), if it names one file. */
  jailLogPath?: string;
  maxretry: number;
  findtimeSeconds: number;
  ignore: IgnoreList;
  warnings: LabWarning[];
}

export type PlanResult = { ok: true; plan: JailTestPlan } | { ok: false; message: string };

/** Quotes a filter option value the way extractOptions reads it back unchanged (no escapes exist). */
function quoteOption(value: string): string | undefined {
  if (/^[^\s,\]"'][^,\]"'\n]*$/.test(value) && value.trim() === value) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return undefined;
}

export function fail2banRegexArguments(plan: JailTestPlan, logPath: string): string[] {
  return [...plan.options, '--', logPath, plan.filterArgument];
}

export function buildJailTestPlan(context: ConfigContext, jail: string, configDir = '/etc/fail2ban'): PlanResult {
  if (!context.jailNames().includes(jail)) {
    const known = context.jailNames().filter((name) => context.isEnabled(name));
    return { ok: false, message: `No jail [${jail}] in the configuration (enabled jails: ${known.join(', ') || 'none'}).` };
  }
  const effective = effectiveJail(context, jail);
  const option = (name: string) => effective.options.find((o) => o.name === name);
  const valueOf = (name: string) => {
    const found = option(name);
    if (found?.error) throw new PlanError(`[${jail}] ${name}: ${found.error.message}`);
    return found?.value;
  };
  try {
    return { ok: true, plan: planFrom(context, jail, configDir, option, valueOf) };
  } catch (error) {
    if (error instanceof PlanError) return { ok: false, message: error.message };
    throw error;
  }
}

class PlanError extends Error {}

function planFrom(
  context: ConfigContext,
  jail: string,
  configDir: string,
  option: (name: string) => ReturnType<typeof effectiveJail>['options'][number] | undefined,
  valueOf: (name: string) => string | undefined,
): JailTestPlan {
  const warnings: LabWarning[] = [];
  const filterValue = (valueOf('filter') ?? '').trim();
  if (!filterValue) throw new PlanError(`[${jail}] has no filter: there is nothing to test.`);
  const parsed = parseNameParams(filterValue, { conditionalParams: fail2banFacts(context.fail2banVersion).conditionalParams });
  if (!parsed.ok) throw new PlanError(`[${jail}] filter = ${filterValue}: ${parsed.message}`);
  const filterName = parsed.name.trim();
  if (!FILTER_NAME.test(filterName)) throw new PlanError(`[${jail}] filter name '${filterName}' is not a plain filter name.`);

  const filterOptions = new Map(parsed.options);
  for (const name of ['failregex', 'ignoreregex'] as const) {
    const jailLevel = option(name);
    if (!jailLevel?.raw || jailLevel.value === undefined) continue;
    if (jailLevel.fromFilter?.length) {
      warnings.push({
        code: 'known-regex',
        message: `[${jail}] ${name} adds to the filter's own list with %(known/${name})s; fail2ban-regex cannot expand that, so only the filter's ${name} was tested.`,
      });
      continue;
    }
    filterOptions.set(name, jailLevel.value);
  }
  const optionTexts: string[] = [];
  for (const [key, value] of filterOptions) {
    const quoted = quoteOption(value);
    if (!OPTION_KEY.test(key) || quoted === undefined) {
      throw new PlanError(`[${jail}] the filter option '${key}' holds both kinds of quotes; fail2ban-regex cannot be given it.`);
    }
    optionTexts.push(`${key}=${quoted}`);
  }
  const filterArgument = `${configDir}/filter.d/${filterName}.conf${optionTexts.length ? `[${optionTexts.join(', ')}]` : ''}`;

  // -v lists each failure with its time; --no-check-all: the first matching regex wins, as in the jail
  const options = ['-c', configDir, '-v', '--no-check-all'];
  const datepattern = valueOf('datepattern');
  if (option('datepattern')?.raw && datepattern) options.push('-d', datepattern.trim());
  const maxlines = valueOf('maxlines');
  if (option('maxlines')?.raw && maxlines && /^\s*\d+\s*$/.test(maxlines)) options.push('-L', maxlines.trim());
  const usedns = valueOf('usedns')?.trim();
  if (usedns) options.push('--usedns', usedns);
  const encoding = valueOf('logencoding')?.trim();
  if (encoding && encoding.toLowerCase() !== 'auto') options.push('-e', encoding);
  const timezone = valueOf('logtimezone')?.trim();
  if (timezone) options.push('--timezone', timezone);

  const maxretryText = valueOf('maxretry')?.trim() ?? '5';
  const maxretry = Number.parseInt(maxretryText, 10);
  if (!Number.isFinite(maxretry)) throw new PlanError(`[${jail}] maxretry = ${maxretryText} is not a number.`);
  const findtimeText = valueOf('findtime') ?? '10m';
  const findtime = parseDuration(findtimeText);
  if (!findtime.ok) throw new PlanError(`[${jail}] findtime = ${findtimeText}: ${findtime.message}`);

  const logpaths = (valueOf('logpath') ?? '').split(/\s+/).filter((entry) => entry && !/^(?:head|tail)$/i.test(entry));
  let jailLogPath: string | undefined;
  if (logpaths.length > 0) {
    if (/[*?[]/.test(logpaths[0])) {
      warnings.push({ code: 'log-glob', message: `[${jail}] logpath ${logpaths[0]} is a pattern; choose the log file to test.` });
    } else jailLogPath = logpaths[0];
  }
  const ignore = readIgnoreIp(valueOf('ignoreip') ?? '', context.fail2banVersion);
  warnings.push(...ignore.warnings);
  return {
    jail, filterName, filterArgument, options, maxretry, findtimeSeconds: findtime.seconds, ignore, warnings,
    ...(jailLogPath !== undefined ? { jailLogPath } : {}),
  };
}
