// Issue 14.1: a completion list the user did not ask for must never take the Enter that ends a line.
// The server (spawned as the editor spawns it) declares no space/`=` trigger and answers nothing after a
// finished one-word value; the manifest makes Enter accept a suggestion only when it changes the text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { MINIMAL, withSession, type Session } from './harness';
import { ensureBuilt, ROOT } from './lspClient';

interface Item {
  label: string;
}

const URI = 'file:///srv/dms/config/fail2ban-jail.cf';
const INVOKED = 1;
const TRIGGER_CHARACTER = 2;

/** Completion at the end of the document's last line, asked as the editor asks after typing `typed`. */
async function completeAtEnd(session: Session, text: string, typed?: string): Promise<string[]> {
  const lines = text.split('\n');
  const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const context = typed ? { triggerKind: TRIGGER_CHARACTER, triggerCharacter: typed } : { triggerKind: INVOKED };
  const items = await session.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument: { uri: URI }, position, context });
  return (Array.isArray(items) ? items : items.items).map((item) => item.label);
}

describe('completion placement (issue 14.1)', () => {
  before(() => ensureBuilt());

  it('declares no space or = trigger, and answers nothing after a finished value', async () => {
    await withSession(MINIMAL, async (session) => {
      const triggers = (session.initializeResult.capabilities.completionProvider as { triggerCharacters?: string[] }).triggerCharacters ?? [];
      assert.ok(!triggers.includes(' '), `space is a trigger: ${JSON.stringify(triggers)}`);
      assert.ok(!triggers.includes('='), `= is a trigger: ${JSON.stringify(triggers)}`);
      assert.ok(triggers.includes('['), 'section names and parameters still open on [');

      let version = 1;
      const at = async (text: string, typed?: string): Promise<string[]> => {
        await session.notify('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [{ text }] });
        return completeAtEnd(session, text, typed);
      };
      await session.open(URI, '[postfix]\n', 1);
      // the exact sequence from the issue: a list here is what turned Enter into `findtime = 10m 10m`
      assert.deepEqual(await at('[postfix]\nfindtime = 10m ', ' '), []);
      assert.deepEqual(await at('[postfix]\nfindtime = 10m '), []);
      assert.deepEqual(await at('[postfix]\nenabled = true  '), []);
      assert.deepEqual(await at('[postfix]\nmode = extra '), []);
      // still helpful where a value is being typed, or where a list of words goes on
      assert.ok((await at('[postfix]\nfindtime = 10')).includes('m'), 'units after a number');
      assert.ok((await at('[postfix]\nfindtime = ')).includes('1w'), 'durations when asked on an empty value');
      assert.ok((await at('[postfix]\nignoreip = 127.0.0.1/8 ')).includes('::1'), 'ignoreip takes more addresses');
      assert.ok((await at('[postfix]\naction = nftables[', '[')).includes('port'), 'parameters after [');
    });
  });

  it('lets Enter accept a suggestion in fail2ban files only when it changes the text', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configurationDefaults?: Record<string, Record<string, unknown>> } };
    assert.equal(manifest.contributes.configurationDefaults?.['[fail2ban]']?.['editor.acceptSuggestionOnEnter'], 'smart');
  });
});
