// Jail lab in VS Code: "Fail2Ban: Test Jail Against Log…", a CodeLens above each jail section of a jail
// file and the tree's jail node. The test itself (effective config → real fail2ban-regex in the container)
// runs from dist/server.js's runJailTestOnText; this file asks, shows progress (cancel aborts docker exec)
// and opens the report.
import * as vscode from 'vscode';
import { DEFAULT_DMS_VERSION, detectFileKind, type DmsVersion, type Fail2banVersion, type FileKind, type LabApi, type LabTarget } from '../../../server/src/shared';
import { dockerTargetOf, loadLabApi } from './labApi';
import type { BanManager } from '../bans/manager';
import type { ServerSession } from '../bans/session';
import { effectiveFail2banVersion, isExplicitlySet } from '../versionSetting';
import { activityRendered, registerBanActivity } from './activity';
import { logViewOf, registerLabLog } from './logDocument';
import { registerLockoutGuard } from './lockoutGuard';
import { lastReportRendered, showJailReport } from './reportPanel';
import { lastWhyBanned, registerWhyBanned } from './whyBanned';
import { t } from '../l10n';

export const TEST_JAIL_COMMAND = 'dmsFail2ban.testJail';

/** Arguments the CodeLens and tests pass; the tree passes its jail node ({ kind: 'jail', session, jail }). */
export interface TestJailArgs {
  uri?: string;
  jail?: string;
  /** A log in the container instead of the jail's logpath. */
  logPath?: string;
  /** A local log file, tested with a local fail2ban-regex. */
  localLog?: string;
  /** A local log file streamed into the container (docker exec -i, temporary file). */
  streamLog?: string;
}

/** Sections of a jail file that are not jails. */
const NOT_JAILS = /^(?:DEFAULT|INCLUDES|Definition|Init|KNOWN\/.*)$/;



export interface JailSource {
  text: string;
  kind: FileKind;
  label: string;
  fail2banVersion: Fail2banVersion;
  dmsVersion: DmsVersion;
}

export async function jailSource(uri: vscode.Uri | undefined): Promise<JailSource> {
  let target = uri;
  if (!target) {
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeKind = active ? detectFileKind(active.path) : undefined;
    if (active && (activeKind === 'dms-jail' || activeKind === 'jail')) target = active;
    else target = (await vscode.workspace.findFiles('**/fail2ban-jail.cf', '**/node_modules/**', 2))[0];
  }
  const config = vscode.workspace.getConfiguration('dmsFail2ban', target);
  const dmsVersion = config.get<DmsVersion>('dmsVersion', DEFAULT_DMS_VERSION);
  const kind: FileKind = target ? detectFileKind(target.path) ?? 'jail' : 'dms-jail';
  const explicit = isExplicitlySet(config.inspect<string>('fail2banVersion')) ? config.get<string>('fail2banVersion') : undefined;
  const fail2banVersion = effectiveFail2banVersion(kind, explicit, dmsVersion) as Fail2banVersion;
  if (!target) return { text: '', kind, label: t('DMS {0} defaults', dmsVersion), fail2banVersion, dmsVersion };
  const document = await vscode.workspace.openTextDocument(target);
  return { text: document.getText(), kind, label: vscode.workspace.asRelativePath(target), fail2banVersion, dmsVersion };
}

async function pickSession(manager: BanManager): Promise<ServerSession | undefined> {
  const sessions = manager.sessions();
  if (sessions.length <= 1) return sessions[0];
  const picked = await vscode.window.showQuickPick(
    sessions.map((session) => ({ label: session.server.label, session })),
    { placeHolder: t('Which mail server?') },
  );
  return picked?.session;
}

function asJailNode(value: unknown): { session: ServerSession; jail: string } | undefined {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'jail') return undefined;
  const node = value as { session: ServerSession; jail: { jail: string } };
  return { session: node.session, jail: node.jail.jail };
}

