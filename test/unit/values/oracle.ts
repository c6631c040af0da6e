// Runs test/unit/values/oracle.py once per batch with the real fail2ban 1.1.0 package on
// PYTHONPATH and the system python3 (3.11, like DMS v15.1.0). Fails loudly when it cannot run.
import { join } from 'node:path';
import { runPython } from '../../support/python';

const ORACLE = join(__dirname, 'oracle.py');

export type OracleQuestion = { q: string } & Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OracleAnswer = { ok: boolean; type?: string; message?: string } & Record<string, any>;

export function askPython(questions: OracleQuestion[]): OracleAnswer[] {
  const input = questions.map((q) => JSON.stringify(q)).join('\n') + '\n';
  const { stdout, stderr } = runPython({ args: [ORACLE], input, what: 'oracle' });
  const answers = stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as OracleAnswer);
  if (answers.length !== questions.length) {
    throw new Error(`oracle answered ${answers.length} of ${questions.length} questions: ${stderr}`);
  }
  return answers;
}
