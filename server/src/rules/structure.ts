// Rules for the problems the parser itself finds (one file as Python's configparser reads it,
// CPython 3.11 Lib/configparser.py RawConfigParser._read with fail2ban 1.1.0 client/configparserinc.py settings). The parser writes the messages; these rules give them codes,
// severities and docs.
import type { ParseProblem } from '../parser/model';
import type { CodeMeta, Rule } from './rule';

type ParseCode = ParseProblem['code'];

/** source: fail2ban 1.1.0 on CPython 3.11 configparser (observed with the real fail2ban-client -t of 1.0.2, 1.1.0 and 1.1.1). */
const STRUCTURE_META: Readonly<Record<ParseCode, CodeMeta>> = {
  'missing-section-header': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'Option before any [section] header.',
    docs:
      'configparser needs a `[section]` header before the first option; otherwise fail2ban stops with ' +
      '`File contains no section headers.` and, in docker-mailserver, never runs.\n\n' +
      '```ini\nbantime = 1w      ; wrong: no section yet\n[DEFAULT]\nbantime = 1w      ; right\n```',
  },
  'utf8-bom': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'File starts with a UTF-8 byte order mark.',
    docs:
      'fail2ban opens config files as plain `utf-8`, so a BOM becomes part of the first line, the first ' +
      '`[section]` is not recognised and fail2ban stops with `File contains no section headers.` ' +
      'Save the file as UTF-8 without BOM.',
  },
  'invalid-line': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: "Line that is neither a comment, a [section] nor 'key = value'.",
    docs:
      'Every non-blank, non-comment line must be `key = value` or `key: value` (or a `[section]`). A line ' +
      'like `maxretry 3` or `= 3` makes configparser raise `Source contains parsing errors` and fail2ban ' +
      'does not start.\n\n```ini\nmaxretry 3     ; wrong\nmaxretry = 3   ; right\n```',
  },
  'duplicate-section': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'The same [section] twice in one file.',
    docs:
      'configparser runs in strict mode: a second `[postfix]` in the same file raises ' +
      "`section 'postfix' already exists` and fail2ban does not start. Only `[DEFAULT]` may repeat. " +
      'Merge the sections.',
  },
  'duplicate-option': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'The same option twice in one section of one file.',
    docs:
      'Option names are case-insensitive; `maxretry` and `MaxRetry` in one section raise ' +
      "`option 'maxretry' in section '…' already exists` and fail2ban does not start. Keep one.",
  },
  'indented-line': {
    defaultSeverity: 'warning',
    outcome: 'silently-ignored',
    description: 'Indented line that configparser folds into the previous value.',
    docs:
      'A line indented deeper than the option above it is a continuation of that option\'s value, even if ' +
      'it looks like `key = value` or `[section]`. fail2ban silently reads it as part of the value. ' +
      'Remove the indentation if it is meant to stand on its own.',
  },
  'invalid-encoding': {
    defaultSeverity: 'error',
    outcome: 'fatal',
    description: 'Bytes that are not valid UTF-8.',
    docs:
      'fail2ban reads config files as UTF-8. fail2ban 1.1.0 logs `Error decoding config file …` and ' +
      'ignores the WHOLE file (none of your settings apply); 1.1.1 refuses to start. Save the file as UTF-8.',
  },
};

export const rules: Rule[] = [
  {
    name: 'structure',
    codes: STRUCTURE_META,
    check(ctx) {
      for (const problem of ctx.doc.problems) ctx.report({ code: problem.code, range: problem.range, message: problem.message, ...(problem.details ? { details: problem.details } : {}) });
    },
  },
];
