// Every contributed command, run inside VS Code against the stand-in docker (a real fail2ban-server behind a
// fake `docker` that answers like docker-mailserver). Prompts are answered by scripts (helpers.scriptPrompts);
// the effect is checked in the container itself, never only in the extension's own state.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CONFIG_DIR, CONTAINER, activateExtension, activeTextOf, bannedInContainer, containerFile, docker, isBanned, openFixture, revertDocument,
  scriptCreateQuickPick, scriptPrompts, treeBans, waitFor, workspaceUri, writeWorkspaceFile, type ExtensionApi,
} from './helpers';

const JAIL_FILE = `${CONFIG_DIR}/fail2ban-jail.cf`;
const USER_JAIL_LOCAL = '/etc/fail2ban/jail.d/user-jail.local';

/** The bans the runner put into the stand-in before starting VS Code (jail → addresses). */
function seededBans(): Record<string, string[]> {
  const seeded = process.env.DMS_VSCODE_SEEDED_BANS;
  if (!seeded) throw new Error('DMS_VSCODE_SEEDED_BANS is not set: run the suite through test/vscode/run.mjs');
  return JSON.parse(seeded) as Record<string, string[]>;
}

function sorted(map: Map<string, string[]>): Record<string, string[]> {
  return Object.fromEntries([...map].filter(([, ips]) => ips.length > 0).map(([jail, ips]) => [jail, [...ips].sort()]).sort());
}

function itemLabels(items: unknown): string[] {
  return (items as vscode.QuickPickItem[]).map((item) => item.label);
}

