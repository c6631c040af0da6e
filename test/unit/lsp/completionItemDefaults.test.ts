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
  itemDefaults?: { editRange?: Range };
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

/** The items as the client sees them: itemDefaults.editRange applied as LSP 3.17 says (textEditText, else label). */
function applyDefaults(list: List): Item[] {
  const editRange = list.itemDefaults?.editRange;
  return list.items.map((item) => {
    if (item.textEdit || !editRange) return item;
    const { textEditText, ...rest } = item;
    return { ...rest, textEdit: { range: editRange, newText: textEditText ?? item.label } };
  });
}

describe('completion list item defaults', () => {
  before(() => ensureBuilt());

  for (const [what, position, range] of [
    ['filter values (replacing a word)', { line: 2, character: 13 }, { start: { line: 2, character: 9 }, end: { line: 2, character: 13 } }],
    ['action values and snippets', { line: 3, character: 9 }, { start: { line: 3, character: 9 }, end: { line: 3, character: 9 } }],
    ['option names (text other than the label)', { line: 4, character: 3 }, { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } }],
  ] as const) {
    it(`${what}: the shared range once, the same items and edits as per-item ranges`, async () => {
      const plain = await withSession(WITHOUT_DEFAULTS, (session) => complete(session, position));
      assert.ok(Array.isArray(plain), 'a client without itemDefaults gets a plain list');
      assert.ok(plain.length > 3, `${what}: only ${plain.length} items`);
      assert.ok(
        plain.every((item) => item.textEdit !== undefined && item.textEditText === undefined),
        'every item carries its own text edit',
      );

      const list = await withSession(WITH_DEFAULTS, (session) => complete(session, position));
      assert.ok(!Array.isArray(list), 'a client with itemDefaults gets a CompletionList');
      assert.equal(list.isIncomplete, false);
      assert.deepEqual(list.itemDefaults, { editRange: range });
      assert.ok(
        list.items.every((item) => item.textEdit === undefined),
        'no item repeats the range',
      );
      assert.ok(JSON.stringify(list).length < JSON.stringify(plain).length * 0.8, 'the list is smaller');
      // same labels, kinds, sort order, filter text, snippet format, edits and resolve references
      assert.deepEqual(applyDefaults(list), plain);
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
