// Human-readable texts for the ban commands (pure, unit-tested).
import type { JailBans, JailStatus } from '../docker/dmsOutput';
import { describeCover } from '../docker/cidrCover';
import type { BanReport, UnbanReport } from '../docker/fail2banService';
import { t } from '../l10n';

export function describeUnban(report: UnbanReport): string {
  if (report.stillBlockedBy.length > 0) {
    const cover = describeCover(report.address, report.stillBlockedBy);
    return report.wasBanned ? t("Removed {0}'s own entry, but {1}", report.address, `${cover.charAt(0).toLowerCase()}${cover.slice(1)}`) : cover;
  }
  if (!report.wasBanned) {
    const jails = report.jails.map((jail) => jail.jail).join(', ');
    return jails ? t('{0} was not banned in any jail (checked {1}).', report.address, jails) : t('{0} was not banned.', report.address);
  }
  const from = report.jails.filter((jail) => jail.count > 0).map((jail) => (jail.count > 1 ? t('{0} ({1} entries)', jail.jail, jail.count) : jail.jail));
  return t('Unbanned {0} from {1}.', report.address, from.join(', '));
}

export function describeBan(report: BanReport): string {
  if (report.status === 'already-banned') return t("{0} is already banned (DMS's custom jail refused it as a duplicate).", report.address);
  return report.count > 1 ? t('Banned {0} in the custom jail ({1} entries).', report.address, report.count) : t('Banned {0} in the custom jail.', report.address);
}

export function totalBanned(jails: JailBans[]): number {
  return jails.reduce((sum, jail) => sum + jail.ips.length, 0);
}

/** `setup fail2ban status` as a readable report; `takenAt`: when it was read (the report refreshes with the view). */
export function formatStatusReport(container: string, jails: JailStatus[], takenAt?: Date): string {
  const taken = takenAt ? t(' — taken at {0}, refreshed with the Fail2Ban view', takenAt.toLocaleTimeString()) : '';
  const heading = jails.length === 1 ? t('fail2ban status in {0} (1 jail){1}', container, taken) : t('fail2ban status in {0} ({1} jails){2}', container, jails.length, taken);
  const lines = [heading, ''];
  const none = t('(none)');
  for (const jail of jails) {
    lines.push(`[${jail.jail}]`);
    if (jail.unavailable !== undefined) {
      lines.push(t('  no answer from fail2ban ({0}): counters unknown, not zero', jail.unavailable), '');
      continue;
    }
    lines.push(t('  currently failed: {0}   total failed: {1}', show(jail.currentlyFailed), show(jail.totalFailed)));
    lines.push(t('  currently banned: {0}   total banned: {1}', show(jail.currentlyBanned), show(jail.totalBanned)));
    if (jail.journalMatches !== undefined) lines.push(t('  journal matches: {0}', jail.journalMatches || none));
    else lines.push(t('  log files: {0}', jail.fileList.length > 0 ? jail.fileList.join(' ') : none));
    lines.push(t('  banned: {0}', jail.bannedIps.length > 0 ? jail.bannedIps.join(' ') : none));
    lines.push('');
  }
  return lines.join('\n');
}

function show(value: number | undefined): string {
  return value === undefined ? '?' : String(value);
}

/** One validated workspace file for the "Fail2ban not running → Validate Config Files" answer. */
export interface ValidatedFile {
  /** As shown to the user (workspace-relative path). */
  name: string;
  /** Error-level diagnostics only: problems that stop fail2ban or drop a jail. */
  errors: Array<{ line: number; code: string; message: string }>;
}

/** Says whether the user's files explain a fail2ban that does not run, and what to look at next. */
export function describeValidation(files: readonly ValidatedFile[]): { ok: boolean; message: string } {
  const total = files.reduce((sum, file) => sum + file.errors.length, 0);
  if (total === 0) {
    const names = files.map((file) => file.name).join(', ');
    return {
      ok: true,
      message: t(
        'No error in {0}: these files do not stop fail2ban. If it still does not run, ENABLE_FAIL2BAN may be off, or the container has not been restarted since the files changed — the fail2ban log says more.',
        names,
      ),
    };
  }
  const first = files.find((file) => file.errors.length > 0);
  const error = first?.errors[0];
  const where = first && error ? t(' First: {0} line {1} ({2}): {3}', first.name, error.line, error.code, error.message) : '';
  return {
    ok: false,
    message:
      (total === 1
        ? t('1 error in your fail2ban files stop fail2ban or drop a jail (see Problems).')
        : t('{0} errors in your fail2ban files stop fail2ban or drop a jail (see Problems).', total)) + where,
  };
}
