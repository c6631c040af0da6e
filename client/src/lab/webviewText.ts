// The jail-lab webview's texts (client/src/lab/webview/main.ts), translated here in the extension host: the
// browser bundle has no vscode.l10n, so the page gets this table with its data, keyed by the English text, and
// fills {0}, {1}… itself. test/unit/l10n/l10n.test.ts checks that every text main.ts translates has its entry here.
import { t } from '../l10n';

export function labWebviewText(): Record<string, string> {
  return {
    // the report: summary, table, actions, timeline
    lines: t('lines'),
    matched: t('matched'),
    ignored: t('ignored'),
    missed: t('missed'),
    failures: t('failures'),
    addresses: t('addresses'),
    'would ban': t('would ban'),
    'ignoreip: {0}': t('ignoreip: {0}'),
    'fail2ban banned': t('fail2ban banned'),
    '"fail2ban banned": Ban lines of [{0}] in {1} while this log was written.': t('"fail2ban banned": Ban lines of [{0}] in {1} while this log was written.'),
    'Open the log with matched lines highlighted': t('Open the log with matched lines highlighted'),
    Address: t('Address'),
    Failures: t('Failures'),
    First: t('First'),
    Last: t('Last'),
    'Would ban': t('Would ban'),
    Actions: t('Actions'),
    'no — ignoreip {0}': t('no — ignoreip {0}'),
    'yes, at {0}': t('yes, at {0}'),
    'yes, at {0} ({1}×)': t('yes, at {0} ({1}×)'),
    no: t('no'),
    Unban: t('Unban'),
    'Never ban': t('Never ban'),
    'Add to ignoreip:': t('Add to ignoreip:'),
    Copy: t('Copy'),
    'No failures to draw.': t('No failures to draw.'),
    'time (container local)': t('time (container local)'),
    'would-be bans': t('would-be bans'),
    'Some missed lines ({0} in all)': t('Some missed lines ({0} in all)'),
    // the ban activity
    'Ban activity in {0}': t('Ban activity in {0}'),
    "{0} bans and {1} unbans from {2} to {3} (slots of {4} min; {5} lines of fail2ban's log)": t("{0} bans and {1} unbans from {2} to {3} (slots of {4} min; {5} lines of fail2ban's log)"),
    "No bans in fail2ban's log ({0} lines).": t("No bans in fail2ban's log ({0} lines)."),
    'bans [{0}]': t('bans [{0}]'),
    'unbans (all jails)': t('unbans (all jails)'),
    'bans per slot': t('bans per slot'),
    'No bans to draw.': t('No bans to draw.'),
    Bans: t('Bans'),
    'Found lines': t('Found lines'),
    Jails: t('Jails'),
    Network: t('Network'),
    Addresses: t('Addresses'),
  };
}
