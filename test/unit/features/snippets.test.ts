// Issue 14.2: snippets come from the server and only where they fit — at the start of a line being typed, in
// the right file kind, never after `key =`, never a second item with a key's label.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import { adaptCompletionItems } from '../../../server/src/features/clientCompat';
import { computeCompletion } from '../../../server/src/features/completion';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { SNIPPETS } from '../../../server/src/features/snippets';
import { atCursor } from './fixture';

const ROOT = join(__dirname, '..', '..', '..');

function complete(fixture: string, options: FeatureOptions = { kind: 'dms-jail' }): CompletionItem[] {
  const { doc, position } = atCursor(fixture);
  return computeCompletion(doc, position, options);
}

const snippetLabels = (items: CompletionItem[]): string[] => items.filter((i) => i.kind === CompletionItemKind.Snippet && !i.label.endsWith('[…]')).map((i) => i.label).sort();

describe('snippet placement', () => {
  it('offers the jail snippets at a line start of a jail file, section snippets where no option follows', () => {
    assert.deepEqual(snippetLabels(complete('|')), ['DMS manual-ban jail [custom]', 'New jail …', 'Recidive jail for DMS']);
    const endOfJail = snippetLabels(complete('[postfix]\nenabled = true\n|'));
    for (const label of ['New jail …', 'Recidive jail for DMS', 'Action with parameters …', "Extend the filter's failregex", 'Extend ignoreip', 'Incremental ban time block']) {
      assert.ok(endOfJail.includes(label), `${label} at the end of [postfix]: ${endOfJail.join(', ')}`);
    }
    // a new section here would take over `maxretry = 3`
    const middle = snippetLabels(complete('[postfix]\nenabled = true\n|\nmaxretry = 3\n'));
    assert.ok(!middle.includes('New jail …') && middle.includes('Extend ignoreip'), middle.join(', '));
  });

  it('never offers the server snippet in a jail file, nor jail snippets in the server file', () => {
    assert.ok(!snippetLabels(complete('[postfix]\n|')).some((label) => label.includes('[Definition]')));
    assert.deepEqual(snippetLabels(complete('|', { kind: 'dms-server' })), ['Server settings [Definition]']);
    assert.deepEqual(snippetLabels(complete('[Definition]\nloglevel = INFO\n|', { kind: 'dms-server' })), [], '[Definition] exists already');
  });

  it('offers no snippet after `key =`, on an indented line, over an existing key, or in a comment', () => {
    for (const fixture of ['[postfix]\nmode = |', '[postfix]\nmode = extra |', '[postfix]\nfilter = |', '[postfix]\nlogpath = /a\n  |', '[postfix]\nban|time = 1h', '[postfix]\n# |']) {
      assert.deepEqual(snippetLabels(complete(fixture)), [], fixture);
    }
  });

  it('leaves out what the section has already and what does not belong in [DEFAULT]', () => {
    const defaults = snippetLabels(complete('[DEFAULT]\n|'));
    assert.ok(defaults.includes('Incremental ban time block'));
    assert.ok(!defaults.includes('Extend ignoreip') && !defaults.includes("Extend the filter's failregex"), defaults.join(', '));
    assert.ok(!snippetLabels(complete('[postfix]\nignoreip = 10.0.0.1\n|')).includes('Extend ignoreip'));
    assert.ok(!snippetLabels(complete('[custom]\nenabled = true\n\n|')).includes('DMS manual-ban jail [custom]'), '[custom] exists');
  });

  it('never gives a snippet the label of a key, in any position', () => {
    for (const [fixture, options] of [['|', { kind: 'dms-jail' }], ['[postfix]\n|', { kind: 'dms-jail' }], ['[DEFAULT]\n|', { kind: 'jail' }], ['|', { kind: 'dms-server' }], ['[Definition]\n|', { kind: 'dms-server' }]] as const) {
      const items = complete(fixture, options);
      const labels = items.map((i) => i.label);
      assert.deepEqual(labels.filter((label, index) => labels.indexOf(label) !== index), [], `duplicate labels at ${JSON.stringify(fixture)}`);
    }
    const keyLabels = new Set(complete('[postfix]\n|').filter((i) => i.kind !== CompletionItemKind.Snippet).map((i) => i.label));
    assert.deepEqual(SNIPPETS.filter((s) => keyLabels.has(s.label)).map((s) => s.label), []);
  });

  it('inserts the whole snippet at the typed word, plain text for a client without snippets', () => {
    const recidive = complete('[postfix]\nenabled = true\nreci|').find((i) => i.label === 'Recidive jail for DMS');
    assert.ok(recidive?.textEdit && 'range' in recidive.textEdit);
    assert.deepEqual(recidive.textEdit.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } });
    assert.match(recidive.textEdit.newText, /^\[recidive\]\nenabled = true\n/);
    const [plain] = adaptCompletionItems([recidive], { snippets: false, hoverMarkdown: false, completionMarkdown: false, hierarchicalSymbols: false, vscodeCommands: false });
    assert.ok(plain.textEdit && 'range' in plain.textEdit);
    assert.doesNotMatch(plain.textEdit.newText, /\$/);
    const jail = complete('|').find((i) => i.label === 'New jail …');
    const [plainJail] = adaptCompletionItems(jail ? [jail] : [], { snippets: false, hoverMarkdown: false, completionMarkdown: false, hierarchicalSymbols: false, vscodeCommands: false });
    assert.match(plainJail.textEdit?.newText ?? '', /^\[postfix-auth\]\nenabled = true\nfilter = postfix\[mode=auth\]\n/, 'a choice becomes its first option');
  });

  it('the extension contributes no static snippets file any more (they would show everywhere)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
    assert.equal(manifest.contributes.snippets, undefined);
  });
});
