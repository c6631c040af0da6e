// The custom request dmsFail2ban/checkText: diagnostics of a text that need not be open in the editor (Apply Config
// validates what it is about to copy into the container). Values from the client are checked before use.
import { checkDocument } from '../engine';
import type { CheckTextParams, CheckTextResult, ContainerContext } from '../shared/protocol';
import { DMS_VERSIONS, FAIL2BAN_VERSIONS, FILE_KINDS, type CheckOptions, type SeveritySetting } from '../types';

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The check options the parameters ask for; anything malformed is left at its default. */
export function checkTextOptions(params: CheckTextParams, container?: ContainerContext): CheckOptions {
  const rules: Record<string, SeveritySetting> = {};
  if (params.rules && typeof params.rules === 'object') {
    for (const [code, severity] of Object.entries(params.rules)) if (code !== '__proto__' && SEVERITY_SETTINGS.includes(severity)) rules[code] = severity;
  }
  return {
    kind: FILE_KINDS.includes(params.kind) ? params.kind : 'jail',
    ...(FAIL2BAN_VERSIONS.includes(params.fail2banVersion as never) ? { fail2banVersion: params.fail2banVersion } : {}),
    ...(DMS_VERSIONS.includes(params.dmsVersion as never) ? { dmsVersion: params.dmsVersion } : {}),
    rules,
    ...(container ? { container } : {}),
  };
}

export function computeCheckText(params: CheckTextParams, container?: ContainerContext): CheckTextResult {
  const text = typeof params?.text === 'string' ? params.text : '';
  return { diagnostics: checkDocument(text, checkTextOptions(params ?? ({} as CheckTextParams), container)) };
}
