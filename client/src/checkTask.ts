// The `dms-fail2ban` task type: "check-workspace" checks every fail2ban file of the workspace with the language
// server's engine and prints one line per problem, which the `$dms-fail2ban` problem matcher turns into Problems
// entries — the whole workspace, without opening the files. It runs in the extension host (CustomExecution), so
// the VSIX needs no CLI. The matcher reads the terminal output asynchronously (microsoft/vscode#92868): the
// terminal is closed a moment after the last line so no problem is lost.
import * as vscode from 'vscode';
import { detectFileKind, type EngineDiagnostic, type FileKind } from '../../server/src/shared';
import type { CheckText } from './configValidator';
import { readValidatorSettings } from './settings';
import { formatProblemLine, WORKSPACE_FILE_GLOBS } from './checkTaskText';
import { t } from './l10n';

export const TASK_TYPE = 'dms-fail2ban';
export const CHECK_WORKSPACE = 'check-workspace';
/** Not translated: "Fail2Ban: check workspace" is how tasks.json, keybindings and the walkthrough name it. */
const CHECK_WORKSPACE_NAME = 'check workspace';
/** Grace before closing the terminal, so the problem matcher has read every line (microsoft/vscode#92868). */
const CLOSE_GRACE_MS = 200;

async function workspaceFiles(): Promise<vscode.Uri[]> {
  const found = await Promise.all(WORKSPACE_FILE_GLOBS.map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 500)));
  const unique = new Map(found.flat().map((uri) => [uri.toString(), uri]));
  return [...unique.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

class CheckTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(private readonly check: CheckText) {}

  open(): void {
    void this.run();
  }

  close(): void {
    // nothing runs in the background: each file is one request to the language server
  }

  private line(text: string): void {
    this.written.fire(`${text}\r\n`);
  }

  private async run(): Promise<void> {
    let problems = 0;
    let errors = 0;
    try {
      const files = await workspaceFiles();
      for (const uri of files) {
        const kind: FileKind = detectFileKind(uri.path) ?? 'jail';
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const config = vscode.workspace.getConfiguration('dmsFail2ban', uri);
        const settings = readValidatorSettings((key) => config.get(key));
        const diagnostics: EngineDiagnostic[] = (await this.check({ text, kind, ...settings })).diagnostics;
        for (const diagnostic of diagnostics) {
          this.line(formatProblemLine(uri.fsPath, diagnostic));
          problems++;
          if (diagnostic.severity === 'error') errors++;
        }
      }
      this.line(t('{0} fail2ban file(s) checked: {1} problem(s), {2} error(s).', files.length, problems, errors));
    } catch (error) {
      this.line(t('The check could not run: {0}', error instanceof Error ? error.message : String(error)));
      errors = 1;
    }
    setTimeout(() => this.closed.fire(errors > 0 ? 1 : 0), CLOSE_GRACE_MS);
  }
}

function checkWorkspaceTask(check: CheckText, definition: vscode.TaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, name: string): vscode.Task {
  const task = new vscode.Task(definition, scope, name, 'Fail2Ban', new vscode.CustomExecution(async () => new CheckTerminal(check)), '$dms-fail2ban');
  task.group = vscode.TaskGroup.Build;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  return task;
}

/** `check` sends the text to the language server (request dmsFail2ban/checkText). */
export function registerCheckTask(check: CheckText): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () => [checkWorkspaceTask(check, { type: TASK_TYPE, task: CHECK_WORKSPACE }, vscode.TaskScope.Workspace, CHECK_WORKSPACE_NAME)],
    resolveTask: (task) =>
      (task.definition as { task?: string }).task === CHECK_WORKSPACE ? checkWorkspaceTask(check, task.definition, task.scope ?? vscode.TaskScope.Workspace, task.name) : undefined,
  });
}
