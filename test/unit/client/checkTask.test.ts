// The `dms-fail2ban` task's output (client/src/checkTaskText.ts) against the `$dms-fail2ban` problem matcher
// declared in package.json: every line the task prints for a real engine diagnostic is read back by the
// matcher's regexp into the same file, line, column, severity, code and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument } from '../../../server/src/engine';
import { formatProblemLine, WORKSPACE_FILE_GLOBS } from '../../../client/src/checkTaskText';
import { rawManifest } from '../../support/manifest';

interface Matcher {
  name: string;
  owner: string;
  fileLocation: unknown;
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number };
}
const manifest = rawManifest() as {
  contributes: { problemMatchers: Matcher[]; taskDefinitions: Array<{ type: string; properties: { task: { enum: string[] } } }> };
};

test('the task type and its problem matcher are declared', () => {
  assert.deepEqual(manifest.contributes.taskDefinitions.map((definition) => [definition.type, definition.properties.task.enum]), [['dms-fail2ban', ['check-workspace']]]);
  assert.deepEqual(manifest.contributes.problemMatchers.map((matcher) => matcher.name), ['dms-fail2ban']);
});

test("every line the task prints is read back by the matcher with the diagnostic's position, severity, code and message", () => {
  const matcher = manifest.contributes.problemMatchers[0];
  const regexp = new RegExp(matcher.pattern.regexp);
  const text = '[DEFAULT]\nbantime = 1hr\nbantme = 1h\nfindtime = 10m # ten\nthis line is broken\n\n[sshd]\nenabled = ture\n';
  const diagnostics = checkDocument(text, { kind: 'dms-jail' });
  assert.ok(new Set(diagnostics.map((d) => d.severity)).size >= 2, 'the sample has several severities');
  for (const path of ['/home/admin/dms/docker-data/dms/config/fail2ban-jail.cf', 'C:\\Users\\admin\\dms\\fail2ban-jail.cf']) {
    for (const diagnostic of diagnostics) {
      const line = formatProblemLine(path, diagnostic);
      assert.doesNotMatch(line, /[\r\n]/);
      const match = regexp.exec(line);
      assert.ok(match, line);
      assert.equal(match[matcher.pattern.file], path);
      assert.equal(Number(match[matcher.pattern.line]), diagnostic.range.start.line + 1);
      assert.equal(Number(match[matcher.pattern.column]), diagnostic.range.start.character + 1);
      assert.equal(match[matcher.pattern.severity], { error: 'error', warning: 'warning', information: 'info', hint: 'info' }[diagnostic.severity]);
      assert.equal(match[matcher.pattern.code], diagnostic.code);
      assert.equal(match[matcher.pattern.message], diagnostic.message.replace(/\s*[\r\n]+\s*/g, ' ').trim());
    }
  }
});

test("the task looks for DMS's two files and plain fail2ban files, like the language's file patterns", () => {
  assert.ok(WORKSPACE_FILE_GLOBS.includes('**/fail2ban-jail.cf'));
  assert.ok(WORKSPACE_FILE_GLOBS.includes('**/fail2ban-fail2ban.cf'));
  assert.ok(WORKSPACE_FILE_GLOBS.some((glob) => glob.includes('jail.d')));
});
