import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import { computeCompletion } from '../../../server/src/features/completion';
import type { FeatureOptions } from '../../../server/src/features/shared';
import { seededRandom } from '../../support/random';
import { atCursor } from './fixture';

function complete(fixture: string, options: FeatureOptions = { kind: 'dms-jail' }): CompletionItem[] {
  const { doc, position } = atCursor(fixture);
  return computeCompletion(doc, position, options);
}

const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
/** Without the snippets a line start offers too (test/unit/features/snippets.test.ts covers those). */
const keysOnly = (items: CompletionItem[]): CompletionItem[] => items.filter((i) => i.kind !== CompletionItemKind.Snippet);
const newText = (item: CompletionItem | undefined): string | undefined => (item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined);

describe('completion: sections', () => {
  it('offers stock and DMS jails, closing the bracket, without sections already in the file', () => {
    const items = complete('[postfix]\nenabled = true\n\n[|');
    const names = labels(items);
    for (const name of ['DEFAULT', 'INCLUDES', 'dovecot', 'custom', 'recidive', 'sshd']) assert.ok(names.includes(name), name);
    assert.ok(!names.includes('postfix'), 'an existing section would be a duplicate');
    assert.equal(newText(items.find((i) => i.label === 'dovecot')), 'dovecot]');
    assert.match(items.find((i) => i.label === 'dovecot')?.detail ?? '', /enabled by DMS v16/);
  });

  it('does not add a second ] when one follows the cursor', () => {
    const items = complete('[do|]');
    assert.equal(newText(items.find((i) => i.label === 'dovecot')), 'dovecot');
  });

  it('offers the server sections in fail2ban-fail2ban.cf', () => {
    assert.deepEqual(labels(complete('[|', { kind: 'dms-server' })).sort(), ['DEFAULT', 'Definition', 'INCLUDES', 'Thread']);
  });
});

describe('completion: keys', () => {
  it('offers jail options with stock and DMS defaults and hides keys already set', () => {
    const items = complete('[postfix]\nenabled = true\nba|');
    const names = labels(items);
    assert.ok(names.includes('bantime'));
    assert.ok(names.includes('bantime.increment'));
    assert.ok(names.includes('banaction'), 'interpolation variables are offered too');
    assert.ok(!names.includes('enabled'), 'already set');
    const bantime = items.find((i) => i.label === 'bantime');
    assert.equal(newText(bantime), 'bantime = ');
    assert.match(bantime?.detail ?? '', /fail2ban: 10m · DMS: 1w/);
    assert.match(JSON.stringify(bantime?.documentation), /Stock default/);
  });

  it('offers only server keys in [Definition] and stacksize in [Thread]', () => {
    const definition = labels(complete('[Definition]\n|', { kind: 'dms-server' }));
    assert.ok(definition.includes('loglevel') && definition.includes('dbpurgeage'));
    assert.ok(!definition.includes('bantime'));
    assert.deepEqual(labels(keysOnly(complete('[Thread]\n|', { kind: 'dms-server' }))), ['stacksize']);
  });

  it('offers before/after in [INCLUDES]', () => {
    assert.deepEqual(labels(keysOnly(complete('[INCLUDES]\n|'))).sort(), ['after', 'before']);
  });
});

