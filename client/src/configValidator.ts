// The engine as a ConfigValidator for "apply config" (no `vscode` import). Loaded lazily by the
// extension so start-up does not pay for the fail2ban knowledge tables.
import { checkDocument } from '../../server/src/engine';
import type { DmsVersion, Fail2banVersion, SeveritySetting } from '../../server/src/types';
import type { ConfigValidator } from './docker/fail2banService';

export interface ValidatorSettings {
  fail2banVersion?: Fail2banVersion;
  dmsVersion?: DmsVersion;
  rules?: Record<string, SeveritySetting>;
}

export function createValidator(settings: ValidatorSettings = {}): ConfigValidator {
  return (text, kind) => checkDocument(text, { kind, ...settings });
}
