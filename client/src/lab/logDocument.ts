// The jail lab's read-only log document: a window of a container log (`dms-fail2ban-log:` URIs, content
// from the lab's LogView), matched lines highlighted, and a hover that names the failregex that matched
// (as the real fail2ban-regex reported it). Also the target of "Why was this banned?"'s links.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { DockerTarget, LogView } from '../../../server/src/shared';
import type { JailSource } from './jailLab';
import { loadLabApi } from './labApi';

export const LOG_SCHEME = 'dms-fail2ban-log';
export const OPEN_LAB_LOG_COMMAND = 'dmsFail2ban.openLabLog';
/** Lines shown before the line a link points to. */
const CONTEXT_BEFORE = 50;

const views = new Map<string, LogView>();
const changed = new vscode.EventEmitter<vscode.Uri>();

const matchedLine = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
  overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.errorForeground'),
  overviewRulerLane: vscode.OverviewRulerLane.Right,
});
const targetLine = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  border: '1px solid',
  borderColor: new vscode.ThemeColor('focusBorder'),
});

function uriFor(view: LogView): vscode.Uri {
  const query = new URLSearchParams({ from: String(view.firstLine), ...(view.jail ? { jail: view.jail } : {}) }).toString();
  return vscode.Uri.from({ scheme: LOG_SCHEME, authority: view.container, path: view.logPath, query });
}

/** The view shown in a document (tests read it). */
export function logViewOf(uri: vscode.Uri): LogView | undefined {
  return views.get(uri.toString());
}

function decorate(editor: vscode.TextEditor): void {
  const view = views.get(editor.document.uri.toString());
  if (!view) return;
  editor.setDecorations(matchedLine, view.matches.map((match) => new vscode.Range(match.index, 0, match.index, 0)));
}

export interface OpenLogArgs {
  docker: DockerTarget;
  logPath: string;
  /** The jail whose filter marks the matches; none for fail2ban's own log. */
  jail?: string;
  /** Line (1-based) to show and mark. */
  line?: number;
  /** Start near the first line mentioning this address. */
  nearAddress?: string;
  source?: Pick<JailSource, 'text' | 'kind' | 'fail2banVersion' | 'dmsVersion'>;
}

export async function openLabLog(args: OpenLogArgs): Promise<vscode.TextEditor | undefined> {
  const api = loadLabApi();
  const fromLine = args.line ? Math.max(1, args.line - CONTEXT_BEFORE) : 1;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Fail2Ban: reading {0} in {1}…', args.logPath, args.docker.container) },
    () => api.logViewOnText({
      text: args.source?.text ?? '', kind: args.source?.kind ?? 'dms-jail',
      ...(args.source ? { fail2banVersion: args.source.fail2banVersion, dmsVersion: args.source.dmsVersion } : {}),
      jail: args.jail ?? '', docker: args.docker, logPath: args.logPath, fromLine, ...(args.nearAddress ? { nearAddress: args.nearAddress } : {}), env: process.env,
    }),
  );
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(`Fail2Ban: ${outcome.message}`);
    return undefined;
  }
  const uri = uriFor(outcome.view);
  views.set(uri.toString(), outcome.view);
  changed.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const target = args.line ? Math.min(document.lineCount - 1, args.line - fromLine) : 0;
  const editor = await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(target, 0, target, 0) });
  decorate(editor);
  if (args.line) editor.setDecorations(targetLine, [new vscode.Range(target, 0, target, 0)]);
  editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.InCenter);
  return editor;
}

class LogContent implements vscode.TextDocumentContentProvider, vscode.HoverProvider {
  readonly onDidChange = changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const view = views.get(uri.toString());
    return view ? `${view.lines.join('\n')}\n` : '(this log view is gone; open it again from the jail report)\n';
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const view = views.get(document.uri.toString());
    const match = view?.matches.find((candidate) => candidate.index === position.line);
    if (!view || !match) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**Failure of ${match.ip}** — matched failregex #${match.regex} of [${view.jail}] (the real fail2ban-regex in ${view.container}):\n\n`);
    markdown.appendCodeblock(view.regexes[match.regex - 1] ?? '?', 'text');
    markdown.appendMarkdown(`\n\n${view.logPath} line ${view.firstLine + match.index}`);
    return new vscode.Hover(markdown, document.lineAt(position.line).range);
  }
}

export function registerLabLog(): vscode.Disposable[] {
  const content = new LogContent();
  return [
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, content),
    vscode.languages.registerHoverProvider({ scheme: LOG_SCHEME }, content),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(decorate)),
    vscode.commands.registerCommand(OPEN_LAB_LOG_COMMAND, (args: OpenLogArgs) => openLabLog(args)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === LOG_SCHEME) views.delete(document.uri.toString());
    }),
  ];
}
