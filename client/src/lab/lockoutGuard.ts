// Lock-out guard outside the jail report: on banned addresses in the Fail2Ban view and before "Ban…".
// The container's Docker gateway, an address of its own networks, or a private/loopback address is
// flagged with DMS's remedy (the lab's lockoutWarnings, with the networks `docker inspect` reports).
import * as vscode from 'vscode';
import type { LabWarning } from '../../../server/src/shared';
import type { ServerSession } from '../bans/session';
import { dockerTargetOf, loadLabApi } from './labApi';

/** What the guard knows per server, container and address (null: checked, no risk). */
const known = new Map<string, LabWarning | null>();
const pending = new Set<string>();
let onLearned: (() => void) | undefined;

function key(session: ServerSession, container: string, address: string): string {
  return JSON.stringify([session.server.id, container, address]);
}

async function check(session: ServerSession, container: string, addresses: string[]): Promise<void> {
  const warnings = await loadLabApi().lockoutCheck(dockerTargetOf(session, container), addresses, process.env);
  for (const address of addresses) known.set(key(session, container, address), warnings.find((w) => w.ip === address) ?? null);
}

/**
 * For the tree (synchronous): the lock-out risk of a banned address once known; the first call starts a
 * check of every address of that server and refreshes the tree when it has the answer.
 */
export function lockoutRisk(session: ServerSession, address: string): LabWarning | undefined {
  if (session.state.kind !== 'ready') return undefined;
  const container = session.state.container;
  const found = known.get(key(session, container, address));
  if (found !== undefined) return found ?? undefined;
  const batch = JSON.stringify([session.server.id, container]);
  if (!pending.has(batch)) {
    pending.add(batch);
    const addresses = [...new Set(session.state.jails.flatMap((jail) => jail.ips))];
    void check(session, container, addresses)
      .catch(() => undefined)
      .finally(() => {
        pending.delete(batch);
        if (addresses.some((a) => known.has(key(session, container, a)))) onLearned?.();
      });
  }
  return undefined;
}

/** Tree item changes for a banned address at risk. */
export function decorateBannedIp(item: vscode.TreeItem, session: ServerSession, address: string): void {
  const risk = lockoutRisk(session, address);
  if (!risk) return;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('errorForeground'));
  item.description = 'LOCK-OUT RISK';
  item.tooltip = risk.message;
}

/**
 * Before a ban: an address that would lock clients out is said so, modally, with the remedy; the user
 * may ban anyway or add it to ignoreip instead. Returns whether to go on with the ban.
 */
export async function confirmBanIsSafe(session: ServerSession, container: string, address: string): Promise<boolean> {
  const warnings = await loadLabApi().lockoutCheck(dockerTargetOf(session, container), [address], process.env);
  const risk = warnings.find((warning) => warning.ip === address);
  if (!risk) return true;
  known.set(key(session, container, address), risk);
  const choice = await vscode.window.showWarningMessage(risk.message, { modal: true }, 'Ban Anyway', 'Never Ban This Address');
  if (choice === 'Never Ban This Address') {
    await vscode.commands.executeCommand('dmsFail2ban.addToIgnoreIp', { kind: 'ip', session, jail: 'custom', address });
    return false;
  }
  return choice === 'Ban Anyway';
}

export function registerLockoutGuard(refreshTree: () => void): vscode.Disposable {
  onLearned = refreshTree;
  return new vscode.Disposable(() => {
    onLearned = undefined;
    known.clear();
  });
}