export async function testJail(manager: BanManager, raw: unknown): Promise<void> {
  const node = asJailNode(raw);
  const args: TestJailArgs = node ? { jail: node.jail } : typeof raw === 'object' && raw !== null ? (raw as TestJailArgs) : {};
  const api = loadLabApi();
  const source = await jailSource(args.uri ? vscode.Uri.parse(args.uri) : undefined);
  let jail = args.jail;
  if (!jail) {
    const jails = api.labJails(source.text, source.kind, source.fail2banVersion, source.dmsVersion);
    jail = await vscode.window.showQuickPick(jails, { placeHolder: t('Which jail of {0}?', source.label) });
    if (!jail) return;
  }

  let target: LabTarget;
  let session: ServerSession | undefined = node?.session;
  if (args.localLog) {
    target = { kind: 'local', logPath: args.localLog };
  } else if (args.streamLog) {
    session ??= await pickSession(manager);
    const resolved = session && (await session.resolveContainer());
    if (!session || !resolved || !('container' in resolved)) return void vscode.window.showErrorMessage(t('Fail2Ban: select the mail server container first (Fail2Ban: Select Mail Server Container).'));
    target = { kind: 'upload', docker: dockerTargetOf(session, resolved.container), source: { file: args.streamLog }, label: args.streamLog };
  } else {
    let logPath = args.logPath;
    if (!node && !args.logPath) {
      const choice = await vscode.window.showQuickPick(
        [
          { label: t("The jail's log in the container"), id: 'jail' },
          { label: t('Another log file in the container…'), id: 'container' },
          { label: t('A local log file, streamed into the container…'), id: 'upload' },
          { label: t('The selection (or text) of the active editor, streamed into the container'), id: 'selection' },
          { label: t('A local log file (local fail2ban-regex)…'), id: 'local' },
        ],
        { placeHolder: t('Test [{0}] against…', jail) },
      );
      if (!choice) return;
      if (choice.id === 'local') {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: t('Test against this log') });
        if (!picked?.[0]) return;
        return runAndShow(manager, api, source, jail, { kind: 'local', logPath: picked[0].fsPath }, undefined);
      }
      if (choice.id === 'upload' || choice.id === 'selection') {
        let logSource: { file: string } | { text: string };
        let label: string;
        if (choice.id === 'upload') {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: t('Test against this log') });
          if (!picked?.[0]) return;
          logSource = { file: picked[0].fsPath };
          label = picked[0].fsPath;
        } else {
          const editor = vscode.window.activeTextEditor;
          if (!editor) return void vscode.window.showErrorMessage(t('Fail2Ban: open a log in an editor (and select lines) first.'));
          const selected = editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection);
          logSource = { text: selected };
          label = editor.selection.isEmpty ? vscode.workspace.asRelativePath(editor.document.uri) : t('{0} (selection)', vscode.workspace.asRelativePath(editor.document.uri));
        }
        const chosen = await pickSession(manager);
        const resolved = chosen && (await chosen.resolveContainer());
        if (!chosen || !resolved || !('container' in resolved)) return void vscode.window.showErrorMessage(t('Fail2Ban: select the mail server container first (Fail2Ban: Select Mail Server Container).'));
        return runAndShow(manager, api, source, jail, { kind: 'upload', docker: dockerTargetOf(chosen, resolved.container), source: logSource, label }, chosen);
      }
      if (choice.id === 'container') {
        logPath = await vscode.window.showInputBox({
          prompt: t('Log file inside the container'),
          value: '/var/log/mail/mail.log',
          validateInput: (value) => (value.startsWith('/') && !/[\0\n]/.test(value) ? undefined : t('an absolute path in the container')),
        });
        if (!logPath) return;
      }
    }
    session ??= await pickSession(manager);
    if (!session) {
      void vscode.window.showErrorMessage(t('Fail2Ban: no mail server is configured; see the Fail2Ban view.'));
      return;
    }
    const resolved = await session.resolveContainer();
    if (!('container' in resolved)) {
      const problem = 'failure' in resolved ? t('Fail2Ban: {0}', resolved.failure.message) : t('Fail2Ban: select the mail server container first (Fail2Ban: Select Mail Server Container).');
      void vscode.window.showErrorMessage(problem);
      return;
    }
    const docker = dockerTargetOf(session, resolved.container);
    target = { kind: 'container', docker, ...(logPath ? { logPath } : {}) };
  }
  await runAndShow(manager, api, source, jail, target, session);
}

