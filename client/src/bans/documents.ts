// Read-only virtual documents (log, status, effective configuration): no "save?" prompt, no file on disk.
import * as vscode from 'vscode';

export const SCHEME = 'dms-fail2ban';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows `text` under a stable name (reusing the tab), optionally scrolled to the end. */
  async show(name: string, text: string, options: { languageId?: string; scrollToEnd?: boolean } = {}): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (options.languageId && document.languageId !== options.languageId) {
      document = await vscode.languages.setTextDocumentLanguage(document, options.languageId);
    }
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    if (options.scrollToEnd) {
      const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
      editor.selection = new vscode.Selection(end, end);
      editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
    }
    return editor;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
