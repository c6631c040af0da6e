// "Why was this banned?" on a banned address (the tree's context menu, or a QuickPick of every banned
// address): a read-only document with fail2ban's Found/Ban lines, the matching log lines, the ban count
// and the remaining ban time; each `(<log>:<line>)` is a link that opens that place of the log.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { WhyBannedReport } from '../../../server/src/shared';
import type { BanManager } from '../bans/manager';
import type { ServerSession } from '../bans/session';
import { dockerTargetOf, loadLabApi } from './labApi';
import { OPEN_LAB_LOG_COMMAND, type OpenLogArgs } from './logDocument';

export const WHY_BANNED_COMMAND = 'dmsFail2ban.whyBanned';
export const WHY_SCHEME = 'dms-fail2ban-why';

interface Shown {
  report: WhyBannedReport;
  text: string;
  docker: ReturnType<typeof dockerTargetOf>;
}
const shown = new Map<string, Shown>();
let lastShown: WhyBannedReport | undefined;

/** For tests: the latest report shown. */
export function lastWhyBanned(): WhyBannedReport | undefined {
  return lastShown;
}

interface BannedIpNode {
  session: ServerSession;
  jail: string;
  address: string;
}

function asIpNode(value: unknown): BannedIpNode | undefined {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'ip') return undefined;
  const node = value as BannedIpNode;
  return node.session && typeof node.address === 'string' && typeof node.jail === 'string' ? node : undefined;
}

async function pickBanned(manager: BanManager): Promise<BannedIpNode | undefined> {
  const items: (vscode.QuickPickItem & { node: BannedIpNode })[] = [];
  for (const session of manager.sessions()) {
    if (session.state.kind !== 'ready') continue;
    for (const jail of session.state.jails) {
      for (const address of jail.ips) items.push({ label: address, description: `[${jail.jail}] · ${session.server.label}`, node: { session, jail: jail.jail, address } });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(t('Fail2Ban: no banned address is listed (refresh the Fail2Ban view).'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: t('Why was this address banned?'), matchOnDescription: true }))?.node;
}

export async function showWhyBanned(manager: BanManager, raw: unknown): Promise<vscode.TextEditor | undefined> {
  const node = asIpNode(raw) ?? (await pickBanned(manager));
  if (!node) return undefined;
  const resolved = await node.session.resolveContainer();
  if (!('container' in resolved)) {
    void vscode.window.showErrorMessage(t('Fail2Ban: select the mail server container first (Fail2Ban: Select Mail Server Container).'));
    return undefined;
  }
  const api = loadLabApi();
  const docker = dockerTargetOf(node.session, resolved.container);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Fail2Ban: why was {0} banned?', node.address), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return api.whyBanned({ docker, jail: node.jail, ip: node.address, env: process.env, signal: controller.signal });
    },
  );
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(`Fail2Ban: ${outcome.message}`);
    return undefined;
  }
  const uri = vscode.Uri.from({ scheme: WHY_SCHEME, path: `/${resolved.container}/${node.jail}/${node.address.replace(/[/:]/g, '_')}.txt` });
  const text = api.formatWhyBanned(outcome.report);
  shown.set(uri.toString(), { report: outcome.report, text, docker });
  lastShown = outcome.report;
  content.update(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

class WhyContent implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  update(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return shown.get(uri.toString())?.text ?? '(run "Why was this banned?" again)\n';
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const entry = shown.get(document.uri.toString());
    if (!entry) return [];
    return loadLabApi().whyBannedLinks(document.getText()).map((link) => {
      const args: OpenLogArgs = {
        docker: entry.docker,
        logPath: link.path,
        line: link.logLine,
        ...(link.path === entry.report.logPath ? { jail: entry.report.jail } : {}),
      };
      const target = vscode.Uri.parse(`command:${OPEN_LAB_LOG_COMMAND}?${encodeURIComponent(JSON.stringify([args]))}`);
      const documentLink = new vscode.DocumentLink(new vscode.Range(link.line, link.start, link.line, link.end), target);
      documentLink.tooltip = t('Open {0} at line {1}', link.path, link.logLine);
      return documentLink;
    });
  }
}

const content = new WhyContent();

export function registerWhyBanned(manager: BanManager): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(WHY_SCHEME, content),
    vscode.languages.registerDocumentLinkProvider({ scheme: WHY_SCHEME }, content),
    vscode.commands.registerCommand(WHY_BANNED_COMMAND, (node: unknown) => showWhyBanned(manager, node)),
  ];
}
