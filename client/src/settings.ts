// Reads the dmsFail2ban.* settings defensively (no `vscode` import: the extension hands in
// `WorkspaceConfiguration.get`). settings.json can hold anything — a number where text belongs, "30" for 30, an
// object for a list — and VS Code passes it through unchecked. A bad value never throws: it is replaced by the
// default (or, for a number or boolean written as text, by what the text says) with a message naming the setting.
import { t } from './l10n';
import { DEFAULT_SETTINGS, describeValue, type ClientSettings } from './targets';

export { describeValue };
import type { ValidatorSettings } from './configValidator';

/** `(key) => config.get(key)` for the `dmsFail2ban` section. */
export type SettingsReader = (key: string) => unknown;

export interface ReadSettings {
  settings: ClientSettings;
  /** One sentence per ignored or corrected value, naming the setting. */
  problems: string[];
}

export function readSettings(get: SettingsReader): ReadSettings {
  const problems: string[] = [];
  const name = (key: string) => `dmsFail2ban.${key}`;

  const text = (key: 'containerRuntime' | 'container' | 'dockerContext' | 'dockerHost'): string => {
    const value = safeGet(get, key, problems);
    if (value === undefined || value === null) return DEFAULT_SETTINGS[key];
    if (typeof value === 'string') return value;
    problems.push(
      DEFAULT_SETTINGS[key] === ''
        ? t('{0} is {1}, not a text; ignored.', name(key), describeValue(value))
        : t("{0} is {1}, not a text; using '{2}'.", name(key), describeValue(value), DEFAULT_SETTINGS[key]),
    );
    return DEFAULT_SETTINGS[key];
  };

  const number = (key: 'commandTimeoutSeconds' | 'autoRefreshSeconds', minimum: number): number => {
    const value = safeGet(get, key, problems);
    if (value === undefined || value === null) return DEFAULT_SETTINGS[key];
    const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(parsed) || parsed < minimum) {
      problems.push(t('{0} is {1}, not a number of seconds (at least {2}); using {3}.', name(key), describeValue(value), minimum, DEFAULT_SETTINGS[key]));
      return DEFAULT_SETTINGS[key];
    }
    if (typeof value === 'string') problems.push(t('{0} is {1}; using {2} — write it as a number, without quotes.', name(key), describeValue(value), parsed));
    return parsed;
  };

  const confirmActions = ((): boolean => {
    const value = safeGet(get, 'confirmActions', problems);
    if (value === undefined || value === null) return DEFAULT_SETTINGS.confirmActions;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') {
      problems.push(t('{0} is {1}; using {2} — write it as true or false, without quotes.', name('confirmActions'), describeValue(value), value));
      return value === 'true';
    }
    problems.push(t('{0} is {1}, not true or false; asking before each action.', name('confirmActions'), describeValue(value)));
    return DEFAULT_SETTINGS.confirmActions;
  })();

  const servers = ((): unknown[] => {
    const value = safeGet(get, 'servers', problems);
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    problems.push(t('{0} is {1}, not a list of servers; ignored.', name('servers'), describeValue(value)));
    return [];
  })();

  return {
    settings: {
      containerRuntime: text('containerRuntime'),
      container: text('container'),
      dockerContext: text('dockerContext'),
      dockerHost: text('dockerHost'),
      servers,
      commandTimeoutSeconds: number('commandTimeoutSeconds', 1),
      confirmActions,
      autoRefreshSeconds: number('autoRefreshSeconds', 0),
    },
    problems,
  };
}

/** The language settings the Apply Config validator uses; a value of the wrong type is left to the default. */
export function readValidatorSettings(get: SettingsReader): ValidatorSettings {
  const ignored: string[] = [];
  const fail2banVersion = safeGet(get, 'fail2banVersion', ignored);
  const dmsVersion = safeGet(get, 'dmsVersion', ignored);
  const rules = safeGet(get, 'rules', ignored);
  return {
    fail2banVersion: typeof fail2banVersion === 'string' ? (fail2banVersion as ValidatorSettings['fail2banVersion']) : undefined,
    dmsVersion: typeof dmsVersion === 'string' ? (dmsVersion as ValidatorSettings['dmsVersion']) : undefined,
    rules: rules !== null && typeof rules === 'object' && !Array.isArray(rules) ? (rules as ValidatorSettings['rules']) : undefined,
  };
}

/** A getter that throws (a broken configuration provider) counts as "not set". */
function safeGet(get: SettingsReader, key: string, problems: string[]): unknown {
  try {
    return get(key);
  } catch (error) {
    problems.push(t('dmsFail2ban.{0} could not be read ({1}); using the default.', key, error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}
