// Types of the knowledge tables. Generated tables (generated/*.ts) use the Generated* shapes;
// the public lookups in the sibling modules return the richer public shapes.
import type { Fail2banVersion } from '../types';

/** fail2ban versions whose config trees are available locally and generated from. */
export type GeneratedVersion = '1.0.2' | '1.1.0' | '1.1.1';

/** First and last fail2ban version that has an item (both inclusive; absent = unbounded). */
export interface VersionBounds {
  since?: Fail2banVersion;
  until?: Fail2banVersion;
}

/** What fail2ban does with a bad value (observed with the real fail2ban of each version). */
export type BadValueOutcome =
  /** fail2ban does not run at all in DMS (F-client or F-server). */
  | 'fatal'
  /** the jail is dropped, the others run (J-client). */
  | 'jail-dropped'
  /** the value is not checked / silently has no effect. */
  | 'ignored'
  /** silently converted to something else (e.g. a bool typo becomes false). */
  | 'coerced';

export type OptionValueType =
  | 'bool'
  | 'int'
  | 'duration'
  | 'string'
  | 'regex'
  | 'regex-list'
  | 'path'
  | 'path-list'
  | 'logpath-list'
  | 'action-list'
  | 'filter'
  | 'backend'
  | 'ip-list'
  | 'expression'
  | 'enum'
  | 'command'
  | 'timezone'
  | 'encoding'
  | 'cache'
  | 'int-list'
  | 'datepattern-list'
  | 'journalmatch-list'
  | 'loglevel'
  | 'logtarget';

export interface GeneratedStockJail {
  name: string;
  /** Effective `filter` after interpolation with the stock [DEFAULT], e.g. "postfix[mode=more]". */
  filter: string;
  port: string;
  /** Effective `logpath` lines (paths-debian.conf values); empty when the jail has none. */
  logpath: readonly string[];
  backend: string;
  /** The jail section's own raw options as written in jail.conf. */
  options: Readonly<Record<string, string>>;
  versions: readonly Fail2banVersion[];
}

export interface GeneratedFilter {
  name: string;
  description: string;
  includes: { readonly before?: readonly string[]; readonly after?: readonly string[] };
  initKeys: readonly string[];
  definitionKeys: readonly string[];
  /** Valid values of `mode` (null: the filter has no `<prefix>-<mode>` tags). */
  modes: readonly string[] | null;
  defaultMode: string | null;
  /** true when the filter references `<mode>`, so `filter = name[mode=…]` / jail `mode` matters. */
  modeHasEffect: boolean;
  /** prefregex (default mode, tags resolved) has a failure-id tag: jail failregex may omit <HOST>. */
  prefregexHasFailureId: boolean;
  /** false for include-only helpers (a jail using them never matches). */
  hasFailregex: boolean;
  journalmatch: string | null;
  maxlines: number | null;
  versions: readonly Fail2banVersion[];
}

export interface GeneratedAction {
  /** File name without .conf; Python actions keep their ".py" suffix (that is how `action =` names them). */
  name: string;
  python: boolean;
  description: string;
  includes: { readonly before?: readonly string[]; readonly after?: readonly string[] };
  /** [Init] parameters with raw defaults (incl. `key?family=inet6` variants); Python: constructor kwargs. */
  init: Readonly<Record<string, string>>;
  definitionKeys: readonly string[];
  versions: readonly Fail2banVersion[];
}

export interface StockConfigTexts {
  jailConf: string;
  pathsCommon: string;
  pathsDebian: string;
  fail2banConf: string;
}
