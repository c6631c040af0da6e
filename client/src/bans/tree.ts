// The Fail2Ban view: server/container → jails (banned counts) → banned IPs.
import * as vscode from 'vscode';
import { t } from '../l10n';
import { decorateBannedIp } from '../lab/lockoutGuard';
import { viewState, type JailView, type ServerSession, type ViewState } from './session';

export type BanNode =
  | { kind: 'server'; session: ServerSession }
  | { kind: 'jail'; session: ServerSession; jail: JailView }
  | { kind: 'ip'; session: ServerSession; jail: string; address: string }
  | { kind: 'message'; session: ServerSession; text: string; detail?: string; command?: vscode.Command; icon: string };

export class BanTreeProvider implements vscode.TreeDataProvider<BanNode> {
  private readonly changed = new vscode.EventEmitter<BanNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly sessions: () => ServerSession[]) {}

  fire(): void {
    this.changed.fire(undefined);
  }

  viewState(): ViewState {
    return viewState(this.sessions());
  }

  getChildren(node?: BanNode): BanNode[] {
    if (!node) {
      const sessions = this.sessions();
      for (const session of sessions) if (session.state.kind === 'idle') void session.refresh();
      return this.viewState() === 'ready' ? sessions.map((session) => ({ kind: 'server', session })) : [];
    }
    if (node.kind === 'server') return serverChildren(node.session);
    if (node.kind === 'jail') return node.jail.ips.map((address) => ({ kind: 'ip', session: node.session, jail: node.jail.jail, address }));
    return [];
  }

  getTreeItem(node: BanNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server':
        return serverItem(node.session);
      case 'jail': {
        const banned = node.jail.currentlyBanned ?? node.jail.ips.length;
        const item = new vscode.TreeItem(
          node.jail.jail,
          node.jail.ips.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        item.description = node.jail.totalBanned !== undefined ? t('{0} banned · {1} total', banned, node.jail.totalBanned) : t('{0} banned', banned);
        item.iconPath = new vscode.ThemeIcon('law');
        if (node.jail.unavailable !== undefined) {
          // fail2ban did not answer for it: "no bans" would be a guess
          item.description = t('no answer · list partial');
          item.iconPath = new vscode.ThemeIcon('warning');
          item.tooltip = t('fail2ban did not answer for {0} ({1}); refresh in a moment.', node.jail.jail, node.jail.unavailable);
        } else if (node.jail.unenforced) {
          item.description = t('{0} · NOT ENFORCED', String(item.description));
          item.iconPath = new vscode.ThemeIcon('warning');
          const errors = node.jail.unenforced.errors.length > 0 ? `\n${node.jail.unenforced.errors.join('\n')}` : '';
          item.tooltip = t('The firewall action {0} failed {1}× since fail2ban started: these bans are listed but not blocked.', node.jail.unenforced.action, node.jail.unenforced.failures) + errors;
        }
        item.contextValue = 'jail';
        item.id = treeId('jail', node.session.server.id, node.jail.jail);
        return item;
      }
      case 'ip': {
        const item = new vscode.TreeItem(node.address, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.tooltip = t('{0} is banned in {1}', node.address, node.jail);
        item.contextValue = 'bannedIp';
        item.id = treeId('ip', node.session.server.id, node.jail, node.address);
        decorateBannedIp(item, node.session, node.address);
        return item;
      }
      default: {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.detail ? `${node.text}\n\n${node.detail}` : node.text;
        item.command = node.command;
        item.contextValue = 'message';
        return item;
      }
    }
  }
}

/**
 * Ids VS Code requires to be unique: the parsers list each jail and address once, and the parts are JSON-encoded
 * so a '/' in a jail name or a CIDR address can never make two different nodes share an id.
 */
export function treeId(...parts: string[]): string {
  return JSON.stringify(parts);
}

function serverItem(session: ServerSession): vscode.TreeItem {
  const state = session.state;
  const container = state.kind === 'ready' || state.kind === 'failed' || state.kind === 'loading' ? state.container : undefined;
  const item = new vscode.TreeItem(container ?? session.server.label, vscode.TreeItemCollapsibleState.Expanded);
  const where = session.server.target.context ?? session.server.target.host ?? session.server.target.runtime;
  item.description =
    state.kind === 'loading'
      ? `${where} · ${t('loading…')}`
      : state.kind === 'ready'
        ? `${where} · ${t('{0} banned', state.jails.reduce((sum, jail) => sum + (jail.currentlyBanned ?? jail.ips.length), 0))}`
        : where;
  item.iconPath = new vscode.ThemeIcon(state.kind === 'failed' ? 'warning' : 'server');
  item.tooltip = state.kind === 'ready' ? t('{0}: {1}, updated {2}', session.server.label, state.container, state.updated.toLocaleTimeString()) : session.server.label;
  item.contextValue = 'server';
  item.id = treeId('server', session.server.id);
  return item;
}

function serverChildren(session: ServerSession): BanNode[] {
  const state = session.state;
  switch (state.kind) {
    case 'ready': {
      const nodes: BanNode[] = state.jails.map((jail) => ({ kind: 'jail', session, jail }));
      if (nodes.length === 0) nodes.push({ kind: 'message', session, text: t('No jails reported'), icon: 'info' });
      if (state.enforcement) {
        const serverArg = [{ kind: 'server', session }];
        nodes.push({ kind: 'message', session, text: state.enforcement, icon: 'shield', command: { command: 'dmsFail2ban.showLog', title: t('Show Log'), arguments: serverArg } });
      }
      for (const note of state.notes) nodes.push({ kind: 'message', session, text: note, icon: note.startsWith('Partial list') ? 'warning' : 'info' });
      return nodes;
    }
    case 'failed': {
      // Clicking the message does the most useful thing the failure suggests ("Fail2ban not running": its log).
      const serverArg = [{ kind: 'server', session }];
      const command: vscode.Command = state.failure.actions.includes('start-container')
        ? { command: 'dmsFail2ban.startContainer', title: t('Start Mail Server Container…'), arguments: serverArg }
        : state.failure.actions.includes('select-container')
        ? { command: 'dmsFail2ban.selectContainer', title: t('Select Mail Server Container'), arguments: serverArg }
        : state.failure.actions.includes('show-log')
          ? { command: 'dmsFail2ban.showLog', title: t('Show Log'), arguments: serverArg }
          : { command: 'dmsFail2ban.showOutput', title: t('Show Output') };
      return [{ kind: 'message', session, text: state.failure.message, detail: state.failure.detail, command, icon: 'error' }];
    }
    case 'no-container':
      return [
        {
          kind: 'message',
          session,
          text: state.candidates.length > 1 ? t('Several mail servers found: select one') : t('No docker-mailserver container found: select one'),
          command: { command: 'dmsFail2ban.selectContainer', title: t('Select Mail Server Container'), arguments: [{ kind: 'server', session }] },
          icon: 'search',
        },
      ];
    default:
      return [{ kind: 'message', session, text: t('Loading…'), icon: 'loading~spin' }];
  }
}
