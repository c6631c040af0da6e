// Ban activity: bans and unbans per jail over time and the most banned addresses/networks, from
// fail2ban's own log, drawn by the jail report's webview bundle (uPlot). Refreshes with the Fail2Ban view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { BanActivity } from '../../../server/src/shared';
import type { BanManager } from '../bans/manager';
import type { ServerSession } from '../bans/session';
import { dockerTargetOf, loadLabApi } from './labApi';
import type { RenderedReport } from './reportPanel';
import { activityHtml } from './reportHtml';

export const BAN_ACTIVITY_COMMAND = 'dmsFail2ban.showBanActivity';

interface ActivityPanel {
  panel: vscode.WebviewPanel;
  activity: BanActivity;
  rendered?: RenderedReport & { updates: number };
}
let current: ActivityPanel | undefined;
const waiters: Array<() => void> = [];

/** For tests: the open activity panel, what it shows and what the webview drew (after `updates` renders). */
export async function activityRendered(minUpdates = 1): Promise<{ activity: BanActivity; rendered: RenderedReport & { updates: number } } | undefined> {
  for (;;) {
    const panel = current;
    if (!panel) return undefined;
    if (panel.rendered && panel.rendered.updates >= minUpdates) return { activity: panel.activity, rendered: panel.rendered };
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

async function read(session: ServerSession): Promise<{ activity: BanActivity; container: string } | string> {
  const resolved = await session.resolveContainer();
  if (!('container' in resolved)) return t('select the mail server container first (Fail2Ban: Select Mail Server Container).');
  const read = await loadLabApi().readBanActivity(dockerTargetOf(session, resolved.container), process.env);
  return read ? { activity: read.activity, container: resolved.container } : t("fail2ban's log could not be read in {0}.", resolved.container);
}

export async function showBanActivity(manager: BanManager, raw: unknown): Promise<void> {
  const fromNode = typeof raw === 'object' && raw !== null && 'session' in raw ? (raw as { session: ServerSession }).session : undefined;
  const session = fromNode ?? manager.sessions()[0];
  if (!session) return void vscode.window.showErrorMessage(t('Fail2Ban: no mail server is configured; see the Fail2Ban view.'));
  const first = await read(session);
  if (typeof first === 'string') return void vscode.window.showErrorMessage(`Fail2Ban: ${first}`);
  current?.panel.dispose();
  const distDir = __dirname;
  const panel = vscode.window.createWebviewPanel('dmsFail2ban.banActivity', t('Ban activity: {0}', first.container), vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.file(distDir)],
  });
  const record: ActivityPanel = { panel, activity: first.activity };
  current = record;
  panel.webview.html = activityHtml({
    cspSource: panel.webview.cspSource,
    scriptUri: panel.webview.asWebviewUri(vscode.Uri.file(path.join(distDir, 'labWebview.js'))).toString(),
    styleUri: panel.webview.asWebviewUri(vscode.Uri.file(path.join(distDir, 'labWebview.css'))).toString(),
    language: vscode.env.language,
  }, first.activity, first.container);
  let reading = false;
  const subscriptions = [
    panel.webview.onDidReceiveMessage((message: Partial<RenderedReport> & { type?: string }) => {
      if (message.type !== 'rendered') return;
      record.rendered = { rows: Number(message.rows), chartDrawn: Boolean(message.chartDrawn), chartSeries: Number(message.chartSeries), warnings: 0, updates: (record.rendered?.updates ?? 0) + 1 };
      for (const waiter of waiters.splice(0)) waiter();
    }),
    // the tree refreshed (auto-refresh, a ban, an unban): read the log again
    manager.tree.onDidChangeTreeData(async () => {
      if (reading || session.state.kind !== 'ready') return;
      reading = true;
      try {
        const again = await read(session);
        if (typeof again === 'string' || current !== record) return;
        record.activity = again.activity;
        await panel.webview.postMessage({ type: 'activity', activity: again.activity, container: again.container });
      } finally {
        reading = false;
      }
    }),
  ];
  panel.onDidDispose(() => {
    subscriptions.forEach((subscription) => subscription.dispose());
    if (current === record) current = undefined;
    for (const waiter of waiters.splice(0)) waiter();
  });
}

export function registerBanActivity(manager: BanManager): vscode.Disposable[] {
  return [vscode.commands.registerCommand(BAN_ACTIVITY_COMMAND, (node: unknown) => showBanActivity(manager, node))];
}
