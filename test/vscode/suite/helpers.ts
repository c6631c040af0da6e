// Helpers for the extension-host suite: fixture files, waiting for the language server, the stand-in docker,
// and stubbing the prompts the extension shows (the suite shares the extension's `vscode` API object because
// its bundle lives inside the extension folder, so replacing `vscode.window.showQuickPick` reaches the extension).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dms-fail2ban.dms-fail2ban';
/** Where the fixture workspace keeps the DMS config volume (as in DMS's compose.yaml). */
export const CONFIG_DIR = 'docker-data/dms/config';
/** The stand-in container the runner starts (test/vscode/runner/standin.ts). */
export const CONTAINER = process.env.DMS_VSCODE_CONTAINER ?? 'mailserver';

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The suite needs the fixture workspace folder open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Writes a file into the workspace (the runner gives every run its own copy of the fixture workspace). */
export async function writeWorkspaceFile(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls until `probe` returns a value other than undefined; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(150);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Reverts `document` to its file and waits until VS Code no longer calls it dirty. The revert command acts on the
 * active editor: shown first, so that a loaded machine's focus changes cannot leave a fixture edited for later tests
 * (a CI run beside a CPU-heavy job once saw a jail added by one test in another test's CodeLenses).
 */
export async function revertDocument(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`${document.uri.path} reverted`, () => (document.isDirty ? undefined : true));
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function severityName(severity: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'information', 'hint'][severity];
}

/** "code:severity@line" per diagnostic, sorted — one readable string to compare. */
export function describeDiagnostics(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .map((d) => `${diagnosticCode(d)}:${severityName(d.severity)}@${d.range.start.line + 1}`)
    .sort();
}

/** Waits until the language server has published diagnostics for `uri` that satisfy `accept`. */
export function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics (${what}) for ${uri.path}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return accept(diagnostics) ? diagnostics : undefined;
  });
}

export function lineOf(document: vscode.TextDocument, text: string): number {
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.includes(text)) return line;
  throw new Error(`'${text}' not found in ${document.uri.path}`);
}

export function positionAfter(document: vscode.TextDocument, text: string): vscode.Position {
  const line = lineOf(document, text);
  return new vscode.Position(line, document.lineAt(line).text.indexOf(text) + text.length);
}

