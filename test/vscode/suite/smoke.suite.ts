// The smoke test: run against the development extension and, by the runner's VSIX part, against the packaged
// extension installed into VS Code (DMS_VSCODE_INSTALLED_DIR names its extensions folder then).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { CONFIG_DIR, CONTAINER, EXTENSION_ID, activateExtension, diagnosticCode, openFixture, waitForDiagnostics } from './helpers';

/** For `npm run bench`: the first activate() (bundle load + activate) of the extension, to $DMS_VSCODE_FIGURES. */
async function recordActivationTime(): Promise<void> {
  const file = process.env.DMS_VSCODE_FIGURES;
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!file || !extension || extension.isActive) return;
  const start = performance.now();
  await extension.activate();
  writeFileSync(file, `${JSON.stringify({ activationMs: performance.now() - start })}\n`);
}

describe('smoke', function () {
  it('is the expected copy of the extension', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const installedDir = process.env.DMS_VSCODE_INSTALLED_DIR;
    if (installedDir) assert.ok(extension.extensionPath.startsWith(installedDir + sep), `${extension.extensionPath} is not under ${installedDir}`);
  });

  it('activates and validates fail2ban-jail.cf through the bundled language server', async () => {
    await recordActivationTime();
    await activateExtension();
    const { document } = await openFixture(`${CONFIG_DIR}/fail2ban-jail.cf`);
    assert.equal(document.languageId, 'fail2ban');
    await waitForDiagnostics(document.uri, (list) => list.some((d) => diagnosticCode(d) === 'invalid-duration'), 'invalid-duration');
  });

  it('reaches the container and lists its jails', async () => {
    const api = await activateExtension();
    await api.refresh();
    const state = api.serverStates()[0]?.state;
    assert.equal(state?.kind, 'ready', JSON.stringify(state));
    assert.equal(state?.container, CONTAINER);
    assert.ok((state?.jails ?? []).some((jail) => jail.jail === 'dovecot'), JSON.stringify(state?.jails));
  });

  it('shows the effective configuration', async () => {
    await openFixture(`${CONFIG_DIR}/fail2ban-jail.cf`);
    await vscode.commands.executeCommand('dmsFail2ban.showEffectiveConfig');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.scheme, 'dms-fail2ban');
    assert.match(document?.getText() ?? '', /\[dovecot\]/);
  });
});
