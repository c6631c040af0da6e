// Lock-out guard outside the jail report: on banned addresses in the Fail2Ban view and before "Ban…".
// The container's Docker gateway, an address of its own networks, or a private/loopback address is
// flagged with DMS's remedy: the lab's pure lockoutWarnings (server/src/shared) over the networks that
// `docker inspect` reports (read once per server and container, through the client's runner).
import * as vscode from 'vscode';
import { t } from '../l10n';
import { lockoutWarnings, parseInspectNetworks, type ContainerNetwork, type LabWarning } from '../../../server/src/shared';
import { runRuntime } from '../docker/runner';
import type { ServerSession } from '../bans/session';

/** Networks per server and container (undefined while `docker inspect` runs). */
const networksOf = new Map<string, ContainerNetwork[] | undefined>();
let onLearned: (() => void) | undefined;

async function readNetworks(session: ServerSession, container: string): Promise<ContainerNetwork[]> {
  const run = await runRuntime(session.server.target, ['inspect', '--format', '{{json .NetworkSettings.Networks}}', container], {
    timeoutMs: 15_000,
    env: process.env,
  });
  return run.exitCode === 0 ? parseInspectNetworks(run.stdout.trim()) : [];
}

function risk(address: string, networks: readonly ContainerNetwork[], container: string): LabWarning | undefined {
  return lockoutWarnings([address], networks, container)[0];
}

/**
 * For the tree (synchronous): the lock-out risk of a banned address. Private and loopback ranges are known
 * at once; the gateway and the container's own networks once `docker inspect` has answered (the tree is
 * refreshed then).
 */
export function lockoutRisk(session: ServerSession, address: string): LabWarning | undefined {
  if (session.state.kind !== 'ready') return undefined;
  const container = session.state.container;
  const key = JSON.stringify([session.server.id, container]);
  if (!networksOf.has(key)) {
    networksOf.set(key, undefined);
    void readNetworks(session, container)
      .catch(() => [])
      .then((networks) => {
        networksOf.set(key, networks);
        onLearned?.();
      });
  }
  return risk(address, networksOf.get(key) ?? [], container);
}

/** Tree item changes for a banned address at risk. */
export function decorateBannedIp(item: vscode.TreeItem, session: ServerSession, address: string): void {
  const risk = lockoutRisk(session, address);
  if (!risk) return;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('errorForeground'));
  item.description = t('LOCK-OUT RISK');
  item.tooltip = risk.message;
}

/**
 * Before a ban: an address that would lock clients out is said so, modally, with the remedy; the user
 * may ban anyway or add it to ignoreip instead. Returns whether to go on with the ban.
 */
export async function confirmBanIsSafe(session: ServerSession, container: string, address: string): Promise<boolean> {
  const found = risk(address, await readNetworks(session, container), container);
  if (!found) return true;
  const banAnyway = t('Ban Anyway');
  const neverBan = t('Never Ban This Address');
  const choice = await vscode.window.showWarningMessage(found.message, { modal: true }, banAnyway, neverBan);
  if (choice === neverBan) {
    await vscode.commands.executeCommand('dmsFail2ban.addToIgnoreIp', { kind: 'ip', session, jail: 'custom', address });
    return false;
  }
  return choice === banAnyway;
}

export function registerLockoutGuard(refreshTree: () => void): vscode.Disposable {
  onLearned = refreshTree;
  return new vscode.Disposable(() => {
    onLearned = undefined;
    networksOf.clear();
  });
}
