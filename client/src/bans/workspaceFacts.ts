// The workspace's side of a diagnosis: its compose file (cap_add, ENABLE_FAIL2BAN, env_file) and the two DMS
// files checked by our engine. Read-only: files are read, never opened in an editor or changed.
import * as vscode from 'vscode';
import { detectFileKind } from '../../../server/src/shared';
import type { DmsVersion } from '../../../server/src/shared';
import { volumeVerdict, type VolumeVerdict } from '../docker/applyChecks';
import { COMPOSE_FILE_NAMES, composeFacts, findMailService, parseComposeFile, type ComposeFacts } from '../docker/composeFacts';
import type { UserFileErrors } from '../docker/diagnose';
import type { SessionHost } from './session';
import { configuredValidator } from './manager';

const EXCLUDE = '**/node_modules/**';

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** The first compose file (docker compose's order of names) that defines the mail server service. */
async function workspaceCompose(container: string): Promise<ComposeFacts | undefined> {
  for (const name of COMPOSE_FILE_NAMES) {
    for (const uri of await vscode.workspace.findFiles(`**/${name}`, EXCLUDE, 5)) {
      const text = await readText(uri);
      if (text === undefined) continue;
      const folder = vscode.Uri.joinPath(uri, '..');
      // compose resolves env_file paths relative to the compose file
      const envTexts = new Map<string, string | undefined>();
      for (const path of findMailService(parseComposeFile(text), container)?.envFiles ?? []) {
        envTexts.set(path, await readText(vscode.Uri.joinPath(folder, path)));
      }
      const facts = composeFacts(vscode.workspace.asRelativePath(uri), text, container, (path) => envTexts.get(path));
      if (facts) return facts;
    }
  }
  return undefined;
}

/**
 * After Apply Config: whether `applied` is the file DMS reads from the config volume that the workspace's compose
 * file mounts for `container`; undefined when no compose file says so.
 */
export async function configVolumeVerdict(container: string, applied: vscode.Uri): Promise<VolumeVerdict | undefined> {
  for (const name of COMPOSE_FILE_NAMES) {
    for (const uri of await vscode.workspace.findFiles(`**/${name}`, EXCLUDE, 5)) {
      const text = await readText(uri);
      const verdict = text === undefined ? undefined : volumeVerdict(uri.fsPath, text, container, applied.fsPath, (path) => vscode.workspace.asRelativePath(path));
      if (verdict) return verdict;
    }
  }
  return undefined;
}

async function workspaceUserFiles(): Promise<UserFileErrors[]> {
  const files = (
    await Promise.all(['fail2ban-jail.cf', 'fail2ban-fail2ban.cf'].map((name) => vscode.workspace.findFiles(`**/${name}`, EXCLUDE, 10)))
  ).flat();
  const checked: UserFileErrors[] = [];
  for (const uri of files) {
    const kind = detectFileKind(uri.path);
    const text = await readText(uri);
    if ((kind !== 'dms-jail' && kind !== 'dms-server') || text === undefined) continue;
    const diagnostics = await configuredValidator(text, kind);
    checked.push({
      name: vscode.workspace.asRelativePath(uri),
      errors: diagnostics
        .filter((diagnostic) => diagnostic.severity === 'error')
        .map((diagnostic) => ({ line: diagnostic.range.start.line + 1, code: diagnostic.code, message: diagnostic.message })),
    });
  }
  return checked;
}

export const workspaceFacts: NonNullable<SessionHost['workspace']> = {
  compose: workspaceCompose,
  userFiles: workspaceUserFiles,
  dmsVersion: () => vscode.workspace.getConfiguration('dmsFail2ban').get<DmsVersion>('dmsVersion'),
};
