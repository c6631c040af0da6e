// End-to-end: the real server (node dist/cli.js lsp --stdio) driven by the `initialize` of editors we have
// not seen — a client that declares nothing, neovim-, helix- and VS Code-like clients, clients that answer
// workspace/configuration with garbage or not at all, UTF-8/UTF-32-only clients, clients without
// snippets, markdown, hierarchical symbols or Diagnostic.data.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DMS_DEFAULT_JAIL, NETMASK_START, NON_ASCII_JAIL } from './fixtures';
import { assertAllPositionsInside, codes, linesOf, MINIMAL, publishedAt, withSession, type LspDiagnostic, type Profile } from './harness';
import { applyEdits } from '../../support/textEdits';
import { ensureBuilt } from './lspClient';

const JAIL_URI = 'file:///home/me/dms/config/fail2ban-jail.cf';
const SERVER_URI = 'file:///home/me/dms/config/fail2ban-fail2ban.cf';
const TYPO_JAIL = '[postfix]\nenabled = ture\n';
const BAD_LOGLEVEL = '[Definition]\nloglevel = VERBOSE\n';

const NEOVIM: Profile = {
  name: 'neovim',
  initialize: {
    processId: process.pid,
    clientInfo: { name: 'Neovim', version: '0.10.4' },
    rootUri: 'file:///home/me/dms',
    rootPath: '/home/me/dms',
    workspaceFolders: [{ uri: 'file:///home/me/dms', name: '/home/me/dms' }],
    initializationOptions: null,
    trace: 'off',
    capabilities: {
      general: { positionEncodings: ['utf-8', 'utf-16', 'utf-32'] },
      window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: false } } },
      workspace: {
        applyEdit: true,
        configuration: true,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: false },
        didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        semanticTokens: { refreshSupport: true },
        inlayHint: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
        completion: {
          dynamicRegistration: false,
          completionItem: { snippetSupport: true, commitCharactersSupport: false, preselectSupport: false, deprecatedSupport: false, documentationFormat: ['markdown', 'plaintext'] },
          completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
          contextSupport: false,
        },
        hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
        codeAction: {
          dynamicRegistration: true,
          isPreferredSupport: true,
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
        },
        documentSymbol: { dynamicRegistration: false, hierarchicalDocumentSymbolSupport: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) } },
        publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, dataSupport: true },
        definition: { linkSupport: true },
        formatting: { dynamicRegistration: true },
        rangeFormatting: { dynamicRegistration: true },
        foldingRange: { dynamicRegistration: false, lineFoldingOnly: true },
        inlayHint: { dynamicRegistration: true, resolveSupport: { properties: [] } },
      },
    },
  },
  // neovim answers vim.NIL (null) for a section nobody configured
  configuration: () => null,
};

const HELIX: Profile = {
  name: 'helix',
  initialize: {
    processId: process.pid,
    clientInfo: { name: 'helix', version: '25.01' },
    rootPath: '/home/me/dms',
    rootUri: 'file:///home/me/dms',
    workspaceFolders: [{ uri: 'file:///home/me/dms', name: 'dms' }],
    initializationOptions: undefined,
    capabilities: {
      general: { positionEncodings: ['utf-8', 'utf-32', 'utf-16'] },
      workspace: { configuration: true, workspaceFolders: true, applyEdit: true, didChangeConfiguration: { dynamicRegistration: false }, executeCommand: { dynamicRegistration: false } },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail'] }, insertReplaceSupport: true, tagSupport: { valueSet: [1] } }, completionItemKind: {} },
        hover: { contentFormat: ['markdown'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } }, isPreferredSupport: true, dataSupport: true },
        publishDiagnostics: { versionSupport: true, tagSupport: { valueSet: [1, 2] } },
        rename: { dynamicRegistration: false, prepareSupport: true },
        inlayHint: { dynamicRegistration: false },
      },
      window: { workDoneProgress: true },
    },
  },
  configuration: () => null,
};

