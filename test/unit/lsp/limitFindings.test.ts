// The editor's findings limit and the cap's line count (server/src/sizeCap.ts), counted without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileTooLarge, limitFindings, MAX_CHECKED_LINES, MAX_EDITOR_FINDINGS } from '../../../server/src/sizeCap';
import type { EngineDiagnostic, Severity } from '../../../server/src/types';

function finding(line: number, severity: Severity, code = 'unknown-jail'): EngineDiagnostic {
  return { range: { start: { line, character: 0 }, end: { line, character: 1 } }, severity, code, message: `at ${line}` };
}

describe('limitFindings', () => {
  it('passes up to the limit through unchanged', () => {
    const findings = Array.from({ length: MAX_EDITOR_FINDINGS }, (_, i) => finding(i, 'warning'));
    assert.deepEqual(limitFindings(findings), findings);
  });

  it('keeps the limit, most severe first and in document order, and adds one note with the count left out', () => {
    const findings = [finding(0, 'hint'), finding(1, 'warning'), finding(2, 'hint'), finding(3, 'error'), finding(4, 'information')];
    const limited = limitFindings(findings, 3);
    assert.deepEqual(limited.slice(0, 3).map((d) => d.range.start.line), [1, 3, 4]);
    assert.equal(limited.length, 4);
    assert.equal(limited[3].code, 'too-many-findings');
    assert.match(limited[3].message, /^2 more findings are not shown \(the editor gets 3, the most severe first\)/);
  });
});

describe('fileTooLarge (line cap)', () => {
  it('counts non-empty lines only: blank and CRLF-blank lines do not count', () => {
    const atCap = 'x\n\r\n\n'.repeat(MAX_CHECKED_LINES);
    assert.equal(fileTooLarge(atCap), undefined);
    const over = fileTooLarge(atCap + 'y');
    assert.equal(over?.code, 'file-too-large');
    assert.equal(over?.severity, 'warning');
  });

  it('takes a known line count: at most the cap of lines in all is never over it; more lines are counted as before', () => {
    const lines = 'x\n'.repeat(MAX_CHECKED_LINES);
    assert.equal(fileTooLarge(lines, MAX_CHECKED_LINES + 1), undefined, 'the last line is empty');
    assert.equal(fileTooLarge(lines + 'y', MAX_CHECKED_LINES + 1)?.code, 'file-too-large');
    // a wrong count below the cap is believed: the scan is skipped (the open document's count is right)
    assert.equal(fileTooLarge(lines + 'y', MAX_CHECKED_LINES), undefined);
  });
});
