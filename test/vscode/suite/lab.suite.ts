// Jail lab inside VS Code against the stand-in container (its fail2ban-regex is the real one): the CodeLens
// above each jail section, and "Test Jail Against Log…" opening the report webview, whose script reports
// back what it drew (table rows, the uPlot chart) — checked here.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { burst, mailLogText } from '../../support/mailLog';
import { CONFIG_DIR, CONTAINER, activateExtension, activeTextOf, containerFile, docker, isBanned, openFixture, scriptPrompts, waitFor, writeWorkspaceFile, type ExtensionApi } from './helpers';

const JAIL_FILE = `${CONFIG_DIR}/fail2ban-jail.cf`;
const T0 = Date.UTC(2025, 2, 10, 8, 0, 0);

interface LabApi extends ExtensionApi {
  lastJailReport(): Promise<{ title: string; report: { ips: { ip: string; failures: number }[]; wouldBan: string[]; warnings: { code: string; ip?: string }[]; matched: number; lines: number; source: { logPath: string; uploaded?: string } }; rendered: { rows: number; chartDrawn: boolean; chartSeries: number; warnings: number } } | undefined>;
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

interface LabHooks {
  lab: {
    lastWhyBanned(): { ip: string; jail: string; events: { kind: string }[]; banCount: number; current?: { remainingSeconds?: number; banSeconds: number } } | undefined;
    activityRendered(minUpdates?: number): Promise<{ activity: { jails: { jail: string; bans: number }[] }; rendered: { rows: number; chartDrawn: boolean; chartSeries: number; updates: number } } | undefined>;
    logViewOf(uri: vscode.Uri): { matches: { index: number; regex: number; ip: string }[]; lines: string[]; regexes: string[] } | undefined;
    bannedItem(jail: string, address: string): { description?: string; tooltip?: string } | undefined;
  };
}

describe('jail lab: why banned, ban activity, log document, lock-out guard (stand-in, real fail2ban)', function () {
  let api: LabApi & LabHooks;

  before(async () => {
    api = (await activateExtension()) as LabApi & LabHooks;
    await api.refresh();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a local log and an editor selection are streamed into the container and tested there', async () => {
    const lines = mailLogText([
      ...burst('dovecot-auth', '192.0.2.61', T0, 7, 10),
      ...burst('dovecot-auth', '192.0.2.62', T0 + 3600e3, 2, 10),
    ]).trimEnd().split('\n');
    const local = await writeWorkspaceFile('lab-local.log', `${lines.join('\n')}\n`);
    const jailUri = (await openFixture(JAIL_FILE)).document.uri.toString();
    await vscode.commands.executeCommand('dmsFail2ban.testJail', { uri: jailUri, jail: 'dovecot', streamLog: local.fsPath });
    const whole = await waitFor('the streamed report', async () => {
      const shown = await api.lastJailReport();
      return shown?.report.source.logPath === local.fsPath ? shown : undefined;
    });
    assert.equal(whole.report.matched, 9);
    assert.deepEqual(whole.report.wouldBan, ['192.0.2.61']);
    assert.match(whole.report.source.uploaded ?? '', /^\/tmp\/dms-fail2ban-lab-[0-9a-f]{16}\.log$/);
    assert.equal(existsSync(containerFile(whole.report.source.uploaded ?? '/none')), false);

    // only the last two lines selected: 192.0.2.62's failures
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(local));
    editor.selection = new vscode.Selection(7, 0, 9, 0);
    const prompts = scriptPrompts({ showQuickPick: [(items) => (items as { id: string }[]).find((item) => item.id === 'selection')] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.testJail', { uri: jailUri, jail: 'dovecot' });
    } finally {
      prompts.restore();
    }
    const selected = await waitFor('the selection report', async () => {
      const shown = await api.lastJailReport();
      return shown?.report.source.logPath.endsWith('lab-local.log (selection)') ? shown : undefined;
    });
    assert.equal(selected.report.lines, 2);
    assert.deepEqual(selected.report.ips.map((ip) => [ip.ip, ip.failures]), [['192.0.2.62', 2]]);
  });

  it('Why Was This Banned? (QuickPick): fail2ban\'s Ban line, the held ban with time left, links that open the log there', async () => {
    const prompts = scriptPrompts({ showQuickPick: [(items) => (items as { label: string }[]).find((item) => item.label === '198.51.100.23')] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.whyBanned');
    } finally {
      prompts.restore();
    }
    const text = await activeTextOf('dms-fail2ban-why');
    assert.match(text, /^Why was 198\.51\.100\.23 banned in \[postfix\]\? \(mailserver\)/);
    const report = api.lab.lastWhyBanned();
    assert.ok(report);
    assert.ok(report.events.some((event) => event.kind === 'ban'));
    assert.ok(report.banCount >= 1);
    assert.ok(report.current && report.current.remainingSeconds !== undefined && report.current.remainingSeconds > 0);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const banLink = links.find((link) => document.lineAt(link.range.start.line).text.includes('Ban 198.51.100.23'));
    assert.ok(banLink?.target, `links: ${links.length}`);
    assert.equal(banLink.target.scheme, 'command');
    const [args] = JSON.parse(decodeURIComponent(banLink.target.query)) as [{ logPath: string; line: number }];
    assert.equal(args.logPath, '/var/log/mail/fail2ban.log');
    await vscode.commands.executeCommand(banLink.target.path, args);
    const logEditor = await waitFor('the log document', () => (vscode.window.activeTextEditor?.document.uri.scheme === 'dms-fail2ban-log' ? vscode.window.activeTextEditor : undefined));
    assert.match(logEditor.document.lineAt(logEditor.selection.active.line).text, /\[postfix\] Ban 198\.51\.100\.23/);
  });

  it('log document of the tested log: matched lines highlighted, the hover names the failregex', async () => {
    await vscode.commands.executeCommand('dmsFail2ban.openLabLog', { docker: { runtime: 'docker', container: 'mailserver' }, logPath: '/var/log/mail/lab.log', jail: 'dovecot' });
    const editor = await waitFor('the log document', () => (vscode.window.activeTextEditor?.document.uri.scheme === 'dms-fail2ban-log' ? vscode.window.activeTextEditor : undefined));
    const view = api.lab.logViewOf(editor.document.uri);
    assert.ok(view);
    assert.equal(view.matches.length, 16);
    const matched = view.matches[0];
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(matched.index, 5));
    const text = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`Failure of ${matched.ip.replace(/\./g, '\\.')}\\*\\* — matched failregex #${matched.regex} of \\[dovecot\\]`));
    assert.ok(text.includes(view.regexes[matched.regex - 1]));
    const unmatched = view.lines.findIndex((_line, index) => !view.matches.some((m) => m.index === index));
    if (unmatched >= 0) {
      const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(unmatched, 5));
      assert.ok(!none.some((hover) => hover.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('matched failregex'))));
    }
  });

  it('Show Ban Activity: uPlot chart of bans per jail, and it refreshes with the tree after a ban', async () => {
    await vscode.commands.executeCommand('dmsFail2ban.showBanActivity');
    const first = await waitFor('the activity webview', () => api.lab.activityRendered(1));
    assert.equal(first.rendered.chartDrawn, true);
    assert.equal(first.rendered.chartSeries, first.activity.jails.length + 1);
    const customBefore = first.activity.jails.find((jail) => jail.jail === 'custom')?.bans ?? 0;
    await docker(['exec', CONTAINER, 'setup', 'fail2ban', 'ban', '192.0.2.155']);
    await api.refresh();
    const again = await waitFor('the refreshed activity', () => api.lab.activityRendered(2));
    assert.equal(again.activity.jails.find((jail) => jail.jail === 'custom')?.bans, customBefore + 1);
    await docker(['exec', CONTAINER, 'setup', 'fail2ban', 'unban', '192.0.2.155']);
  });

  it('lock-out guard: Ban… of the Docker gateway asks first (Ban Anyway / Never Ban); the banned gateway is flagged in the tree', async () => {
    const prompts = scriptPrompts({ showInputBox: [() => '172.17.0.1'] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.ban');
    } finally {
      prompts.restore();
    }
    const guard = prompts.calls.find((call) => call.name === 'showWarningMessage');
    assert.ok(guard, prompts.calls.map((call) => call.name).join(', '));
    assert.match(String(guard.args[0]), /^LOCK-OUT RISK: 172\.17\.0\.1 is the gateway of Docker network 'bridge'.*slirp4netns.*NETWORK_INTERFACE=tap0.*PROXY protocol/s);
    assert.deepEqual(guard.args.slice(2), ['Ban Anyway', 'Never Ban This Address']);
    assert.equal(await isBanned('172.17.0.1'), false);

    await docker(['exec', CONTAINER, 'fail2ban-client', 'set', 'postfix', 'banip', '172.17.0.1']);
    try {
      await api.refresh();
      // a private address is flagged at once; that it is the gateway, once `docker inspect` has answered
      const item = await waitFor('the tree item flagged as the gateway', () => {
        const found = api.lab.bannedItem('postfix', '172.17.0.1');
        return found?.description === 'LOCK-OUT RISK' && /gateway of Docker network 'bridge'/.test(found.tooltip ?? '') ? found : undefined;
      });
      assert.match(item.tooltip ?? '', /slirp4netns/);
      assert.equal(api.lab.bannedItem('postfix', '198.51.100.23')?.description, undefined);
    } finally {
      await docker(['exec', CONTAINER, 'fail2ban-client', 'set', 'postfix', 'unbanip', '172.17.0.1']);
      await api.refresh();
    }
  });
});
