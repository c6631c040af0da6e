// Completion documentation on demand (server/src/handlers/completionDocs.ts): a client that declares
// resolveSupport for `documentation` (VS Code does) gets lists without it and completionItem/resolve fills it in,
// equal to what a client without resolveSupport gets in the list; other clients keep it in the list.
// Resolve finds the documentation of the last lists sent (server/src/handlers/completionDocs.ts LISTS_RESOLVED).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MINIMAL, withSession, type Profile, type Session } from './harness';
import { ensureBuilt } from './lspClient';

interface Item {
  label: string;
  documentation?: unknown;
  data?: unknown;
}

const URI = 'file:///srv/dms/config/fail2ban-jail.cf';
const TEXT = '[postfix]\nenabled = true\nfilter = \n';
const RESOLVING: Profile = {
  name: 'resolving',
  initialize: {
    processId: null,
    rootUri: null,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail'] } } } } },
  },
};

async function completionItems(session: Session, position: { line: number; character: number }): Promise<Item[]> {
  await session.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'fail2ban', version: 1, text: TEXT } });
  const items = await session.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument: { uri: URI }, position });
  return Array.isArray(items) ? items : items.items;
}

describe('completion documentation on demand', () => {
  before(() => ensureBuilt());

  for (const [what, position] of [
    ['filter values', { line: 2, character: 9 }],
    ['option names', { line: 1, character: 0 }],
  ] as const) {
    it(`${what}: resolve gives back the documentation a client without resolveSupport gets in the list`, async () => {
      const inline = await withSession(
        { ...MINIMAL, initialize: { ...MINIMAL.initialize, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } } } },
        async (session) => {
          const capabilities = session.initializeResult.capabilities as { completionProvider?: { resolveProvider?: boolean } };
          assert.equal(capabilities.completionProvider?.resolveProvider, false);
          return completionItems(session, position);
        },
      );
      const documented = inline.filter((item) => item.documentation !== undefined);
      assert.ok(documented.length > 3, `${what}: only ${documented.length} items with documentation`);

      await withSession(RESOLVING, async (session) => {
        const capabilities = session.initializeResult.capabilities as { completionProvider?: { resolveProvider?: boolean } };
        assert.equal(capabilities.completionProvider?.resolveProvider, true);
        const deferred = await completionItems(session, position);
        assert.deepEqual(
          deferred.map((item) => item.label),
          inline.map((item) => item.label),
        );
        assert.ok(deferred.every((item) => item.documentation === undefined), 'no documentation in the list');
        for (const [index, item] of deferred.entries()) {
          const resolved = await session.request<Item>('completionItem/resolve', item);
          assert.deepEqual(resolved, inline[index], `${what}: ${item.label}`);
        }
        // an item of an earlier list (other lists sent since, the same one again): its own documentation, never
        // another item's (a list the server keeps is sent again under its number)
        await completionItems(session, { line: 1, character: 0 });
        await completionItems(session, { line: 2, character: 9 });
        await completionItems(session, position);
        const staleIndex = deferred.findIndex((item) => item.data !== undefined);
        assert.deepEqual(await session.request<Item>('completionItem/resolve', deferred[staleIndex]), inline[staleIndex], `${what}: earlier list`);
        // an item of a list the server does not know (any more): returned without its reference and documentation
        const unknown = { ...deferred[staleIndex], data: { documentationOf: [1_000_000, staleIndex] } };
        const resolvedUnknown = await session.request<Item>('completionItem/resolve', unknown);
        assert.equal(resolvedUnknown.documentation, undefined);
        assert.equal(resolvedUnknown.data, undefined);
        assert.equal(resolvedUnknown.label, unknown.label);
      });
    });
  }
});
