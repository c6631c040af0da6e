// Stock config texts fail2ban reads before DMS's and the user's files, per fail2ban version.
// source: generated/stockConfigs.ts (fail2ban 1.0.2, 1.1.0 and 1.1.1 config trees with Debian's packaging
// changes undone, comments stripped).
import { DEFAULT_FAIL2BAN_VERSION, type Fail2banVersion } from '../types';
import type * as GeneratedStockConfigs from './generated/stockConfigs';
import type { StockConfigTexts } from './types';
import { lazy } from '../lazyRegex';

export const FAIL2BAN_CONFIG_DIR = '/etc/fail2ban';

export interface StockFile {
  /** Path inside the container, e.g. "/etc/fail2ban/paths-debian.conf". */
  path: string;
  text: string;
}

/** The generated tables, evaluated when first asked for (a JSON.parse in the CLI bundle; see actions.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generatedStockConfigs = lazy(() => require('./generated/stockConfigs') as typeof GeneratedStockConfigs);

function textsFor(version: Fail2banVersion): StockConfigTexts {
  return generatedStockConfigs().GENERATED_STOCK_TEXTS[version];
}

/** `config/jail.conf` of `version`, comment and blank lines removed. */
export function stockJailConf(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string {
  return textsFor(version).jailConf;
}

/**
 * The paths files jail.conf includes, in the order fail2ban reads them: jail.conf has
 * `before = paths-debian.conf`, which has `before = paths-common.conf`; so paths-common.conf,
 * then paths-debian.conf, then jail.conf (later files win per option).
 */
export function stockPathsConfs(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): StockFile[] {
  const t = textsFor(version);
  return [
    { path: `${FAIL2BAN_CONFIG_DIR}/paths-common.conf`, text: t.pathsCommon },
    { path: `${FAIL2BAN_CONFIG_DIR}/paths-debian.conf`, text: t.pathsDebian },
  ];
}

/** `config/fail2ban.conf` of `version`, comment and blank lines removed. */
export function stockFail2banConf(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string {
  return textsFor(version).fail2banConf;
}

/** The stock jail chain as StockFiles in read order: paths-common.conf, paths-debian.conf, jail.conf. */
export function stockJailFiles(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): StockFile[] {
  return [...stockPathsConfs(version), { path: `${FAIL2BAN_CONFIG_DIR}/jail.conf`, text: stockJailConf(version) }];
}

/** Raw merged `[DEFAULT]` of the stock jail chain (paths-common → paths-debian → jail.conf). */
export function stockJailDefaults(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): Readonly<Record<string, string>> {
  return generatedStockConfigs().GENERATED_JAIL_DEFAULTS[version];
}
