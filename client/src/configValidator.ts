// The engine as a ConfigValidator for "apply config" (no `vscode` import). The checks run in the language
// server (request dmsFail2ban/checkText), so the engine ships and runs in one place, not in the extension host.
import type { CheckTextParams, CheckTextResult, DmsVersion, Fail2banVersion, SeveritySetting } from '../../server/src/shared';
import type { ConfigValidator } from './docker/fail2banService';

export interface ValidatorSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules?: Record<string, SeveritySetting>;
}

/** Sends CHECK_TEXT_REQUEST (or, in tests, answers it in-process with the server's own handler). */
export type CheckText = (params: CheckTextParams) => Promise<CheckTextResult> | CheckTextResult;

export function createValidator(check: CheckText, settings: ValidatorSettings = {}): ConfigValidator {
  return async (text, kind) => (await check({ text, kind, ...settings })).diagnostics;
}
