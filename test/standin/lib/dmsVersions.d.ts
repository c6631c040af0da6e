// Types for dmsVersions.js (the stand-in is plain JS so it runs without a build step).
export type DmsVersionKey = 'v12.0' | 'v12.1' | 'v13' | 'v14' | 'v15.0' | 'v15.1' | 'edge';
export type DmsVersionName = DmsVersionKey | 'v12' | 'v15' | 'latest';
export type DmsJailLayout = 'v11-v12.0' | 'v12.1-v15.0' | 'v15.1';
export type Fail2banVersion = '1.0.2' | '1.1.0';

export interface DmsVersionInfo {
  release: string;
  image: string;
  fail2ban: Fail2banVersion;
  jailLayout: DmsJailLayout;
  logStyle: 'bracketed' | 'rfc3339';
  infoStream: 'stdout' | 'stderr';
  usageLineCount: 1 | 2 | 3;
  subcommands: string[];
  fail2banLog: '/var/log/fail2ban.log' | '/var/log/mail/fail2ban.log';
}

export const USAGE_LINES: readonly string[];
export const DMS_VERSIONS: Record<DmsVersionKey, DmsVersionInfo>;
export const DMS_VERSION_ALIASES: Record<string, DmsVersionKey>;
export function resolveDmsVersion(name: DmsVersionName): DmsVersionInfo & { key: DmsVersionKey };
