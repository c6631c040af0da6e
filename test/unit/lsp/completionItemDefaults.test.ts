// Completion lists with CompletionList.itemDefaults.editRange (server/src/features/clientCompat.ts): a client that
// declares it (VS Code does) gets the shared range once and items without their own text edit; applying the
// defaults as LSP 3.17 says gives the same items, with the same edits, as a client that does not declare it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { withSession, type Profile, type Range, type Session } from './harness';
import { ensureBuilt } from './lspClient';

interface Item {
  label: string;
  kind?: number;
  sortText?: string;
  filterText?: string;
  insertTextFormat?: number;
  textEdit?: { range: Range; newText: string };
  textEditText?: string;
  data?: unknown;
}
interface List {
  isIncomplete: boolean;
  itemDefaults?: { editRange?: Range; data?: unknown };
  items: Item[];
}

const URI = 'file:///srv/dms/config/fail2ban-jail.cf';
const TEXT = '[postfix]\nenabled = true\nfilter = post\naction = \nban\n';
const COMPLETION = { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } };
/** What vscode-languageclient 9 declares. */
const WITH_DEFAULTS: Profile = {
  name: 'vscode-like',
  initialize: {
    processId: null,
    rootUri: null,
    capabilities: {
      textDocument: { completion: { completionItem: COMPLETION, completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } },
    },
  },
};
const WITHOUT_DEFAULTS: Profile = {
  name: 'lsp-3.16',
  initialize: { processId: null, rootUri: null, capabilities: { textDocument: { completion: { completionItem: COMPLETION } } } },
};

async function complete(session: Session, position: { line: number; character: number }): Promise<Item[] | List> {
  await session.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'fail2ban', version: 1, text: TEXT } });
  return session.request<Item[] | List>('textDocument/completion', { textDocument: { uri: URI }, position });
}

/** The items as the client sees them: itemDefaults.editRange (textEditText, else label) and data applied as LSP 3.17 says. */
function applyDefaults(list: List): Item[] {
  const { editRange, data } = list.itemDefaults ?? {};
  return list.items.map((item) => {
    const withData = item.data === undefined && data !== undefined ? { ...item, data } : item;
    if (withData.textEdit || !editRange) return withData;
    const { textEditText, ...rest } = withData;
    return { ...rest, textEdit: { range: editRange, newText: textEditText ?? item.label } };
  });
}

/** What completionItem/resolve gives for each item. */
async function resolveAll(session: Session, items: readonly Item[]): Promise<unknown[]> {
  const resolved: unknown[] = [];
  for (const item of items) resolved.push(await session.request('completionItem/resolve', item));
  return resolved;
}

function withoutData(items: readonly Item[]): Item[] {
  return items.map(({ data: _data, ...item }) => item);
}

describe('completion list item defaults', () => {
  before(() => ensureBuilt());

  for (const [what, position, range] of [
    ['filter values (replacing a word)', { line: 2, character: 13 }, { start: { line: 2, character: 9 }, end: { line: 2, character: 13 } }],
    ['action values and snippets', { line: 3, character: 9 }, { start: { line: 3, character: 9 }, end: { line: 3, character: 9 } }],
    ['option names (text other than the label)', { line: 4, character: 3 }, { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } }],
  ] as const) {
    it(`${what}: the shared range and list reference once, the same items, edits and documentation as per-item ones`, async () => {
      const [plain, plainResolved] = await withSession(WITHOUT_DEFAULTS, async (session) => {
        const items = await complete(session, position);
        return [items, Array.isArray(items) ? await resolveAll(session, items) : []] as const;
      });
      assert.ok(Array.isArray(plain), 'a client without itemDefaults gets a plain list');
      assert.ok(plain.length > 3, `${what}: only ${plain.length} items`);
      assert.ok(
        plain.every((item) => item.textEdit !== undefined && item.textEditText === undefined),
        'every item carries its own text edit',
      );

      const [list, listResolved] = await withSession(WITH_DEFAULTS, async (session) => {
        const answer = await complete(session, position);
        return [answer, Array.isArray(answer) ? [] : await resolveAll(session, applyDefaults(answer))] as const;
      });
      assert.ok(!Array.isArray(list), 'a client with itemDefaults gets a CompletionList');
      assert.equal(list.isIncomplete, false);
      assert.deepEqual(Object.keys(list.itemDefaults ?? {}).sort(), ['data', 'editRange']);
      assert.deepEqual(list.itemDefaults?.editRange, range);
      assert.ok(
        list.items.every((item) => item.textEdit === undefined && item.data === undefined),
        'no item repeats the range or the list reference',
      );
      assert.ok(JSON.stringify(list).length < JSON.stringify(plain).length * 0.7, 'the list is smaller');
      // same labels, kinds, sort order, filter text, snippet format and edits; resolve gives the same documentation
      assert.deepEqual(withoutData(applyDefaults(list)), withoutData(plain));
      assert.equal(listResolved.length, plain.length);
      assert.deepEqual(listResolved, plainResolved);
    });
  }

  it('items with different ranges keep their own (a plain list even when itemDefaults is declared)', async () => {
    const { sharedEditRangeForm, withDefaultEditRange } = await import('../../../server/src/features/clientCompat');
    const edit = (character: number) => ({ range: { start: { line: 0, character }, end: { line: 0, character: 3 } }, newText: 'x' });
    const items = [
      { label: 'x', textEdit: edit(0) },
      { label: 'x', textEdit: edit(1) },
    ];
    assert.deepEqual(withDefaultEditRange(sharedEditRangeForm(items)), items);
    const insertOnly = [{ label: 'a', insertText: 'a' }, { label: 'b', textEdit: edit(0) }];
    assert.deepEqual(withDefaultEditRange(sharedEditRangeForm(insertOnly)), insertOnly);
  });
});
