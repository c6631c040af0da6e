// The engine as a ConfigValidator for "apply config" (no `vscode` import). The extension passes the
// engine's checkDocument loaded from dist/server.js on first use, so start-up does not pay for the fail2ban
// knowledge tables and the engine ships once (in the server bundle), not twice.
import type { checkDocument } from '../../server/src/engine';
import type { DmsVersion, Fail2banVersion, SeveritySetting } from '../../server/src/types';
import type { ConfigValidator } from './docker/fail2banService';

export interface ValidatorSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules?: Record<string, SeveritySetting>;
}

export type CheckDocument = typeof checkDocument;

export function createValidator(check: CheckDocument, settings: ValidatorSettings = {}): ConfigValidator {
  return (text, kind) => check(text, { kind, ...settings });
}
