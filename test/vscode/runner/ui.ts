import type { RunContext } from './main';

export async function runUiTests(ctx: RunContext): Promise<void> {
  ctx.tally.fail('ui', 'UI tests', 'not written yet');
}
