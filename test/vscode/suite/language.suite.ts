// The language features as a user meets them in VS Code: language id, diagnostics from the language server,
// completion, hover, quick fixes, suppression comments and the per-rule severity setting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CONFIG_DIR, activateExtension, describeDiagnostics, diagnosticCode, lineOf, openFixture, positionAfter, revertDocument, severityName,
  waitForDiagnostics, workspaceUri, writeWorkspaceFile,
} from './helpers';

const JAIL_FILE = `${CONFIG_DIR}/fail2ban-jail.cf`;
const SERVER_FILE = `${CONFIG_DIR}/fail2ban-fail2ban.cf`;
/** fail2ban 1.1.0's postfix filter modes (filter.d/postfix.conf `mdre-<mode>` keys). */
const POSTFIX_MODES = ['normal', 'more', 'rbl', 'auth', 'ddos', 'extra', 'aggressive', 'errors'];

function completionLabels(list: vscode.CompletionList): string[] {
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

describe('language features', function () {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('gives both DMS files the fail2ban language', async () => {
    const jail = await openFixture(JAIL_FILE);
    const server = await openFixture(SERVER_FILE);
    assert.equal(jail.document.languageId, 'fail2ban');
    assert.equal(server.document.languageId, 'fail2ban');
  });

  it('reports the mistakes of fail2ban-jail.cf with their codes and severities', async () => {
    const { document } = await openFixture(JAIL_FILE);
    await waitForDiagnostics(document.uri, (list) => list.length >= 3, 'three mistakes');
    assert.deepEqual(describeDiagnostics(document.uri), [
      `invalid-duration:error@${lineOf(document, 'bantime = 2 weaks') + 1}`,
      `invalid-mode:error@${lineOf(document, 'mode = agressive') + 1}`,
      `unknown-option:warning@${lineOf(document, 'maxretrys') + 1}`,
    ].sort());
    const duration = vscode.languages.getDiagnostics(document.uri).find((d) => diagnosticCode(d) === 'invalid-duration');
    assert.match(duration?.message ?? '', /2 weaks/);
  });

  it('reports the mistakes of fail2ban-fail2ban.cf', async () => {
    const { document } = await openFixture(SERVER_FILE);
    await waitForDiagnostics(document.uri, (list) => list.length >= 1, 'one mistake');
    assert.deepEqual(describeDiagnostics(document.uri), [`invalid-duration:error@${lineOf(document, 'dbpurgeage') + 1}`]);
  });

  it('reports nothing for a correct DMS jail file', async () => {
    const uri = await writeWorkspaceFile('clean/fail2ban-jail.cf', '[DEFAULT]\nbantime = 1w\nfindtime = 1h\nmaxretry = 3\n\n[postfix]\nmode = aggressive\n');
    const { document } = await vscode.window.showTextDocument(uri);
    assert.equal(document.languageId, 'fail2ban');
    // A mistake added and removed again proves the server has looked at this document.
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 'bantime = 1w'.length), 'x'));
    await waitForDiagnostics(uri, (list) => list.some((d) => diagnosticCode(d) === 'invalid-duration'), 'bantime = 1wx');
    await revertDocument(document);
    await waitForDiagnostics(uri, (list) => list.length === 0, 'none after revert');
  });

  it('completes the postfix filter modes after "mode = " in [postfix]', async () => {
    const uri = await writeWorkspaceFile('completion/fail2ban-jail.cf', '[postfix]\nmode = \n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', uri, positionAfter(document, 'mode = '),
    );
    const labels = completionLabels(list);
    for (const mode of POSTFIX_MODES) assert.ok(labels.includes(mode), `mode '${mode}' missing from ${JSON.stringify(labels)}`);
  });

  it('completes option names in a jail section', async () => {
    const uri = await writeWorkspaceFile('completion/options/fail2ban-jail.cf', '[dovecot]\nmaxre\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // every item resolved (the 4th argument), as the suggest widget resolves the one it shows
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', uri, positionAfter(document, 'maxre'), undefined, 500,
    );
    assert.ok(completionLabels(list).includes('maxretry'), `maxretry missing from ${JSON.stringify(completionLabels(list))}`);
    // the server gives the range all items replace once (CompletionList.itemDefaults.editRange): the item still
    // replaces the typed word with the key and its `=`
    const maxretry = list.items.find((item) => (typeof item.label === 'string' ? item.label : item.label.label) === 'maxretry')!;
    assert.equal(maxretry.insertText, 'maxretry = ');
    const range = maxretry.range instanceof vscode.Range ? maxretry.range : maxretry.range?.replacing;
    assert.ok(range?.isEqual(new vscode.Range(1, 0, 1, 'maxre'.length)), `maxretry replaces ${JSON.stringify(range)}`);
    // its documentation comes by completionItem/resolve: the list names itself once (itemDefaults.data), the client
    // applies that to the item and the server finds the item's text by its label
    const documentation = maxretry.documentation instanceof vscode.MarkdownString ? maxretry.documentation.value : String(maxretry.documentation ?? '');
    assert.match(documentation, /\*\*maxretry\*\* \(int\)/, `maxretry's documentation: ${JSON.stringify(documentation.slice(0, 200))}`);
  });

  it('explains an option on hover', async () => {
    const { document } = await openFixture(JAIL_FILE);
    const position = new vscode.Position(lineOf(document, 'findtime'), 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    assert.ok(hovers.length > 0, 'no hover for findtime');
    assert.match(hoverText(hovers), /findtime/);
  });

  it('offers the did-you-mean quick fix and applying it clears the diagnostic', async () => {
    const { document } = await openFixture(JAIL_FILE);
    const diagnostics = await waitForDiagnostics(document.uri, (list) => list.some((d) => diagnosticCode(d) === 'unknown-option'), 'unknown-option');
    const unknown = diagnostics.find((d) => diagnosticCode(d) === 'unknown-option')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, unknown.range, vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((action) => action.title === "Change to 'maxretry'");
    assert.ok(fix?.edit, `no "Change to 'maxretry'" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(unknown.range.start.line).text, 'maxretry = 3');
    await waitForDiagnostics(document.uri, (list) => !list.some((d) => diagnosticCode(d) === 'unknown-option'), 'unknown-option gone');
    await revertDocument(document);
  });

  it('honours a dms-fail2ban-disable-next-line comment', async () => {
    const { document } = await openFixture(SERVER_FILE);
    const editor = vscode.window.activeTextEditor!;
    await waitForDiagnostics(document.uri, (list) => list.length === 1, 'the dbpurgeage error');
    await editor.edit((edit) => edit.insert(new vscode.Position(lineOf(document, 'dbpurgeage'), 0), '# dms-fail2ban-disable-next-line invalid-duration\n'));
    await waitForDiagnostics(document.uri, (list) => list.length === 0, 'none once suppressed');
    await revertDocument(document);
  });

  it('applies dmsFail2ban.rules severity overrides', async () => {
    const { document } = await openFixture(JAIL_FILE);
    await waitForDiagnostics(document.uri, (list) => list.some((d) => diagnosticCode(d) === 'unknown-option'), 'unknown-option');
    const config = vscode.workspace.getConfiguration('dmsFail2ban');
    await config.update('rules', { 'unknown-option': 'off', 'invalid-duration': 'warning' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(
        document.uri,
        (list) => !list.some((d) => diagnosticCode(d) === 'unknown-option') && list.some((d) => diagnosticCode(d) === 'invalid-duration' && severityName(d.severity) === 'warning'),
        'unknown-option off and invalid-duration a warning',
      );
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(document.uri, (list) => list.some((d) => diagnosticCode(d) === 'unknown-option'), 'unknown-option back');
  });

  it('dmsVersion v14 alone validates as fail2ban 1.0.2 (a defaulted fail2banVersion follows the DMS release)', async () => {
    const editor = await openFixture(JAIL_FILE);
    const { document } = editor;
    await editor.edit((edit) => edit.insert(new vscode.Position(document.lineCount, 0), '\n[routeros-auth]\nenabled = true\n'));
    const versionFeature = (list: readonly vscode.Diagnostic[]) => list.some((d) => diagnosticCode(d) === 'version-feature');
    const config = vscode.workspace.getConfiguration('dmsFail2ban');
    try {
      await waitForDiagnostics(document.uri, (list) => list.some((d) => diagnosticCode(d) === 'missing-log') && !versionFeature(list), 'v15.1.0: missing-log only');
      await config.update('dmsVersion', 'v14', vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(document.uri, versionFeature, 'v14: routeros-auth does not exist in fail2ban 1.0.2');
    } finally {
      await config.update('dmsVersion', undefined, vscode.ConfigurationTarget.Workspace);
      await revertDocument(document);
    }
  });

  it('shows the effective configuration of the jail file', async () => {
    await openFixture(JAIL_FILE);
    await vscode.commands.executeCommand('dmsFail2ban.showEffectiveConfig', workspaceUri(JAIL_FILE));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'dms-fail2ban');
    assert.equal(editor?.document.languageId, 'fail2ban');
    assert.match(editor?.document.getText() ?? '', /\[dovecot\]/);
  });
});
