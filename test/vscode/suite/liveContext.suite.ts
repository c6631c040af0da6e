// The live container context in VS Code: with dmsFail2ban.liveContext off (the test workspace's setting) the
// modelled release answers; turned on, the extension reads the stand-in container (a real fail2ban 1.1.0 tree of
// DMS v15.1 plus a custom filter and log put into it here), the status bar switches to the container and the
// editor's (unsaved) text is checked against it.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_DIR, CONTAINER, activateExtension, containerFile, describeDiagnostics, openFixture, revertDocument, waitFor, waitForDiagnostics, type ExtensionApi } from './helpers';

const JAIL_FILE = `${CONFIG_DIR}/fail2ban-jail.cf`;
const CUSTOM_FILTER = '/etc/fail2ban/filter.d/vscode-live.conf';
const CUSTOM_LOG = '/var/log/mail/vscode-live.log';
const USES_CUSTOM = `[vscode-live]\nenabled = true\nfilter = vscode-live\nlogpath = ${CUSTOM_LOG}\n`;
const LACKING = '[vscode-lacking]\nenabled = true\nfilter = vscode-no-such-filter\nlogpath = /var/log/mail/mail.log\n';

function errorCodes(uri: vscode.Uri): string[] {
  return describeDiagnostics(uri).filter((entry) => entry.includes(':error@')).map((entry) => entry.split(':')[0]);
}

describe('live container context', function () {
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('dmsFail2ban');

  before(async () => {
    api = await activateExtension();
    for (const [path, text] of [[CUSTOM_FILTER, '[Definition]\nfailregex = ^vscode-live: failed for <HOST>$\n'], [CUSTOM_LOG, '']]) {
      mkdirSync(dirname(containerFile(path)), { recursive: true });
      writeFileSync(containerFile(path), text);
    }
  });

  after(async () => {
    await config().update('liveContext', false, vscode.ConfigurationTarget.Workspace);
    const edited = vscode.workspace.textDocuments.find((document) => document.uri.path.endsWith(JAIL_FILE));
    if (edited?.isDirty) await revertDocument(edited);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const path of [CUSTOM_FILTER, CUSTOM_LOG]) rmSync(containerFile(path), { force: true });
  });

  it('status bar: modelled while live context is off, the container once it is on; diagnostics follow', async () => {
    assert.equal(config().get('liveContext'), false, 'the test workspace turns live context off');
    const editor = await openFixture(JAIL_FILE);
    const uri = editor.document.uri;
    // the unsaved editor text is what is checked, never the container's copy
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), USES_CUSTOM + '\n' + LACKING));
    await api.startLanguageClient();
    // the exact set, not just one code of it: under load the findings of the text before the edit were still shown
    const modelled = ['missing-log', 'unknown-filter', 'unknown-filter'];
    await waitForDiagnostics(uri, () => errorCodes(uri).sort().join() === modelled.join(), 'modelled diagnostics');
    assert.deepEqual(errorCodes(uri).sort(), modelled);
    await waitFor('the modelled status', () => (/modelled: DMS .* live context off/.test(api.contextStatusText()) ? true : undefined));

    await config().update('liveContext', true, vscode.ConfigurationTarget.Workspace);
    const live = await waitFor('the container status', () => (api.contextStatusText().includes(`container ${CONTAINER}:`) ? api.contextStatusText() : undefined), 60_000);
    assert.match(live, new RegExp(`container ${CONTAINER}: DMS v15\\.1\\.0, fail2ban 1\\.1\\.0`));
    // the container's custom filter and log are known; a filter it lacks is still an error
    await waitForDiagnostics(uri, () => !errorCodes(uri).includes('missing-log'), 'live diagnostics');
    assert.deepEqual(errorCodes(uri), ['unknown-filter']);
    const lacking = vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.match(lacking?.message ?? '', new RegExp(`container ${CONTAINER} has no filter\\.d/vscode-no-such-filter\\.conf`));
    assert.equal(lacking?.range.start.line, 7);

    await config().update('liveContext', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('the modelled status again', () => (api.contextStatusText().startsWith('$(circle-slash) modelled:') ? true : undefined));
    await waitForDiagnostics(uri, () => errorCodes(uri).includes('missing-log'), 'modelled diagnostics again');
  });
});
