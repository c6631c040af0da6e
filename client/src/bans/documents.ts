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

  uriOf(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: `/${name}` });
  }

  /** True while a tab (or an extension) still holds the document `name`. */
  isOpen(name: string): boolean {
    const uri = this.uriOf(name).toString();
    return vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri && !document.isClosed);
  }

  /** Replaces the text of an open document without showing it again (the editor keeps its scroll position). */
  update(name: string, text: string): void {
    const uri = this.uriOf(name);
    if (this.contents.get(uri.toString()) === text) return;
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  /** Shows `text` under a stable name (reusing the tab), optionally scrolled to the end. */
  async show(name: string, text: string, options: { languageId?: string; scrollToEnd?: boolean } = {}): Promise<vscode.TextEditor> {
    const uri = this.uriOf(name);
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
