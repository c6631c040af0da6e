// The context DMS and fail2ban lay around the user's file, as the rules and LSP features see it.
// Implemented in context/ (buildContext); consumed by rules/ and features/.
import type { ConfigDocument, OptionNode, SectionNode } from '../parser/model';
import type { DmsVersion, Fail2banVersion, FileKind } from '../types';
import type { DetailedInterpolation } from './interpolate';

/** One file in fail2ban's read order (e.g. jail.conf → DMS jail.local → user file). */
export interface Layer {
  /** Human label, e.g. "jail.conf (fail2ban 1.1.0)", "DMS jail.local (v15.1.0)", "fail2ban-jail.cf". */
  label: string;
  origin: 'stock' | 'dms' | 'user';
  /** Path inside the container / fail2ban config dir, e.g. "/etc/fail2ban/jail.d/user-jail.local". */
  path: string;
  doc: ConfigDocument;
}

/** A raw (uninterpolated) value and where it came from. */
export interface RawValue {
  raw: string;
  /** Section the value was found in: the section itself or 'DEFAULT'. */
  section: string;
  layer: Layer;
  /** The option node in that layer's document (has ranges when layer.origin === 'user'). */
  option: OptionNode;
  /**
   * Does `raw` contain a '%' (reading it interpolates)? Set on the merged configuration's values, so that the many
   * reads of a big file need not look through the text each time; absent on values made elsewhere.
   */
  hasPercent?: boolean;
}

export interface InterpolationError {
  code: 'invalid-interpolation' | 'undefined-variable' | 'unknown-section-reference' | 'interpolation-recursion';
  /** fail2ban's/configparser's own message text. */
  message: string;
  /** The option whose raw value holds the bad reference (may differ from the one being read). */
  source?: RawValue;
}

export interface Interpolated {
  value?: string;
  error?: InterpolationError;
  /** The raw value that was interpolated (absent when the option is not set anywhere). */
  raw?: RawValue;
}

export interface ConfigContext {
  kind: FileKind;
  fail2banVersion: Fail2banVersion;
  dmsVersion: DmsVersion;
  /** In read order; the user's document is `userLayer`, always the last jail/server layer it occupies. */
  layers: Layer[];
  userLayer: Layer;
  /** Jail sections across all layers (not DEFAULT, INCLUDES, KNOWN/*), first-seen order. Jail kinds only. */
  jailNames(): string[];
  /** jailNames() without the copy: shared, do not modify (rules ask for it per option of big files). */
  jailNameList(): readonly string[];
  /** The jails of jailNames() that are enabled, in that order. Shared: do not modify. */
  enabledJailNames(): readonly string[];
  /**
   * The jails (of enabledJailNames(), or of jailNameList() when `enabledOnly` is false) that do not set `option` in
   * any layer, so that lookup(jail, option) gives [DEFAULT]'s value. Shared: do not modify.
   */
  jailsInheriting(option: string, enabledOnly: boolean): readonly string[];
  /** Effective raw value: the section in the latest layer that sets it, else DEFAULT (latest layer). */
  lookup(section: string, option: string): RawValue | undefined;
  /** Effective value with %(...)s interpolation as fail2ban does it (depth limit 10, known/, default/, sect/). */
  interpolate(section: string, option: string): Interpolated;
  /** enabled after layering and interpolation, read with fail2ban's _as_bool. */
  isEnabled(section: string): boolean;
  /** User-document sections by exact name (duplicates kept). */
  userSections(name: string): SectionNode[];
  /** userSections() without the copy: shared, do not modify (rules ask for every section of big files). */
  userSectionList(name: string): readonly SectionNode[];
  /** Every section of the merged configuration (all layers; not KNOWN/*, not INCLUDES). Shared: do not modify. */
  sectionNames(): readonly string[];
  /** Option names a `%(name)s` in `section` can refer to: its own options, [DEFAULT]'s, and `__name__`. */
  namesVisibleFrom(section: string): string[];
  /**
   * interpolate() with the chain of values read and where it failed, without a copy: the result is shared
   * (memoized per section and option), so callers must not modify it. Rules ask for thousands of values.
   */
  interpolateDetailed(section: string, option: string): Readonly<DetailedInterpolation>;
  /**
   * Interpolates `raw` as if it were the value of `option` in `section` (a value nobody reads, checked on its own):
   * with the jail's filter options as `known/…` only when `section` is an enabled jail.
   */
  interpolateValueAs(section: string, option: string, raw: RawValue): DetailedInterpolation;
}
