// source.fixAll.dms-fail2ban (issue 14.15): every preferred fix applied together; never overlapping edits, never a
// file fail2ban's configparser refuses, never more errors than before — checked with the engine and the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument } from '../../../server/src/engine';
import { applyTextEdits, refusedProblemCount } from '../../../server/src/features/fixSafety';
import { computeFixAll, FIX_ALL_KIND, fixAllEdits, wantsFixAll } from '../../../server/src/features/fixAll';
import { parseDocument } from '../../../server/src/parser/parse';
import type { FileKind } from '../../../server/src/types';

function fixAll(text: string, kind: FileKind = 'dms-jail'): string {
  return applyTextEdits(text, fixAllEdits(parseDocument(text), { kind }));
}

function errors(text: string, kind: FileKind = 'dms-jail'): string[] {
  return checkDocument(text, { kind }).filter((d) => d.severity === 'error').map((d) => d.code);
}

test('the kind answers codeActionsOnSave: source.fixAll and source ask for it, quickfix does not', () => {
  assert.equal(wantsFixAll([FIX_ALL_KIND]), true);
  assert.equal(wantsFixAll(['source.fixAll']), true);
  assert.equal(wantsFixAll(['source']), true);
  assert.equal(wantsFixAll(['quickfix']), false);
  assert.equal(wantsFixAll(['source.organizeImports']), false);
  assert.equal(wantsFixAll(undefined), false);
});

test('several preferred fixes in one file are applied together and the problems are gone', () => {
  const text = '[DEFAULT]\nbantime = 1hr\nfindtime = 10 mins # ten minutes\n\n[dovecot]\nmaxretry = 5\n';
  const before = checkDocument(text, { kind: 'dms-jail' });
  assert.ok(before.filter((d) => d.fixes?.some((fix) => fix.preferred)).length >= 2, 'the sample has at least two preferred fixes');
  const fixed = fixAll(text);
  assert.notEqual(fixed, text);
  assert.match(fixed, /^bantime = 1h$/m);
  const after = checkDocument(fixed, { kind: 'dms-jail' });
  assert.ok(after.length < before.length, `${before.length} → ${after.length} problems`);
  assert.equal(refusedProblemCount(parseDocument(fixed)), 0);
  const action = computeFixAll(parseDocument(text), { kind: 'dms-jail' }, 'file:///x/fail2ban-jail.cf');
  assert.equal(action?.kind, FIX_ALL_KIND);
  assert.ok(action?.edit?.changes?.['file:///x/fail2ban-jail.cf']?.length);
});

test('a clean file gets no action; fixing twice changes nothing more', () => {
  const clean = '[DEFAULT]\nbantime = 1h\n';
  assert.equal(computeFixAll(parseDocument(clean), { kind: 'dms-jail' }, 'file:///c'), undefined);
  const text = '[DEFAULT]\nbantime = 1hr\n';
  const once = fixAll(text);
  assert.equal(fixAll(once), once);
});

test('never a file fail2ban refuses, never more errors: over many mangled variants of a real DMS file', () => {
  const base = [
    '[DEFAULT]', 'bantime = 1w', 'findtime = 1w', 'maxretry = 6', 'ignoreip = 127.0.0.1/8 192.168.0.0/16', '',
    '[dovecot]', 'enabled = true', 'bantime = 2h', '', '[postfix]', 'enabled = true', 'mode = extra', '', '[postfix-sasl]', 'enabled = true', '',
  ];
  const mangles: Array<(line: string) => string> = [
    (line) => line.replace('1w', '1 wk'),
    (line) => line.replace('2h', '2hr'),
    (line) => line.replace('bantime', 'bantme'),
    (line) => line.replace('findtime', 'findtim'),
    (line) => `${line} # note`,
    (line) => line.replace('true', 'ture'),
    (line) => line.replace('extra', 'extr'),
    (line) => line.replace('=', '= ='),
  ];
  let variants = 0;
  let changed = 0;
  for (let i = 0; i < base.length; i++) {
    for (const mangle of mangles) {
      for (const j of [i, (i + 5) % base.length]) {
        const lines = [...base];
        lines[i] = mangle(lines[i]);
        if (j !== i) lines[j] = mangle(lines[j]);
        const text = `${lines.join('\n')}\n`;
        const fixed = fixAll(text);
        variants++;
        if (fixed !== text) changed++;
        assert.ok(refusedProblemCount(parseDocument(fixed)) <= refusedProblemCount(parseDocument(text)), `refused after fix-all:\n${text}`);
        assert.ok(errors(fixed).length <= errors(text).length, `more errors after fix-all:\n${text}`);
      }
    }
  }
  assert.ok(variants >= 200 && changed >= 20, `${changed} of ${variants} variants changed`);
});