const VSCODE: Profile = {
  name: 'vscode',
  initialize: {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.100.0' },
    locale: 'en',
    rootPath: null,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, diagnostics: { refreshSupport: true }, inlayHint: { refreshSupport: true } },
      textDocument: {
        synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
        completion: { dynamicRegistration: true, contextSupport: true, completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: true, labelDetailsSupport: true } },
        hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
        codeAction: { dynamicRegistration: true, isPreferredSupport: true, dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
      },
    },
  },
  configuration: () => ({ fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0', rules: {} }),
  answers: { 'client/registerCapability': () => null, 'workspace/diagnostic/refresh': () => null },
};

describe('LSP client profiles', () => {
  before(() => ensureBuilt());

  it('minimal client (capabilities {}): push diagnostics on open, full and incremental change, and no server→client requests', async () => {
    await withSession(MINIMAL, async (session) => {
      const caps = session.initializeResult.capabilities;
      assert.equal(caps.diagnosticProvider, undefined, 'no pull diagnostics for a client that cannot pull');
      assert.equal(caps.positionEncoding ?? 'utf-16', 'utf-16');
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
      await session.notify('textDocument/didChange', { textDocument: { uri: JAIL_URI, version: 2 }, contentChanges: [{ text: '[postfix]\nenabled = true\nbantime = 1hr\n' }] });
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 2)).diagnostics), ['invalid-duration']);
      await session.notify('textDocument/didChange', {
        textDocument: { uri: JAIL_URI, version: 3 },
        contentChanges: [{ range: { start: { line: 2, character: 11 }, end: { line: 2, character: 13 } }, text: '' }],
      });
      assert.deepEqual((await publishedAt(session, JAIL_URI, 3)).diagnostics, []);
      await session.open(SERVER_URI, BAD_LOGLEVEL);
      const server = await publishedAt(session, SERVER_URI, 1);
      assert.deepEqual(codes(server.diagnostics), ['invalid-value']);
      assert.equal(server.diagnostics[0].severity, 1);
      assert.deepEqual(session.serverRequests, [], 'the server asked a client that declared nothing');
    });
  });

  it('neovim-like client: UTF-16 chosen from [utf-8, utf-16, utf-32], null settings mean defaults, push diagnostics', async () => {
    await withSession(NEOVIM, async (session) => {
      assert.equal(session.initializeResult.capabilities.positionEncoding ?? 'utf-16', 'utf-16');
      assert.equal(session.initializeResult.capabilities.diagnosticProvider, undefined);
      await session.open(JAIL_URI, NON_ASCII_JAIL);
      const published = await publishedAt(session, JAIL_URI, 1);
      const netmask = published.diagnostics.find((d) => d.code === 'invalid-netmask');
      assert.equal(netmask?.range.start.character, NETMASK_START['utf-16']);
      assert.ok(session.serverRequests.some((r) => r.method === 'workspace/configuration'));
      assert.ok(!session.serverRequests.some((r) => r.method === 'client/registerCapability'), 'no dynamic registration was declared');
    });
  });

  it('helix-like client: UTF-16 chosen from [utf-8, utf-32, utf-16]; markdown hover; completion on both file kinds', async () => {
    await withSession(HELIX, async (session) => {
      assert.equal(session.initializeResult.capabilities.positionEncoding ?? 'utf-16', 'utf-16');
      await session.open(SERVER_URI, '[Definition]\nloglevel = \n');
      await publishedAt(session, SERVER_URI, 1);
      const items = await session.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri: SERVER_URI }, position: { line: 1, character: 11 } });
      assert.ok(items.some((i) => i.label === 'INFO'), JSON.stringify(items));
      await session.open(JAIL_URI, DMS_DEFAULT_JAIL);
      assert.deepEqual((await publishedAt(session, JAIL_URI, 1)).diagnostics, []);
      const hover = await session.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 3, character: 2 } });
      assert.equal(hover.contents.kind, 'markdown');
    });
  });

  for (const encoding of ['utf-8', 'utf-32'] as const) {
    it(`${encoding}-only client: ${encoding} is used for every position, in and out, on non-ASCII lines`, async () => {
      const profile: Profile = { name: `${encoding}-only`, initialize: { processId: null, rootUri: null, capabilities: { general: { positionEncodings: [encoding] } } } };
      await withSession(profile, async (session) => {
        assert.equal(session.initializeResult.capabilities.positionEncoding, encoding);
        await session.open(JAIL_URI, NON_ASCII_JAIL);
        const first = await publishedAt(session, JAIL_URI, 1);
        const netmask = first.diagnostics.find((d) => d.code === 'invalid-netmask');
        assert.deepEqual(netmask?.range, {
          start: { line: 1, character: NETMASK_START[encoding] },
          end: { line: 1, character: NETMASK_START[encoding] + '10.0.0.1/99'.length },
        });
        // an incremental edit in the client's units: '99' → '24' right after the non-ASCII text
        const slash = NETMASK_START[encoding] + '10.0.0.1/'.length;
        await session.notify('textDocument/didChange', {
          textDocument: { uri: JAIL_URI, version: 2 },
          contentChanges: [{ range: { start: { line: 1, character: slash }, end: { line: 1, character: slash + 2 } }, text: '24' }],
        });
        const second = await publishedAt(session, JAIL_URI, 2);
        assert.ok(!second.diagnostics.some((d) => d.code === 'invalid-netmask'), JSON.stringify(second.diagnostics));
        // the mode value 'éxtra😀' ends at the end of line 3 in the client's units
        const mode = second.diagnostics.find((d) => d.code === 'invalid-mode');
        const modeEnd = { 'utf-8': 'mode = éxtra😀'.length + 1 + 2, 'utf-32': 'mode = éxtra😀'.length - 1 }[encoding];
        assert.deepEqual(mode?.range, { start: { line: 3, character: 7 }, end: { line: 3, character: modeEnd } });
        // hover inside 'bantime = 1hr' and on the emoji line (position inside a code point snaps, never fails)
        const hover = await session.request<{ range: { start: { character: number } } } | null>('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 5, character: 1 } });
        assert.ok(hover);
        await session.request('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 4, character: 19 } });
        // the quick fix for the mode replaces exactly the value, in the client's units
        const actions = await session.request<{ isPreferred?: boolean; edit: { changes: Record<string, { range: never; newText: string }[]> } }[]>('textDocument/codeAction', {
          textDocument: { uri: JAIL_URI },
          range: mode?.range,
          context: { diagnostics: [mode] },
        });
        const fix = actions.find((a) => a.isPreferred);
        assert.ok(fix, JSON.stringify(actions));
        const edits = fix.edit.changes[JAIL_URI];
        assert.deepEqual(edits, [{ range: mode?.range, newText: 'extra' }]);
      });
    });
  }

  it('VS Code-like client: pull diagnostics with result ids, unchanged reports, refresh on settings change', async () => {
    await withSession(VSCODE, async (session) => {
      const provider = session.initializeResult.capabilities.diagnosticProvider as { workspaceDiagnostics: boolean };
      assert.equal(provider.workspaceDiagnostics, false);
      await session.open(JAIL_URI, TYPO_JAIL);
      type Report = { kind: 'full' | 'unchanged'; resultId?: string; items?: LspDiagnostic[] };
      const pull = (previousResultId?: string) => session.request<Report>('textDocument/diagnostic', { textDocument: { uri: JAIL_URI }, previousResultId });
      const first = await pull();
      assert.equal(first.kind, 'full');
      assert.deepEqual(codes(first.items ?? []), ['invalid-boolean']);
      assert.ok(first.resultId);
      assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });
      await session.notify('textDocument/didChange', { textDocument: { uri: JAIL_URI, version: 2 }, contentChanges: [{ text: '[postfix]\nenabled = true\n' }] });
      const second = await pull(first.resultId);
      assert.equal(second.kind, 'full');
      assert.deepEqual(second.items, []);
      assert.notEqual(second.resultId, first.resultId);
      const refreshes = () => session.serverRequests.filter((r) => r.method === 'workspace/diagnostic/refresh').length;
      await session.notify('workspace/didChangeConfiguration', { settings: null });
      await session.waitFor(() => (refreshes() > 0 ? true : undefined), 'workspace/diagnostic/refresh');
      assert.equal((await pull(second.resultId)).kind, 'full', 'settings changed: the old result id is stale');
      // close and reopen with the same version number: a result id must not carry over
      const beforeClose = await pull();
      await session.notify('textDocument/didClose', { textDocument: { uri: JAIL_URI } });
      await session.open(JAIL_URI, TYPO_JAIL, 2);
      const reopened = await pull(beforeClose.resultId);
      assert.equal(reopened.kind, 'full');
      assert.deepEqual(codes(reopened.items ?? []), ['invalid-boolean']);
      assert.ok(session.serverRequests.some((r) => r.method === 'client/registerCapability'));
      assert.ok(!session.published.some((p) => p.uri === JAIL_URI && p.diagnostics.length > 0), 'a pull client gets no pushed diagnostics');
    });
  });

  it('a pull client without refreshSupport gets no workspace/diagnostic/refresh request', async () => {
    const profile: Profile = { name: 'pull-no-refresh', initialize: { processId: null, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } } };
    await withSession(profile, async (session) => {
      await session.open(JAIL_URI, TYPO_JAIL);
      await session.notify('workspace/didChangeConfiguration', { settings: {} });
      const report = await session.request<{ items: LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: JAIL_URI } });
      assert.deepEqual(codes(report.items), ['invalid-boolean']);
      assert.deepEqual(session.serverRequests, []);
    });
  });

  const garbageSettings: [string, (item: unknown) => unknown][] = [
    ['null', () => null],
    ['[]', () => []],
    ['a string', () => 'garbage'],
    ['a number', () => 42],
    ['wrong field types', () => ({ fail2banVersion: { x: 1 }, dmsVersion: 15, rules: ['off'] })],
    ['unknown rule severities', () => JSON.parse('{"rules":{"invalid-boolean":"fatal","__proto__":"off","constructor":{}}}')],
  ];
  for (const [what, answer] of garbageSettings) {
    it(`client answering workspace/configuration with ${what} gets the default diagnostics`, async () => {
      const profile: Profile = { name: `settings-${what}`, initialize: { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } }, configuration: answer };
      await withSession(profile, async (session) => {
        await session.open(JAIL_URI, TYPO_JAIL);
        assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
      });
    });
  }

  it('client answering workspace/configuration with a result of the wrong shape (not one entry per item)', async () => {
    const profile: Profile = {
      name: 'settings-wrong-shape',
      initialize: { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } },
      answers: { 'workspace/configuration': () => null },
    };
    await withSession(profile, async (session) => {
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
    });
  });

  it('client that declares workspace/configuration but refuses it, or never answers, still gets diagnostics', async () => {
    const refusing: Profile = { name: 'settings-refused', initialize: { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } } };
    await withSession(refusing, async (session) => {
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
    });
    const silent: Profile = {
      name: 'settings-never-answered',
      initialize: { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } },
      answers: { 'workspace/configuration': () => new Promise(() => undefined) },
    };
    await withSession(silent, async (session) => {
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
      const hover = await session.request('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 1, character: 1 } });
      assert.ok(hover);
    });
  });

  it('client that declares dynamic registration but refuses client/registerCapability: the server carries on', async () => {
    const profile: Profile = {
      name: 'registration-refused',
      initialize: { processId: null, rootUri: null, capabilities: { workspace: { didChangeConfiguration: { dynamicRegistration: true } } } },
    };
    await withSession(profile, async (session) => {
      await session.waitFor(() => session.serverRequests.find((r) => r.method === 'client/registerCapability'), 'registration attempt');
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.deepEqual(codes((await publishedAt(session, JAIL_URI, 1)).diagnostics), ['invalid-boolean']);
    });
  });

  it('settings pushed with didChangeConfiguration or initializationOptions apply to a client without workspace/configuration', async () => {
    const profile: Profile = { name: 'pushed-settings', initialize: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { dmsFail2ban: { rules: { 'invalid-boolean': 'hint' } } } } };
    await withSession(profile, async (session) => {
      await session.open(JAIL_URI, TYPO_JAIL);
      assert.equal((await publishedAt(session, JAIL_URI, 1)).diagnostics[0]?.severity, 4);
      const count = session.published.length;
      await session.notify('workspace/didChangeConfiguration', { settings: { dmsFail2ban: { rules: { 'invalid-boolean': 'off' } } } });
      const republished = await session.waitFor(() => session.published.slice(count).find((p) => p.uri === JAIL_URI), 're-published diagnostics');
      assert.deepEqual(republished.diagnostics, []);
    });
  });

  it('client without snippets, markdown, hierarchical symbols or Diagnostic.data gets plain forms and still gets fixes', async () => {
    const profile: Profile = {
      name: 'plain',
      initialize: {
        processId: null,
        rootUri: null,
        clientInfo: { name: 'plain-editor' },
        capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] }, completion: { completionItem: { snippetSupport: false, documentationFormat: ['plaintext'] } } } },
      },
    };
    await withSession(profile, async (session) => {
      const text = '[postfix]\naction = \nenabled = ture\nlogpath = %(\n';
      await session.open(JAIL_URI, text);
      const published = await publishedAt(session, JAIL_URI, 1);
      type Item = { label: string; insertTextFormat?: number; textEdit?: { newText: string }; command?: unknown; documentation?: { kind: string } };
      const complete = (line: number, character: number) => session.request<Item[]>('textDocument/completion', { textDocument: { uri: JAIL_URI }, position: { line, character } });
      const items = [...(await complete(1, 9)), ...(await complete(3, 12))];
      assert.ok(items.some((i) => i.label === 'known/'), 'the %( completion offers known/');
      for (const item of items) {
        assert.notEqual(item.insertTextFormat, 2, JSON.stringify(item));
        assert.doesNotMatch(item.textEdit?.newText ?? '', /\$\{?\d/);
        assert.equal(item.command, undefined);
        if (item.documentation) assert.equal(item.documentation.kind, 'plaintext');
      }
      const hover = await session.request<{ contents: { kind: string } }>('textDocument/hover', { textDocument: { uri: JAIL_URI }, position: { line: 2, character: 2 } });
      assert.equal(hover.contents.kind, 'plaintext');
      const symbols = await session.request<{ name: string; location?: { uri: string }; containerName?: string }[]>('textDocument/documentSymbol', { textDocument: { uri: JAIL_URI } });
      assert.deepEqual(symbols.map((s) => [s.name, s.location?.uri, s.containerName]), [
        ['postfix', JAIL_URI, undefined],
        ['action', JAIL_URI, 'postfix'],
        ['enabled', JAIL_URI, 'postfix'],
        ['logpath', JAIL_URI, 'postfix'],
      ]);
      // the client drops `data` (where fixes travel): the server finds the fix again
      const typo = published.diagnostics.find((d) => d.code === 'invalid-boolean');
      assert.ok(typo);
      const withoutData = { ...typo, data: undefined };
      const actions = await session.request<{ isPreferred?: boolean; edit: { changes: Record<string, { range: never; newText: string }[]> } }[]>('textDocument/codeAction', {
        textDocument: { uri: JAIL_URI },
        range: typo.range,
        context: { diagnostics: [withoutData] },
      });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix, JSON.stringify(actions));
      assert.equal(applyEdits(text, fix.edit.changes[JAIL_URI]), text.replace('ture', 'true'));
    });
  });

  it('snippet-capable client gets action parameter snippets; VS Code keeps its client commands', async () => {
    await withSession(VSCODE, async (session) => {
      await session.open(JAIL_URI, '[postfix]\naction = \nlogpath = \n');
      const items = await session.request<{ insertTextFormat?: number; textEdit?: { newText: string } }[]>('textDocument/completion', { textDocument: { uri: JAIL_URI }, position: { line: 1, character: 9 } });
      assert.ok(items.some((i) => i.insertTextFormat === 2 && /\$\{1:/.test(i.textEdit?.newText ?? '')), 'snippets for a snippet client');
      assertAllPositionsInside(items, linesOf('[postfix]\naction = \nlogpath = \n'), 'completion');
      await session.open(SERVER_URI, '[Definition]\ndbfile = %(\n');
      const variables = await session.request<{ label: string; command?: { command: string } }[]>('textDocument/completion', { textDocument: { uri: SERVER_URI }, position: { line: 1, character: 11 } });
      assert.equal(variables.find((i) => i.label === 'default/')?.command?.command, 'editor.action.triggerSuggest');
    });
  });
});