/** Runs the stand-in `docker` (first on the PATH the runner gave VS Code) without a shell. */
export function docker(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile('docker', args, { env: process.env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`docker ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else done(stdout);
    });
  });
}

/** Banned addresses per jail, as DMS's `setup fail2ban` prints them ("Banned in <jail>: <ips>"). */
export async function bannedInContainer(): Promise<Map<string, string[]>> {
  const output = await docker(['exec', CONTAINER, 'setup', 'fail2ban']);
  const banned = new Map<string, string[]>();
  for (const match of output.matchAll(/^Banned in (\S+): (.*)$/gm)) banned.set(match[1], match[2].split(/[\s,]+/).filter(Boolean));
  return banned;
}

export async function isBanned(address: string): Promise<boolean> {
  return [...(await bannedInContainer()).values()].some((ips) => ips.includes(address));
}

/** Host path of a file inside the stand-in container (read from the stand-in's state file). */
export function containerFile(containerPath: string): string {
  const stateFile = process.env.DMS_STANDIN_STATE;
  if (!stateFile) throw new Error('DMS_STANDIN_STATE is not set: the runner must start the stand-in docker first');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { containers: { name: string; rootDir: string }[] };
  const container = state.containers.find((c) => c.name === CONTAINER);
  if (!container) throw new Error(`No stand-in container '${CONTAINER}'`);
  return join(container.rootDir, resolve('/', containerPath));
}

type WindowPrompts = Pick<
  typeof vscode.window,
  'showQuickPick' | 'showInputBox' | 'showWarningMessage' | 'showInformationMessage' | 'showErrorMessage'
>;
export type PromptName = keyof WindowPrompts;

/** One recorded prompt: which function, its message/placeholder, and the items offered. */
export interface PromptCall {
  name: PromptName;
  args: unknown[];
}

/**
 * Replaces the window prompts with scripted answers for one test. `answers[name]` is a queue of functions
 * that receive the prompt's arguments and return the answer; a prompt without a queued answer is cancelled
 * (returns undefined), as if the user pressed Escape. Returns the calls made and a restore function.
 */
export function scriptPrompts(answers: Partial<Record<PromptName, Array<(...args: unknown[]) => unknown>>>): {
  calls: PromptCall[];
  restore(): void;
} {
  const window = vscode.window as unknown as Record<PromptName, unknown>;
  const names: PromptName[] = ['showQuickPick', 'showInputBox', 'showWarningMessage', 'showInformationMessage', 'showErrorMessage'];
  const originals = new Map(names.map((name) => [name, window[name]]));
  const calls: PromptCall[] = [];
  for (const name of names) {
    window[name] = async (...args: unknown[]) => {
      calls.push({ name, args });
      const answer = answers[name]?.shift();
      // Quick picks may receive a Thenable of items.
      const resolved = await Promise.all(args.map((arg) => (arg instanceof Promise ? arg : Promise.resolve(arg))));
      return answer ? answer(...resolved) : undefined;
    };
  }
  return {
    calls,
    restore: () => {
      for (const [name, original] of originals) window[name] = original;
    },
  };
}

/** The text of the active editor once it shows a document of `scheme` (virtual documents such as the log). */
export function activeTextOf(scheme: string): Promise<string> {
  return waitFor(`an editor with a ${scheme}: document`, () => {
    const document = vscode.window.activeTextEditor?.document;
    return document?.uri.scheme === scheme ? document.getText() : undefined;
  });
}

export interface ExtensionApi {
  serverStates(): Array<{ label: string; state: { kind: string; container?: string; jails?: { jail: string; ips: string[] }[] } }>;
  refresh(): Promise<void>;
  startLanguageClient(): Promise<unknown>;
  /** The live context status bar text ('' before the language server runs). */
  contextStatusText(): string;
}

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return extension.activate();
}

/** The ready state's jails → banned addresses, after a refresh. */
export async function treeBans(api: ExtensionApi): Promise<Map<string, string[]>> {
  await api.refresh();
  const state = api.serverStates()[0]?.state;
  if (state?.kind !== 'ready' || !state.jails) throw new Error(`Fail2Ban view is not ready: ${JSON.stringify(state)}`);
  return new Map(state.jails.map((jail) => [jail.jail, jail.ips]));
}

/**
 * Replaces `vscode.window.createQuickPick` for one prompt: the next quick pick the extension creates is a
 * scripted stand-in that, when shown, types `typed` (firing onDidChangeValue like a user would) and accepts
 * the item whose label equals it, or the typed value when no item matches. Returns the items it was offered.
 */
export function scriptCreateQuickPick(typed: string): { offered: () => string[]; restore(): void } {
  const window = vscode.window as unknown as { createQuickPick: typeof vscode.window.createQuickPick };
  const original = window.createQuickPick;
  let offeredLabels: string[] = [];
  window.createQuickPick = <T extends vscode.QuickPickItem>() => {
    window.createQuickPick = original;
    const changeValue = new vscode.EventEmitter<string>();
    const accept = new vscode.EventEmitter<void>();
    const hide = new vscode.EventEmitter<void>();
    const fake = {
      items: [] as readonly T[],
      selectedItems: [] as readonly T[],
      activeItems: [] as readonly T[],
      value: '',
      placeholder: undefined as string | undefined,
      title: undefined as string | undefined,
      onDidChangeValue: changeValue.event,
      onDidAccept: accept.event,
      onDidHide: hide.event,
      onDidChangeSelection: new vscode.EventEmitter<readonly T[]>().event,
      onDidChangeActive: new vscode.EventEmitter<readonly T[]>().event,
      onDidTriggerButton: new vscode.EventEmitter<vscode.QuickInputButton>().event,
      onDidTriggerItemButton: new vscode.EventEmitter<vscode.QuickPickItemButtonEvent<T>>().event,
      show() {
        offeredLabels = fake.items.map((item) => item.label);
        setTimeout(() => {
          fake.value = typed;
          changeValue.fire(typed);
          fake.selectedItems = fake.items.filter((item) => item.label === typed);
          accept.fire();
        }, 0);
      },
      hide() {
        hide.fire();
      },
      dispose() {
        changeValue.dispose();
        accept.dispose();
        hide.dispose();
      },
    };
    return fake as unknown as vscode.QuickPick<T>;
  };
  return { offered: () => offeredLabels, restore: () => (window.createQuickPick = original) };
}
