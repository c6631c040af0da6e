// Status bar text for the active fail2ban file (pure): its kind and the versions it is checked against.
import type { FileKind } from '../../server/src/shared';
import { t } from './l10n';

function kindLabel(kind: FileKind): string {
  switch (kind) {
    case 'dms-jail':
      return t('DMS jail');
    case 'dms-server':
      return t('DMS server');
    case 'jail':
      return t('fail2ban jail');
    default:
      return t('fail2ban server');
  }
}

/** Where DMS puts each kind inside the container (dms-fail2ban.md §3.1). */
function kindTarget(kind: FileKind): string {
  switch (kind) {
    case 'dms-jail':
      return t('copied by DMS to /etc/fail2ban/jail.d/user-jail.local');
    case 'dms-server':
      return t('copied by DMS to /etc/fail2ban/fail2ban.local');
    case 'jail':
      return t('a plain fail2ban jail file');
    default:
      return t('a plain fail2ban server file');
  }
}

export function statusText(kind: FileKind, fail2banVersion: string): string {
  return `${kindLabel(kind)} · fail2ban ${fail2banVersion}`;
}

export function statusTooltip(kind: FileKind, fail2banVersion: string, dmsVersion: string): string {
  const readers = kind === 'dms-jail' || kind === 'dms-server' ? `fail2ban ${fail2banVersion}, docker-mailserver ${dmsVersion}` : `fail2ban ${fail2banVersion}`;
  return t('{0}: {1}. Validated as {2} reads it. Click to show the effective configuration.', kindLabel(kind), kindTarget(kind), readers);
}
