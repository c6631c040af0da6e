// Human-readable texts for the ban commands (pure, unit-tested).
import type { JailBans, JailStatus } from '../docker/dmsOutput';
import type { BanReport, UnbanReport } from '../docker/fail2banService';

export function describeUnban(report: UnbanReport): string {
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

/** `setup fail2ban status` as a readable report. */
export function formatStatusReport(container: string, jails: JailStatus[]): string {
  const lines = [`fail2ban status in ${container} (${jails.length} jail${jails.length === 1 ? '' : 's'})`, ''];
  for (const jail of jails) {
    lines.push(`[${jail.jail}]`);
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
