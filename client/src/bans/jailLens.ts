// "banned now" CodeLens above each jail section, from the Fail2Ban view's last refresh (never a docker call of
// its own), with the ban actions next to it. The language server adds the jail's run state above the same line.
import * as vscode from 'vscode';
import { t } from '../l10n';
import { bannedNow } from './bannedNow';
import type { BanManager } from './manager';

const NOT_JAILS = /^(DEFAULT|INCLUDES|Definition|Init)$/;

export class BannedNowLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly manager: BanManager) {
    this.onDidChangeCodeLenses = manager.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme === 'dms-fail2ban') return [];
    const states = this.manager.sessions().map((session) => ({ session, state: session.state }));
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const jail = /^\[([^\]\n]+)\]/.exec(document.lineAt(line).text)?.[1];
      if (!jail || NOT_JAILS.test(jail)) continue;
      const found = bannedNow(jail, states.map((entry) => entry.state));
      if (!found) continue;
      const session = states[found.index].session;
      const range = new vscode.Range(line, 0, line, 0);
      const serverNode = { kind: 'server', session };
      lenses.push(
        new vscode.CodeLens(range, {
          title: found.count === 1 ? t('$(circle-slash) 1 banned now in {0}', found.container) : t('$(circle-slash) {0} banned now in {1}', found.count, found.container),
          tooltip: t('From the Fail2Ban view (updated {0}); click to list the banned addresses', found.updated.toLocaleTimeString()),
          command: 'dmsFail2ban.listBanned',
          arguments: [serverNode],
        }),
        new vscode.CodeLens(range, { title: t('Ban IP…'), command: 'dmsFail2ban.ban', arguments: [serverNode] }),
      );
    }
    return lenses;
  }
}

export function registerBannedNowLens(manager: BanManager): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: 'fail2ban' }, new BannedNowLensProvider(manager));
}