describe('completion: values', () => {
  it('offers the postfix modes for [postfix] (DMS sets mode = extra)', () => {
    const names = labels(complete('[postfix]\nmode = |'));
    assert.deepEqual([...names].sort(), ['aggressive', 'auth', 'ddos', 'errors', 'extra', 'more', 'normal', 'rbl']);
  });

  it('offers the dovecot modes for [dovecot] and nothing where the filter hard-codes the mode', () => {
    assert.deepEqual(labels(complete('[dovecot]\nmode = |')).sort(), ['aggressive', 'normal']);
    assert.deepEqual(complete('[postfix-sasl]\nmode = |'), []);
  });

  it('offers modes inside filter = postfix[mode=…] and filter parameters inside the brackets', () => {
    assert.ok(labels(complete('[x]\nfilter = postfix[mode=|')).includes('aggressive'));
    const params = complete('[x]\nfilter = postfix[|');
    assert.equal(newText(params.find((i) => i.label === 'mode')), 'mode=');
  });

  it('offers filter names, action names with parameter snippets and %(action_…)s', () => {
    assert.ok(labels(complete('[x]\nfilter = |')).includes('postfix'));
    assert.ok(labels(complete('[x]\nfilter = |')).includes('custom'), "DMS's manual-ban filter");
    const actions = complete('[postfix]\naction = |');
    assert.ok(labels(actions).includes('nftables-allports'));
    assert.ok(labels(actions).includes('%(action_mwl)s'));
    const snippet = actions.find((i) => i.label === 'nftables-multiport[…]');
    assert.equal(snippet?.insertTextFormat, 2);
    assert.match(newText(snippet) ?? '', /^nftables-multiport\[port="\$\{1:%\(port\)s\}", protocol="\$\{2:tcp\}", blocktype="\$\{3:reject\}"\]$/);
  });

  it('offers action parameters and their values inside brackets', () => {
    assert.ok(labels(complete('[x]\nbanaction = nftables[|')).includes('blocktype'));
    assert.ok(labels(complete('[x]\nbanaction = nftables[blocktype=|')).includes('drop'));
  });

  it('offers booleans, backends and duration units', () => {
    assert.deepEqual(labels(complete('[x]\nenabled = |')), ['true', 'false']);
    assert.deepEqual(labels(complete('[x]\nbackend = |')), ['auto', 'pyinotify', 'polling', 'systemd']);
    const units = complete('[x]\nbantime = 12|');
    assert.deepEqual(labels(units), ['s', 'm', 'h', 'd', 'w', 'mo', 'y']);
    const hours = units.find((i) => i.label === 'h');
    assert.deepEqual(hours?.textEdit && 'range' in hours.textEdit ? hours.textEdit.range.start : undefined, { line: 1, character: 12 });
    assert.ok(labels(complete('[x]\nfindtime = |')).includes('1w'));
  });

  it('offers %( variables incl. known/ and default/, and the filter options after known/', () => {
    const variables = complete('[postfix]\nport = %(|');
    assert.ok(labels(variables).includes('port'));
    assert.ok(labels(variables).includes('known/'));
    assert.equal(newText(variables.find((i) => i.label === 'banaction')), 'banaction)s');
    const known = labels(complete('[postfix]\nfailregex = %(known/|'));
    assert.ok(known.includes('known/failregex'));
    assert.ok(known.includes('known/port'));
  });

  it('offers log levels, log targets and syslog facilities in the server file', () => {
    const server: FeatureOptions = { kind: 'dms-server' };
    assert.ok(labels(complete('[Definition]\nloglevel = |', server)).includes('NOTICE'));
    assert.ok(labels(complete('[Definition]\nlogtarget = |', server)).includes('SYSLOG'));
    assert.ok(labels(complete('[Definition]\nlogtarget = SYSLOG[facility=|', server)).includes('MAIL'));
  });

  it('offers rule codes after dms-fail2ban-disable-next-line', () => {
    const codes = labels(complete('# dms-fail2ban-disable-next-line |\n[postfix]'));
    assert.ok(codes.includes('invalid-duration'));
    assert.ok(codes.includes('duplicate-option'));
  });
});

describe('completion: robustness', () => {
  it('answers random text at random positions with edits on the cursor line that cover the cursor', () => {
    const next = seededRandom(7);
    const alphabet = ['[', ']', '=', ':', ' ', '\n', '  ', '%', '(', ')s', 'a', 'postfix', '#', ';', 'mode', ',', '"', 'bantime', '1', 'known/'];
    let answered = 0;
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const cut = Math.floor(next() * (text.length + 1));
      const { doc, position } = atCursor(text.slice(0, cut) + '|' + text.slice(cut));
      for (const kind of ['dms-jail', 'dms-server'] as const) {
        const items = computeCompletion(doc, position, { kind });
        if (items.length > 0) answered++;
        for (const item of items) {
          const range = item.textEdit && 'range' in item.textEdit ? item.textEdit.range : undefined;
          assert.ok(range, `${item.label} has a text edit`);
          assert.equal(range.start.line, position.line);
          assert.equal(range.end.line, position.line);
          assert.ok(range.start.character <= position.character && position.character <= range.end.character, `${item.label} covers the cursor`);
          assert.ok(range.end.character <= doc.lines[position.line].length, `${item.label} stays inside the line`);
        }
      }
    }
    assert.ok(answered > 50, `completion answered only ${answered} times`);
  });
});
