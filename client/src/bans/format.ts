// Human-readable texts for the ban commands (pure, unit-tested).
import type { JailBans, JailStatus } from '../docker/dmsOutput';
import { describeCover } from '../docker/cidrCover';
import type { BanReport, UnbanReport } from '../docker/fail2banService';
import { t } from '../l10n';

export function describeUnban(report: UnbanReport): string {
  if (report.stillBlockedBy.length > 0) {
    const removed = report.wasBanned ? `Removed ${report.address}'s own entry, but ` : '';
    const cover = describeCover(report.address, report.stillBlockedBy);
    return removed ? `${removed}${cover.charAt(0).toLowerCase()}${cover.slice(1)}` : cover;
  }
  if (!report.wasBanned) {
    const jails = report.jails.map((jail) => jail.jail).join(', ');
    return `${report.address} was not banned${jails ? ` in any jail (checked ${jails})` : ''}.`;
  }
  const from = report.jails.filter((jail) => jail.count > 0).map((jail) => (jail.count > 1 ? `${jail.jail} (${jail.count} entries)` : jail.jail));
  return `Unbanned ${report.address} from ${from.join(', ')}.`;
}

export function describeBan(report: BanReport): string {
  if (report.status === 'already-banned') return `${report.address} is already banned (DMS's custom jail refused it as a duplicate).`;
  const entries = report.count > 1 ? ` (${report.count} entries)` : '';
  return `Banned ${report.address} in the custom jail${entries}.`;
}

export function totalBanned(jails: JailBans[]): number {
  return jails.reduce((sum, jail) => sum + jail.ips.length, 0);
}

/** `setup fail2ban status` as a readable report; `takenAt`: when it was read (the report refreshes with the view). */
export function formatStatusReport(container: string, jails: JailStatus[], takenAt?: Date): string {
  const taken = takenAt ? ` — taken at ${takenAt.toLocaleTimeString()}, refreshed with the Fail2Ban view` : '';
  const lines = [`fail2ban status in ${container} (${jails.length} jail${jails.length === 1 ? '' : 's'})${taken}`, ''];
  for (const jail of jails) {
    lines.push(`[${jail.jail}]`);
    if (jail.unavailable !== undefined) {
      lines.push(`  no answer from fail2ban (${jail.unavailable}): counters unknown, not zero`, '');
      continue;
    }
    lines.push(`  currently failed: ${show(jail.currentlyFailed)}   total failed: ${show(jail.totalFailed)}`);
    lines.push(`  currently banned: ${show(jail.currentlyBanned)}   total banned: ${show(jail.totalBanned)}`);
    if (jail.journalMatches !== undefined) lines.push(`  journal matches: ${jail.journalMatches || '(none)'}`);
    else lines.push(`  log files: ${jail.fileList.length > 0 ? jail.fileList.join(' ') : '(none)'}`);
    lines.push(`  banned: ${jail.bannedIps.length > 0 ? jail.bannedIps.join(' ') : '(none)'}`);
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
