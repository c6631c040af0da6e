// Issue 14.5: Enter never turns the next option into a continuation by accident. The rules of
// language-configuration.json are evaluated here the way VS Code's Enter does (editor/common: the onEnterRules in
// order, then the bracket rules, then indentationRules.increaseIndentPattern; `removeText` cuts the new line's
// indentation from its end), for the lines an admin really presses Enter after.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface OnEnterRule {
  beforeText: string;
  afterText?: string;
  action: { indent: 'none' | 'indent' | 'outdent' | 'indentOutdent'; removeText?: number; appendText?: string };
}
interface LanguageConfiguration {
  brackets: [string, string][];
  onEnterRules?: OnEnterRule[];
  indentationRules?: { increaseIndentPattern?: string };
}

const CONFIG = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'language-configuration.json'), 'utf8')) as LanguageConfiguration;
const UNIT = '    ';

/** The new line's indentation after Enter with the cursor after `before` (and `after` to its right). */
function indentAfterEnter(before: string, after = ''): string {
  const indentation = /^[ \t]*/.exec(before)?.[0] ?? '';
  for (const rule of CONFIG.onEnterRules ?? []) {
    if (!new RegExp(rule.beforeText).test(before)) continue;
    if (rule.afterText && !new RegExp(rule.afterText).test(after)) continue;
    let result = rule.action.removeText ? indentation.substring(0, indentation.length - rule.action.removeText) : indentation;
    if (rule.action.indent === 'indent' || rule.action.indent === 'indentOutdent') result += UNIT;
    if (rule.action.indent === 'outdent') result = result.slice(UNIT.length);
    return result + (rule.action.appendText ?? '');
  }
  if (CONFIG.brackets.some(([open]) => before.trimEnd().endsWith(open))) return indentation + UNIT;
  const increase = CONFIG.indentationRules?.increaseIndentPattern;
  if (increase && new RegExp(increase).test(before)) return indentation + UNIT;
  return indentation;
}

describe('Enter in fail2ban files', () => {
  it('after `key = value` at column 0 stays at column 0', () => {
    for (const line of ['findtime = 10m', 'enabled = true', 'ignoreip = 127.0.0.1/8 ::1', 'logpath: /var/log/mail/mail.log', 'action = %(action_mwl)s']) {
      assert.equal(indentAfterEnter(line), '', line);
    }
  });

  it('after an indented (continuation) line goes back to column 0, so the next option is an option', () => {
    for (const line of ['            ^extra rule from <HOST>$', '    192.168.0.0/16', '\tnftables-allports', '  maxretry = 3', '    # a comment']) {
      assert.equal(indentAfterEnter(line), '', JSON.stringify(line));
    }
  });

  it('indents only where a value plainly continues: an empty list value or an open [ of parameters', () => {
    assert.equal(indentAfterEnter('failregex ='), UNIT);
    assert.equal(indentAfterEnter('ignoreip = '), UNIT);
    assert.equal(indentAfterEnter('action = nftables['), UNIT);
    assert.equal(indentAfterEnter('action = nftables[port="smtp,465",'), UNIT, 'parameters go on');
    assert.equal(indentAfterEnter('action = nftables[port="smtp"]'), '', 'the list is closed');
    assert.equal(indentAfterEnter('maxretry ='), '', 'a single value never continues');
  });

  it('keeps headers and comments at column 0', () => {
    for (const line of ['[postfix]', '# Manual bans', '; note']) assert.equal(indentAfterEnter(line), '', line);
  });

  it('every rule is a valid regular expression VS Code can load', () => {
    for (const rule of CONFIG.onEnterRules ?? []) {
      assert.doesNotThrow(() => new RegExp(rule.beforeText));
      assert.ok(['none', 'indent', 'outdent', 'indentOutdent'].includes(rule.action.indent));
    }
  });
});
