// Status bar text for the active fail2ban file (pure): its kind and the versions it is checked against.
import type { FileKind } from '../../server/src/shared';

const KIND_LABELS: Record<FileKind, string> = {
  'dms-jail': 'DMS jail',
  'dms-server': 'DMS server',
  jail: 'fail2ban jail',
  server: 'fail2ban server',
};

/** Where DMS puts each kind inside the container (dms-fail2ban.md §3.1). */
const KIND_TARGETS: Record<FileKind, string> = {
  'dms-jail': 'copied by DMS to /etc/fail2ban/jail.d/user-jail.local',
  'dms-server': 'copied by DMS to /etc/fail2ban/fail2ban.local',
  jail: 'a plain fail2ban jail file',
  server: 'a plain fail2ban server file',
};

export function statusText(kind: FileKind, fail2banVersion: string): string {
  return `${KIND_LABELS[kind]} · fail2ban ${fail2banVersion}`;
}

export function statusTooltip(kind: FileKind, fail2banVersion: string, dmsVersion: string): string {
  const dms = kind === 'dms-jail' || kind === 'dms-server' ? `, docker-mailserver ${dmsVersion}` : '';
  return `${KIND_LABELS[kind]}: ${KIND_TARGETS[kind]}. Validated as fail2ban ${fail2banVersion}${dms} reads it. Click to show the effective configuration.`;
}
