// Property: no quick fix and no formatting ever turns a file fail2ban accepts into one it refuses. Realistic
// DMS files get seeded mutations (misspelt keys, sections and values, a misspelt copy of a key or section that
// already exists, duplicates, '#' comments, indentation, CRLF); every offered edit is applied and the REAL
// fail2ban 1.1.0 parser (Python's strict configparser, as fail2ban reads a file) reads the original and the
// result, all in one python process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-types';
import { computeCodeActions } from '../../../server/src/features/codeActions';
import { computeDiagnostics } from '../../../server/src/features/diagnostics';
import { formatText } from '../../../server/src/features/formatting';
import { parseDocument } from '../../../server/src/parser/parse';
import type { FileKind } from '../../../server/src/types';
import { pick, seededRandom } from '../../support/random';
import { applyEdits } from '../../support/textEdits';
import { readWithFail2ban } from '../parser/pythonParser';

const URI = 'file:///dms/config/fail2ban-jail.cf';

const DMS_JAIL = [
  '[DEFAULT]',
  'bantime = 1w',
  'findtime = 1w',
  'maxretry = 6',
  'ignoreip = 127.0.0.1/8 192.168.0.0/16',
  'banaction = nftables-allports',
  '',
  '[dovecot]',
  'enabled = true',
  '',
  '[postfix]',
  'enabled = true',
  'mode = extra',
  '',
  '[postfix-sasl]',
  'enabled = true',
  'bantime = 1d',
  'maxretry = 3',
  '',
  '[recidive]',
  'enabled = true',
  'bantime = 4w',
  '',
  '[custom]',
  'enabled = true',
  'failregex = ^my <HOST>$',
  '            ^other <HOST>$',
];
const DMS_SERVER = ['[Definition]', 'loglevel = INFO', 'logtarget = /var/log/mail/fail2ban.log', 'dbpurgeage = 1d', '', '[Thread]', 'stacksize = 0'];
const BAD_VALUES = ['ture', '1hr', '10 mins', 'agressive', '"3"', '50%', 'nftables [port=25]', 'Polling', '1  2 4', 'maybe'];

function misspell(next: () => number, word: string): string {
  if (word.length < 2) return word + 'x';
  const at = Math.floor(next() * word.length);
  switch (Math.floor(next() * 5)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1); // drop a letter
    case 1:
      return at + 1 < word.length ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word + word[at]; // swap
    case 2:
      return word.slice(0, at) + word[at] + word.slice(at); // double a letter
    case 3:
      return word.slice(0, at) + word[at].toUpperCase() + word.slice(at + 1); // case
    default:
      return word.slice(0, at) + pick(next, ['e', 'a', '_', '-', '.']) + word.slice(at + 1); // replace
  }
}

const keyOf = (line: string) => /^([^\s=:[#;][^=:]*?)\s*[=:]/.exec(line)?.[1];
const sectionOf = (line: string) => /^\[([^\]]+)\]/.exec(line)?.[1];

function mutate(next: () => number, base: readonly string[]): string[] {
  const lines = [...base];
  const count = 1 + Math.floor(next() * 4);
  for (let m = 0; m < count; m++) {
    const at = Math.floor(next() * lines.length);
    const line = lines[at];
    const key = keyOf(line);
    const section = sectionOf(line);
    switch (Math.floor(next() * 10)) {
      case 0: // misspell a key in place
        if (key) lines[at] = misspell(next, key) + line.slice(key.length);
        break;
      case 1: // a misspelt copy of a key that the section already sets
      case 2:
        if (key) lines.splice(at + 1, 0, `${misspell(next, key)} = ${line.slice(line.search(/[=:]/) + 1).trim()}`);
        break;
      case 3: // misspell a section header in place
        if (section) lines[at] = `[${misspell(next, section)}]`;
        break;
      case 4: // a new section whose name is a typo of an existing one
        if (section) lines.push('', `[${misspell(next, section)}]`, 'enabled = true');
        break;
      case 5: // a bad value
        if (key) lines[at] = `${key} = ${pick(next, BAD_VALUES)}`;
        break;
      case 6: // duplicate a line (the original may already be refused)
        lines.splice(at, 0, line);
        break;
      case 7: // '#' after a value
        if (key) lines[at] = `${line} # note`;
        break;
      case 8: // odd spacing / indentation
        if (key) lines[at] = pick(next, [`  ${line}`, line.replace(/\s*=\s*/, '='), line.replace(/\s*=\s*/, '   :  ')]);
        break;
      default: // a line with a typo of a known key next to the real one
        if (section && section !== 'DEFAULT') lines.splice(at + 1, 0, `${misspell(next, pick(next, ['bantime', 'findtime', 'maxretry', 'enabled', 'logpath']))} = 1`);
    }
  }
  return lines;
}

interface Case {
  original: string;
  fixed: string;
  what: string;
}

function edited(text: string, action: CodeAction): string | undefined {
  const edits = action.edit?.changes?.[URI] ?? [];
  return edits.length > 0 ? applyEdits(text, edits) : undefined;
}

describe('quick fixes and formatting keep the file readable for fail2ban', () => {
  it('every fix on mutated DMS files is accepted by fail2ban 1.1.0 whenever the original was', (t) => {
    const next = seededRandom(10_10);
    const cases: Case[] = [];
    const originals: string[] = [];
    for (let round = 0; round < 800; round++) {
      const kind: FileKind = next() < 0.75 ? 'dms-jail' : 'dms-server';
      const lineBreak = pick(next, ['\n', '\n', '\n', '\r\n', '\r']);
      const text = mutate(next, kind === 'dms-jail' ? DMS_JAIL : DMS_SERVER).join(lineBreak) + lineBreak;
      originals.push(text);
      const doc = parseDocument(text);
      const diagnostics = computeDiagnostics(doc, { kind });
      const whole = { start: { line: 0, character: 0 }, end: { line: doc.lines.length, character: 0 } };
      for (const action of computeCodeActions(doc, whole, diagnostics, URI)) {
        const fixed = edited(text, action);
        if (fixed !== undefined) cases.push({ original: text, fixed, what: `${action.title} (${String(action.diagnostics?.[0]?.code)})` });
      }
      const formatted = formatText(text);
      if (formatted !== text) cases.push({ original: text, fixed: formatted, what: 'formatting' });
    }
    const distinct = [...new Set([...originals, ...cases.map((c) => c.fixed)])];
    const read = readWithFail2ban(distinct);
    const refused = new Map(distinct.map((text, i) => [text, read[i].error]));
    let checked = 0;
    const broken: string[] = [];
    for (const c of cases) {
      if (refused.get(c.original)) continue;
      checked++;
      const error = refused.get(c.fixed);
      if (error) broken.push(`${c.what} → ${error.kind} (line ${error.lines.join(',')}):\n${JSON.stringify(c.original)}\n→ ${JSON.stringify(c.fixed)}`);
    }
    t.diagnostic(`${originals.length} files, ${cases.length} edits applied, ${checked} on files fail2ban accepted`);
    assert.deepEqual(broken.slice(0, 5), [], `${broken.length} of ${checked} edits make fail2ban refuse the file`);
    assert.ok(checked > 1000, `only ${checked} edits checked on accepted files`);
    assert.ok(cases.some((c) => c.what.startsWith('Remove this line')), 'some typo next to an existing key is offered as a removal');
  });
});
