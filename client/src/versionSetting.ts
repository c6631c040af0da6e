// `dmsFail2ban.fail2banVersion` left at its default follows the DMS release for DMS files (v12–v14 ran
// fail2ban 1.0.2, v15 1.1.0, v16 1.1.1; server/src/knowledge/releases.ts), so choosing `dmsVersion: v14` alone validates as 1.0.2 — as the engine
// and `dms-fail2ban check --dms-version` do. Pure (no `vscode` import).
import { dmsFail2banVersion } from '../../server/src/shared';
import { DEFAULT_FAIL2BAN_VERSION, type DmsVersion, type FileKind } from '../../server/src/shared';

/** The scopes of `WorkspaceConfiguration.inspect()` that a user (not the default) sets. */
export interface SettingInspection<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  globalLanguageValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

export function isExplicitlySet<T>(inspection: SettingInspection<T> | undefined): boolean {
  if (!inspection) return false;
  return [
    inspection.globalValue,
    inspection.workspaceValue,
    inspection.workspaceFolderValue,
    inspection.globalLanguageValue,
    inspection.workspaceLanguageValue,
    inspection.workspaceFolderLanguageValue,
  ].some((value) => value !== undefined);
}

/** The fail2ban version a file is validated against: the user's explicit choice, else what DMS ships. */
export function effectiveFail2banVersion(kind: FileKind, explicit: string | undefined, dmsVersion: DmsVersion): string {
  if (explicit) return explicit;
  return kind === 'dms-jail' || kind === 'dms-server' ? dmsFail2banVersion(dmsVersion) : DEFAULT_FAIL2BAN_VERSION;
}

/** The settings object sent to the language server, without a fail2banVersion the user did not set. */
export function withoutDefaultedVersion(settings: unknown, explicitlySet: boolean): unknown {
  if (explicitlySet || !settings || typeof settings !== 'object' || Array.isArray(settings)) return settings;
  const { fail2banVersion: _defaulted, ...rest } = settings as Record<string, unknown>;
  return rest;
}