async function runAndShow(manager: BanManager, api: LabApi, source: JailSource, jail: string, target: LabTarget, session: ServerSession | undefined): Promise<void> {
  const where =
    target.kind === 'container'
      ? `${target.docker.container}:${target.logPath ?? t("the jail's log")}`
      : target.kind === 'upload'
        ? t('{0} (streamed into {1})', target.label, target.docker.container)
        : target.logPath;
  manager.output.appendLine(t('[jail lab] testing [{0}] of {1} against {2}', jail, source.label, where));
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Fail2Ban: testing [{0}] against {1}', jail, where), cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return api.runJailTestOnText({
        text: source.text, kind: source.kind, fail2banVersion: source.fail2banVersion, dmsVersion: source.dmsVersion, jail, target,
        signal: controller.signal, env: process.env,
        onProgress: (failures) => progress.report({ message: t('{0} failures read…', failures) }),
      });
    },
  );
  if (!outcome.ok) {
    manager.output.appendLine(`[jail lab] ${outcome.message}`);
    if (outcome.kind !== 'cancelled') void vscode.window.showErrorMessage(t('Fail2Ban: {0}', outcome.message));
    return;
  }
  manager.output.appendLine(`[jail lab] ran: ${target.kind !== 'local' ? target.docker.runtime : 'fail2ban-regex'} ${outcome.report.command.join(' ')}`);
  showJailReport(outcome.report, source, session);
}

/** "Test against mail log" above each jail section of a jail file. */
export class JailCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const kind = detectFileKind(document.uri.path);
    if (kind !== 'dms-jail' && kind !== 'jail') return [];
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const match = /^\[([^\]\n]+)\]/.exec(document.lineAt(line).text);
      if (!match || NOT_JAILS.test(match[1])) continue;
      const args: TestJailArgs = { uri: document.uri.toString(), jail: match[1] };
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: t('Test against mail log'), command: TEST_JAIL_COMMAND, arguments: [args] }));
    }
    return lenses;
  }
}

export function registerJailLab(manager: BanManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TEST_JAIL_COMMAND, (arg: unknown) => testJail(manager, arg)),
    vscode.languages.registerCodeLensProvider({ language: 'fail2ban' }, new JailCodeLensProvider()),
    ...registerLabLog(),
    ...registerWhyBanned(manager),
    ...registerBanActivity(manager),
    registerLockoutGuard(() => manager.tree.fire()),
  ];
}

/** What the VS Code tests read of the lab (extension API `lab`). */
export function labTestHooks(manager: BanManager) {
  return {
    lastReport: lastReportRendered,
    lastWhyBanned,
    activityRendered,
    logViewOf,
    /** The Fail2Ban view's item for a banned address (description, tooltip), as the tree renders it now. */
    bannedItem(jail: string, address: string): { description?: string; tooltip?: string } | undefined {
      for (const server of manager.tree.getChildren()) {
        for (const jailNode of manager.tree.getChildren(server)) {
          if (jailNode.kind !== 'jail' || jailNode.jail.jail !== jail) continue;
          const node = manager.tree.getChildren(jailNode).find((child) => child.kind === 'ip' && child.address === address);
          if (!node) continue;
          const item = manager.tree.getTreeItem(node);
          const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
          return { ...(typeof item.description === 'string' ? { description: item.description } : {}), ...(tooltip ? { tooltip } : {}) };
        }
      }
      return undefined;
    },
  };
}
