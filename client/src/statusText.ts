// Status bar text for the active fail2ban file (pure): its kind and the versions it is checked against.
import type { FileKind } from '../../server/src/shared';
import { t } from './l10n';

/** The kind's name, and where DMS puts a file of that kind inside the container (DMS_USER_FILES in server/src/knowledge/dms.ts). */
function kindTexts(kind: FileKind): { label: string; target: string } {
  switch (kind) {
    case 'dms-jail':
      return { label: t('DMS jail'), target: t('copied by DMS to /etc/fail2ban/jail.d/user-jail.local') };
    case 'dms-server':
      return { label: t('DMS server'), target: t('copied by DMS to /etc/fail2ban/fail2ban.local') };
    case 'jail':
      return { label: t('fail2ban jail'), target: t('a plain fail2ban jail file') };
    default:
      return { label: t('fail2ban server'), target: t('a plain fail2ban server file') };
  }
}

export function statusText(kind: FileKind, fail2banVersion: string): string {
  return `${kindTexts(kind).label} · fail2ban ${fail2banVersion}`;
}

export function statusTooltip(kind: FileKind, fail2banVersion: string, dmsVersion: string): string {
  const readers = kind === 'dms-jail' || kind === 'dms-server' ? `fail2ban ${fail2banVersion}, docker-mailserver ${dmsVersion}` : `fail2ban ${fail2banVersion}`;
  const { label, target } = kindTexts(kind);
  return t('{0}: {1}. Validated as {2} reads it. Click to show the effective configuration.', label, target, readers);
}
