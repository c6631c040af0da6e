// Settings: what the engine accepts from the user's settings, and re-checking when they (or the compose files
// that decide what the workspace provides) change.
import type { DidChangeConfigurationParams } from 'vscode-languageserver-protocol/lib/common/api';
import { DMS_VERSIONS, FAIL2BAN_VERSIONS, type DmsVersion, type Fail2banVersion, type SeveritySetting } from '../types';
import { refreshAllDiagnostics } from './diagnostics';
import type { Session } from './session';

export const SETTINGS_SECTION = 'dmsFail2ban';
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ServerSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules: Record<string, SeveritySetting>;
  /** Folders with the user's own filter.d/action.d files (absolute, or relative to the workspace folder). */
  extraConfigDirs: string[];
}

/** Keeps only values the engine understands (settings come from the user and may be anything). */
export function normalizeSettings(raw: unknown): ServerSettings {
  const value = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SeveritySetting> = {};
  if (value.rules && typeof value.rules === 'object' && !Array.isArray(value.rules)) {
    for (const [code, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (code !== '__proto__' && SEVERITY_SETTINGS.includes(severity as SeveritySetting)) rules[code] = severity as SeveritySetting;
    }
  }
  return {
    fail2banVersion: FAIL2BAN_VERSIONS.includes(value.fail2banVersion as Fail2banVersion) ? (value.fail2banVersion as Fail2banVersion) : undefined,
    dmsVersion: DMS_VERSIONS.includes(value.dmsVersion as DmsVersion) ? (value.dmsVersion as DmsVersion) : undefined,
    rules,
    extraConfigDirs: Array.isArray(value.extraConfigDirs)
      ? value.extraConfigDirs.filter((dir): dir is string => typeof dir === 'string' && dir.trim() !== '')
      : [],
  };
}

/** Settings a client pushes instead of answering workspace/configuration: `{ dmsFail2ban: {…} }` or the bare object. */
export function pushedSettings(raw: unknown): ServerSettings {
  const holder = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return normalizeSettings(SETTINGS_SECTION in holder ? holder[SETTINGS_SECTION] : raw);
}

export function registerSettingsHandlers(session: Session): void {
  const { connection } = session;
  connection.onDidChangeConfiguration((params: DidChangeConfigurationParams) => {
    session.settingsByUri.clear();
    session.settingsGeneration++;
    if (!session.client.canPullConfiguration && params?.settings !== null && typeof params?.settings === 'object') {
      session.defaultSettings = pushedSettings(params.settings);
    }
    refreshAllDiagnostics(session);
  });

  // a compose file changed (the client watches them): what the workspace provides may have changed
  connection.onDidChangeWatchedFiles(() => {
    session.watchedFilesGeneration++;
    refreshAllDiagnostics(session);
  });
}
