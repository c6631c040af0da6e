// Writes the "Rules" section of README.md from the rule registry (codes, severities, docs), so the
// codeDescription links of diagnostics (README.md#<code>) always land on the right text.
// `node --import tsx scripts/gen-rules-doc.ts` rewrites it; test/unit/docs checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRuleMeta } from '../server/src/rules/index';

export const README = join(__dirname, '..', 'README.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const OUTCOME_TEXT: Record<string, string> = {
  fatal: 'fail2ban does not start (in DMS: silently never runs)',
  'jail-dropped': 'fail2ban skips the jail',
  'silently-ignored': 'fail2ban silently ignores or coerces the value',
  style: 'advice',
};

export function rulesSection(): string {
  const metas = [...allRuleMeta()].sort((a, b) => a.code.localeCompare(b.code));
  const lines = [
    START,
    '## Rules',
    '',
    'Every diagnostic has a stable code. Severity: **error** = fail2ban refuses to start or drops the jail;',
    '**warning** = fail2ban silently ignores or coerces the value; **information**/**hint** = advice.',
    'Change a rule\'s severity with `dmsFail2ban.rules` (e.g. `{ "unknown-option": "off" }`) or',
    '`dms-fail2ban check --rule unknown-option=off`; silence one line with a comment above it:',
    '`# dms-fail2ban-disable-next-line unknown-option` (several codes separated by commas; no code = all).',
    '',
    '| code | default severity | when fail2ban meets it |',
    '|---|---|---|',
    ...metas.map((m) => `| [\`${m.code}\`](#${m.code}) | ${m.defaultSeverity} | ${OUTCOME_TEXT[m.outcome] ?? m.outcome} |`),
    '',
  ];
  for (const m of metas) {
    lines.push(`### ${m.code}`, '', `*${m.defaultSeverity}* — ${m.description}`, '', m.docs.trim(), '');
  }
  lines.push(END);
  return lines.join('\n');
}

export function readmeWithRules(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return readme.slice(0, start) + rulesSection() + readme.slice(end + END.length);
}

if (require.main === module) {
  writeFileSync(README, readmeWithRules(readFileSync(README, 'utf8')));
  console.log('README.md rules section updated');
}
