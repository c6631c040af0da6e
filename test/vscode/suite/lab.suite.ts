// Jail lab inside VS Code against the stand-in container (its fail2ban-regex is the real one): the CodeLens
// above each jail section, and "Test Jail Against Log…" opening the report webview, whose script reports
// back what it drew (table rows, the uPlot chart) — checked here.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { burst, mailLogText } from '../../support/mailLog';
import { CONFIG_DIR, activateExtension, containerFile, openFixture, waitFor, type ExtensionApi } from './helpers';

const JAIL_FILE = `${CONFIG_DIR}/fail2ban-jail.cf`;
const T0 = Date.UTC(2025, 2, 10, 8, 0, 0);

interface LabApi extends ExtensionApi {
  lastJailReport(): Promise<{ title: string; report: { ips: { ip: string }[]; wouldBan: string[]; warnings: { code: string; ip?: string }[]; matched: number }; rendered: { rows: number; chartDrawn: boolean; chartSeries: number; warnings: number } } | undefined>;
}

describe('jail lab (stand-in container, real fail2ban-regex)', function () {
  let api: LabApi;

  before(async () => {
    api = (await activateExtension()) as LabApi;
    // rootless Docker: most failures come from the bridge gateway; one real attacker; one below maxretry
    writeFileSync(containerFile('/var/log/mail/lab.log'), mailLogText([
      ...burst('dovecot-auth', '172.17.0.1', T0, 8, 20),
      ...burst('dovecot-auth', '198.51.100.7', T0 + 600e3, 6, 30),
      ...burst('dovecot-unknown-user', '203.0.113.9', T0 + 900e3, 2, 30),
    ]));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a "Test against mail log" CodeLens above each jail section, none above [DEFAULT]', async () => {
    const editor = await openFixture(JAIL_FILE);
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return found && found.some((lens) => lens.command?.command === 'dmsFail2ban.testJail') ? found : undefined;
    });
    const ours = lenses.filter((lens) => lens.command?.command === 'dmsFail2ban.testJail');
    assert.deepEqual(ours.map((lens) => [lens.range.start.line, lens.command?.title, (lens.command?.arguments?.[0] as { jail: string }).jail]), [
      [8, 'Test against mail log', 'dovecot'],
      [12, 'Test against mail log', 'postfix'],
    ]);
  });

  it('Test Jail Against Log…: the report webview renders the table, the chart and the gateway lock-out warning', async () => {
    const editor = await openFixture(JAIL_FILE);
    await vscode.commands.executeCommand('dmsFail2ban.testJail', { uri: editor.document.uri.toString(), jail: 'dovecot', logPath: '/var/log/mail/lab.log' });
    const shown = await waitFor('the report webview to render', () => api.lastJailReport());
    assert.equal(shown.title, 'Jail test: [dovecot]');
    assert.equal(shown.report.matched, 16);
    // the workspace file's [DEFAULT] maxretry = 5, findtime = 10m
    assert.deepEqual(shown.report.wouldBan, ['172.17.0.1', '198.51.100.7']);
    assert.deepEqual(shown.report.warnings.filter((w) => w.code.startsWith('lockout-')).map((w) => [w.code, w.ip]), [['lockout-gateway', '172.17.0.1']]);
    assert.deepEqual(shown.rendered, { rows: 3, chartDrawn: true, chartSeries: 2, warnings: shown.report.warnings.length });
  });
});
