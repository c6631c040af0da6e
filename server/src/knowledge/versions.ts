// Version helpers for the knowledge tables.
import { FAIL2BAN_VERSIONS, type Fail2banVersion } from '../types';
import type { VersionBounds } from './types';

export function versionIndex(version: Fail2banVersion): number {
  return FAIL2BAN_VERSIONS.indexOf(version);
}

/** true when `version` lies within `since`..`until` (both inclusive). */
export function inVersion(bounds: VersionBounds, version: Fail2banVersion): boolean {
  const v = versionIndex(version);
  if (bounds.since && v < versionIndex(bounds.since)) return false;
  if (bounds.until && v > versionIndex(bounds.until)) return false;
  return true;
}
