// The check task's output lines (pure): `path:line:column: severity code: message`, one line per problem, in
// the form the `$dms-fail2ban` problem matcher (package.json) reads. Messages are kept on one line.
import type { EngineDiagnostic } from '../../server/src/shared';

/** The files the task checks: DMS's two files and plain fail2ban jail/server files. */
export const WORKSPACE_FILE_GLOBS = [
  '**/fail2ban-jail.cf',
  '**/fail2ban-fail2ban.cf',
  '**/fail2ban/jail.{conf,local}',
  '**/fail2ban/jail.d/*.{conf,local}',
  '**/fail2ban/fail2ban.{conf,local}',
  '**/fail2ban/fail2ban.d/*.{conf,local}',
] as const;

/** VS Code's problem matchers know error, warning and info. */
const MATCHER_SEVERITY = { error: 'error', warning: 'warning', information: 'info', hint: 'info' } as const;

export function formatProblemLine(path: string, diagnostic: EngineDiagnostic): string {
  const { line, character } = diagnostic.range.start;
  const message = diagnostic.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return `${path}:${line + 1}:${character + 1}: ${MATCHER_SEVERITY[diagnostic.severity]} ${diagnostic.code}: ${message}`;
}
