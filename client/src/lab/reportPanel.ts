// The jail lab report: a webview (strict CSP with a nonce, theme colours via CSS variables, keyboard
// usable) with the summary, the warnings (lock-out guard first), a sortable per-IP table with actions
// (unban, never ban, copy — the existing commands) and a timeline drawn by uPlot (bundled into
// dist/labWebview.js). The webview reports back what it rendered, which the tests read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JailTestReport } from '../../../server/src/shared';
import type { ServerSession } from '../bans/session';
import type { JailSource } from './jailLab';
import { t } from '../l10n';
import { dockerTargetOf } from './labApi';
import { openLabLog } from './logDocument';
import { reportHtml } from './reportHtml';

/** What the webview says it drew (posted after rendering). */
export interface RenderedReport {
  rows: number;
  chartDrawn: boolean;
  chartSeries: number;
  warnings: number;
}

interface PanelRecord {
  panel: vscode.WebviewPanel;
  report: JailTestReport;
  rendered?: RenderedReport;
}

let lastPanel: PanelRecord | undefined;
const renderWaiters: Array<(rendered: RenderedReport) => void> = [];

/** For tests: the latest report panel and what its webview rendered (waits for it). */
export function lastReportRendered(): Promise<{ title: string; report: JailTestReport; rendered: RenderedReport } | undefined> {
  const record = lastPanel;
  if (!record) return Promise.resolve(undefined);
  if (record.rendered) return Promise.resolve({ title: record.panel.title, report: record.report, rendered: record.rendered });
  return new Promise((resolve) => renderWaiters.push((rendered) => resolve({ title: record.panel.title, report: record.report, rendered })));
}

export function showJailReport(report: JailTestReport, source: JailSource, session: ServerSession | undefined): vscode.WebviewPanel {
  const sourceLabel = source.label;
  const distDir = __dirname;
  const panel = vscode.window.createWebviewPanel(
    'dmsFail2ban.jailReport',
    t('Jail test: [{0}]', report.jail),
    vscode.ViewColumn.Active,
    { enableScripts: true, localResourceRoots: [vscode.Uri.file(distDir)], retainContextWhenHidden: false },
  );
  const record: PanelRecord = { panel, report };
  lastPanel = record;
  const webview = panel.webview;
  webview.html = reportHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.file(path.join(distDir, 'labWebview.js'))).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.file(path.join(distDir, 'labWebview.css'))).toString(),
    language: vscode.env.language,
  }, report, sourceLabel, session !== undefined);
  const known = new Set(report.ips.map((ip) => ip.ip));
  panel.webview.onDidReceiveMessage(async (message: { type?: string; ip?: string } & Partial<RenderedReport>) => {
    if (message.type === 'rendered') {
      record.rendered = { rows: Number(message.rows), chartDrawn: Boolean(message.chartDrawn), chartSeries: Number(message.chartSeries), warnings: Number(message.warnings) };
      if (lastPanel === record) for (const waiter of renderWaiters.splice(0)) waiter(record.rendered);
      return;
    }
    if (message.type === 'openLog') {
      if (report.source.where !== 'container' || report.source.uploaded || !report.source.container) return;
      const docker = session ? dockerTargetOf(session, report.source.container) : { runtime: 'docker', container: report.source.container };
      await openLabLog({ docker, logPath: report.source.logPath, jail: report.jail, source, ...(report.wouldBan[0] ?? report.ips[0]?.ip ? { nearAddress: report.wouldBan[0] ?? report.ips[0].ip } : {}) });
      return;
    }
    // only addresses of this report reach the commands (the commands validate them again)
    const ip = message.ip;
    if (!ip || !known.has(ip)) return;
    const node = { kind: 'ip', session, jail: report.jail, address: ip };
    switch (message.type) {
      case 'unban':
        if (session) await vscode.commands.executeCommand('dmsFail2ban.unban', node);
        break;
      case 'ignore':
        await vscode.commands.executeCommand('dmsFail2ban.addToIgnoreIp', node);
        break;
      case 'copy':
        await vscode.commands.executeCommand('dmsFail2ban.copyAddress', node);
        break;
    }
  });
  return panel;
}

