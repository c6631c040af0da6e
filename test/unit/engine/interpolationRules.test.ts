// Interpolation rules through checkDocument, with LINE-MARKED fixtures: a line ending in
// ` ;; expect code/severity[, code/severity]` (an inline comment, so fail2ban reads the same value)
// must get exactly those interpolation diagnostics; unmarked lines none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDocument } from '../../../server/src/engine';
import type { CheckOptions, EngineDiagnostic } from '../../../server/src/types';

const INTERPOLATION_CODES = new Set(['invalid-interpolation', 'undefined-variable', 'unknown-section-reference', 'interpolation-recursion']);

function expectedMarks(text: string): string[] {
  const marks: string[] = [];
  text.split('\n').forEach((line, index) => {
    const marker = / ;; expect (.*)$/.exec(line);
    if (!marker) return;
    for (const entry of marker[1].split(',')) marks.push(`${index + 1}:${entry.trim()}`);
  });
  return marks.sort();
}

function actualMarks(diagnostics: EngineDiagnostic[]): string[] {
  return diagnostics
    .filter((d) => INTERPOLATION_CODES.has(d.code))
    .map((d) => `${d.range.start.line + 1}:${d.code}/${d.severity}`)
    .sort();
}

function check(text: string, options: CheckOptions = { kind: 'dms-jail' }): EngineDiagnostic[] {
  const diagnostics = checkDocument(text, options);
  assert.deepEqual(actualMarks(diagnostics), expectedMarks(text), diagnostics.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`).join('\n'));
  return diagnostics;
}

describe('interpolation rules (DMS jail file)', () => {
  it('errors where fail2ban reads, warnings where it does not', () => {
    check(
      [
        '[DEFAULT]',
        'bantime = 50% ;; expect invalid-interpolation/error',
        'helper = %(nosuch_anywhere)s',
        'template = 5% ;; expect invalid-interpolation/warning',
        'perjail = %(logpath)s',
        '[sshd]',
        'action = %(nosuch)s ;; expect undefined-variable/warning',
        'filter = %(sshd_filter ;; expect invalid-interpolation/error',
        '[dovecot]',
        'port = %(Dovecot/port)s ;; expect unknown-section-reference/error',
        'unknownkey = %(nothing)s ;; expect undefined-variable/warning',
        'logpath = %(dovecot_log)s',
        '[postfix]',
        'ignoreip = %(known/ignoreip)s 10.0.0.0/8',
        'mode = %(known/mode)s',
        'datepattern = %%Y-%%m-%%d',
        '[custom]',
        'action = %(action_mwl)s ;; expect undefined-variable/error',
      ].join('\n'),
    );
  });

  it('points at the user value that holds the problem, even when a stock value references it', () => {
    const text = '[DEFAULT]\nprotocol = tcp%\n';
    const [diagnostic] = check('[DEFAULT]\nprotocol = tcp% ;; expect invalid-interpolation/error\n');
    assert.equal(diagnostic.range.start.character, text.split('\n')[1].indexOf('%'));
    assert.match(diagnostic.message, /^This '%' is neither '%%' nor a complete '%\(name\)s' reference\. Write '%%' for a literal '%'\. fail2ban stops at start-up while reading \[postfix\]/);
    assert.equal(diagnostic.details, "fail2ban: Failed during configuration: '%' must be followed by '%' or '(', found: '%'");
    assert.match(diagnostic.message, /also fails for \[dovecot\], \[custom\]/);
    assert.deepEqual(diagnostic.fixes?.[0]?.edits[0].newText, '%%');
  });

  it('reports recursion of known/ inside [DEFAULT]', () => {
    check('[DEFAULT]\nignoreip = %(known/ignoreip)s 10.0.0.0/8 ;; expect interpolation-recursion/error\n');
  });

  it('reports the error at the reference in the user value when the missing key is deeper', () => {
    const diagnostics = check('[DEFAULT]\naction = %(action_cf_mwl)s ;; expect undefined-variable/error\n');
    const line = '[DEFAULT]\naction = %(action_cf_mwl)s'.split('\n')[1];
    assert.equal(diagnostics[0].range.start.character, line.indexOf('%('));
    assert.equal(diagnostics[0].range.end.character, line.length);
    assert.match(diagnostics[0].message, /^%\(cfemail\)s names an option that is defined nowhere/);
    assert.match(diagnostics[0].details ?? '', /interpolation key 'cfemail'/);
  });

  it('suggests the intended variable', () => {
    const [diagnostic] = check('[postfix]\naction = %(action_mw)s\nport = %(prot)s ;; expect undefined-variable/error\n');
    assert.match(diagnostic.message, /Did you mean '(port|protocol)'/);
    assert.ok(diagnostic.fixes?.some((fix) => fix.edits[0].newText === 'port'));
  });

  it('accepts filter-provided known/ keys in enabled jails', () => {
    check('[dovecot]\nfailregex = %(known/failregex)s\n  ^my extra <HOST>$\n');
  });

  it('a jail the user enables with a broken stock-side reference is flagged at its header', () => {
    check('[DEFAULT]\nlogpath = %(nope)s ;; expect undefined-variable/error\n[sshd]\nenabled = true\n');
  });
});

describe('interpolation rules (server file)', () => {
  it('errors for [Definition] options fail2ban reads, warnings for others', () => {
    check(
      [
        '[Definition]',
        'loglevel = %(level)s ;; expect undefined-variable/error',
        'logtarget = /var/log/f2b-%%Y.log',
        'notanoption = 5% ;; expect invalid-interpolation/warning',
        '[Thread]',
        'stacksize = %(x)s ;; expect undefined-variable/error',
        '[sshd]',
        'action = %(never_read)s',
      ].join('\n'),
      { kind: 'dms-server' },
    );
  });

  it('a user allowipv6 with a bad % is overridden by DMS fixes.local, so only a warning', () => {
    check('[Definition]\nallowipv6 = 5% ;; expect invalid-interpolation/warning\n', { kind: 'dms-server' });
    check('[Definition]\nallowipv6 = 5% ;; expect invalid-interpolation/error\n', { kind: 'server' });
  });
});