describe('ban management commands (stand-in docker-mailserver)', function () {
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
    assert.deepEqual(sorted(await bannedInContainer()), sorted(new Map(Object.entries(seededBans()))), 'the runner seeded the container');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes every command the manifest lists', async () => {
    const manifest = vscode.extensions.getExtension('dms-fail2ban.dms-fail2ban')!.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('refresh: the view state lists the container and the same bans as the container', async () => {
    await vscode.commands.executeCommand('dmsFail2ban.refresh');
    const state = api.serverStates()[0]?.state;
    assert.equal(state?.kind, 'ready');
    assert.equal(state?.container, CONTAINER);
    assert.deepEqual(sorted(await treeBans(api)), sorted(await bannedInContainer()));
  });

  it('listBanned: the quick pick offers every banned address, and Unban removes the picked one', async () => {
    const [jail, [address]] = Object.entries(seededBans()).find(([name]) => name !== 'custom')!;
    let offered: string[] = [];
    const prompts = scriptPrompts({
      showQuickPick: [
        (items) => {
          offered = itemLabels(items);
          return (items as vscode.QuickPickItem[]).find((item) => item.label === address);
        },
        () => 'Unban',
      ],
      showWarningMessage: [(_message, _options, action) => action],
    });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.listBanned');
    } finally {
      prompts.restore();
    }
    for (const ip of Object.values(seededBans()).flat()) assert.ok(offered.includes(ip), `${ip} not offered: ${JSON.stringify(offered)}`);
    assert.ok(offered.some((label) => label.startsWith(`${jail} (`)), `no separator for ${jail}`);
    assert.equal(await isBanned(address), false, `${address} is still banned`);
    const isModal = (arg: unknown) => typeof arg === 'object' && arg !== null && (arg as vscode.MessageOptions).modal === true;
    const info = prompts.calls.find((call) => call.name === 'showInformationMessage' || (call.name === 'showWarningMessage' && !isModal(call.args[1])));
    assert.match(String(info?.args[0]), new RegExp(address.replace(/\./g, '\\.')));
  });

  it('ban: rejects a malformed address in the input box and bans a valid one in the container', async () => {
    const address = '203.0.113.77';
    let validation: unknown;
    const prompts = scriptPrompts({
      showInputBox: [
        (options) => {
          validation = (options as vscode.InputBoxOptions).validateInput?.('300.1.2.3');
          return address;
        },
      ],
      showWarningMessage: [(_message, _options, action) => action],
    });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.ban');
    } finally {
      prompts.restore();
    }
    assert.ok(typeof validation === 'string' && validation.length > 0, 'the input box accepted 300.1.2.3');
    assert.ok((await bannedInContainer()).get('custom')?.includes(address), `${address} not banned in custom`);
    await waitFor('the ban in the view', async () => ((await treeBans(api)).get('custom')?.includes(address) ? true : undefined));
  });

  it('ban 0.0.0.0/0 with confirmActions off: still a modal warning that says it covers every IPv4 address; declined, nothing is banned', async () => {
    const config = vscode.workspace.getConfiguration('dmsFail2ban');
    await config.update('confirmActions', false, vscode.ConfigurationTarget.Global);
    const prompts = scriptPrompts({ showInputBox: [() => '0.0.0.0/0'], showWarningMessage: [() => undefined] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.ban');
    } finally {
      prompts.restore();
      await config.update('confirmActions', undefined, vscode.ConfigurationTarget.Global);
    }
    const warnings = prompts.calls.filter((call) => call.name === 'showWarningMessage');
    assert.equal(warnings.length, 1, JSON.stringify(prompts.calls));
    const [message, options, button] = warnings[0].args as [string, vscode.MessageOptions, string];
    assert.match(message, /0\.0\.0\.0\/0 covers every IPv4 address\. Banning it blocks every IPv4 client/);
    assert.equal(options.modal, true);
    assert.equal(button, 'Ban Every IPv4 Address');
    const banned = [...(await bannedInContainer()).values()].flat();
    assert.ok(!banned.includes('0.0.0.0/0'), `banned: ${banned.join(' ')}`);
  });

  it('unban: the address prompt offers the banned addresses and unbans the typed one', async () => {
    const address = seededBans().custom[0];
    const quickPick = scriptCreateQuickPick(address);
    await api.refresh();
    const prompts = scriptPrompts({ showWarningMessage: [(_message, _options, action) => action] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.unban');
    } finally {
      prompts.restore();
      quickPick.restore();
    }
    assert.ok(quickPick.offered().includes(address), `${address} not offered: ${JSON.stringify(quickPick.offered())}`);
    assert.equal(await isBanned(address), false, `${address} is still banned`);
  });

  it('showStatus: opens a read-only report of every jail', async () => {
    await vscode.commands.executeCommand('dmsFail2ban.showStatus');
    const text = await activeTextOf('dms-fail2ban');
    for (const jail of (await bannedInContainer()).keys()) assert.match(text, new RegExp(jail));
    assert.match(text, /dovecot/);
    assert.match(text, /postfix/);
  });

  it('showLog: opens the container\'s fail2ban log', async () => {
    await vscode.commands.executeCommand('dmsFail2ban.showLog');
    const text = await activeTextOf('dms-fail2ban');
    assert.match(text, /fail2ban\.\w+/);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'log');
  });

  it('selectContainer: lists the running DMS containers and remembers the pick', async () => {
    let offered: string[] = [];
    const prompts = scriptPrompts({
      showQuickPick: [
        (items) => {
          offered = itemLabels(items);
          return (items as vscode.QuickPickItem[]).find((item) => item.label === CONTAINER);
        },
      ],
    });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.selectContainer');
    } finally {
      prompts.restore();
    }
    assert.ok(offered.includes(CONTAINER), `${CONTAINER} not offered: ${JSON.stringify(offered)}`);
    const state = api.serverStates()[0]?.state;
    assert.equal(state?.kind, 'ready');
    assert.equal(state?.container, CONTAINER);
  });

  it('copyAddress: puts a banned address on the clipboard', async () => {
    const address = seededBans().dovecot?.[0] ?? '198.51.100.7';
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('dmsFail2ban.copyAddress', { kind: 'ip', session: {}, jail: 'dovecot', address });
    assert.equal(await vscode.env.clipboard.readText(), address);
  });

  it('showOutput: shows the Fail2Ban output channel', async () => {
    /** The Fail2Ban channel's document (scheme 'output', named after the channel), once VS Code shows it. */
    const isFail2banChannel = (document: vscode.TextDocument): boolean =>
      document.uri.scheme === 'output' && /Fail2Ban$/.test(decodeURIComponent(document.uri.path));
    const shownEditor = (): vscode.TextEditor | undefined =>
      vscode.window.visibleTextEditors.find((editor) => isFail2banChannel(editor.document));
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await waitFor('the output panel to close', () => (shownEditor() ? undefined : true));
    await vscode.commands.executeCommand('dmsFail2ban.refresh'); // runs a command, which the channel logs
    await vscode.commands.executeCommand('dmsFail2ban.showOutput');
    const editor = await waitFor('the Fail2Ban output channel to be shown with a logged command line', () => {
      const shown = shownEditor();
      return shown && /^\$ .*exec .*setup fail2ban/m.test(shown.document.getText()) ? shown : undefined;
    });
    assert.doesNotMatch(decodeURIComponent(editor.document.uri.path), /Language Server/);
  });

  it('addToIgnoreIp: adds the address to [DEFAULT] ignoreip of fail2ban-jail.cf', async () => {
    const { document } = await openFixture(JAIL_FILE);
    const prompts = scriptPrompts({ showInputBox: [() => '192.0.2.44'] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.addToIgnoreIp');
    } finally {
      prompts.restore();
    }
    assert.match(document.getText(), /^ignoreip = 127\.0\.0\.1\/8 192\.0\.2\.10 192\.0\.2\.44$/m);
    const question = prompts.calls.find((call) => call.name === 'showInformationMessage');
    assert.ok(question?.args.includes('Save and Apply'), 'no offer to apply the change');
    await revertDocument(document);
  });

  it('applyConfig: refuses a file with errors and leaves the container untouched', async () => {
    const before = readFileSync(containerFile(USER_JAIL_LOCAL), { encoding: 'utf8', flag: 'a+' });
    const prompts = scriptPrompts({ showWarningMessage: [(_message, _options, action) => action] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.applyConfig', workspaceUri(JAIL_FILE));
    } finally {
      prompts.restore();
    }
    const error = prompts.calls.find((call) => call.name === 'showErrorMessage');
    assert.ok(error, `no error shown; prompts: ${JSON.stringify(prompts.calls.map((c) => c.args[0]))}`);
    assert.equal(readFileSync(containerFile(USER_JAIL_LOCAL), { encoding: 'utf8', flag: 'a+' }), before);
  });

  it('applyConfig: copies a valid file into the container and fail2ban reloads it', async () => {
    const text = '[DEFAULT]\nignoreip = 127.0.0.1/8 192.0.2.10\n\n[dovecot]\nmaxretry = 4\n';
    const uri = await writeWorkspaceFile('apply/fail2ban-jail.cf', text);
    const prompts = scriptPrompts({ showWarningMessage: [(_message, _options, action) => action] });
    try {
      await vscode.commands.executeCommand('dmsFail2ban.applyConfig', uri);
    } finally {
      prompts.restore();
    }
    // the workspace's apply/ folder is not the compose file's config volume: success comes as a warning saying so
    const applied = prompts.calls.find((call) => /Applied/.test(String(call.args[0])));
    assert.ok(applied, `prompts: ${JSON.stringify(prompts.calls.map((c) => c.args[0]))}`);
    assert.equal(applied.name, 'showWarningMessage');
    assert.match(String(applied.args[0]), /is not in the config volume .*Save it as docker-data\/dms\/config\/fail2ban-jail\.cf/);
    assert.equal(readFileSync(containerFile(USER_JAIL_LOCAL), 'utf8'), text);
    await waitFor('dovecot maxretry 4 in the running fail2ban', async () => {
      const value = await docker(['exec', CONTAINER, 'fail2ban-client', 'get', 'dovecot', 'maxretry']);
      return value.trim() === '4' ? true : undefined;
    });
  });
});
