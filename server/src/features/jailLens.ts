// CodeLens above each jail section of a jail file: whether fail2ban will run the jail once every layer is
// merged (DMS's own jail.local enables some; `enabled = false` anywhere switches one off; an error can make
// fail2ban drop it). Clicking shows the effective configuration. The extension adds "banned now" from the view.
import type { CodeLens } from 'vscode-languageserver-types';
import { buildContext, effectiveJail } from '../context';
import { checkParsed } from '../engine';
import type { ConfigDocument } from '../parser/model';
import { ruleMeta } from '../rules';
import type { EngineDiagnostic } from '../types';
import { NOT_JAILS } from './effectiveConfig';
import { isJailKind, type FeatureOptions } from './shared';
import { t } from '../l10n';

export const SHOW_EFFECTIVE_CONFIG_COMMAND = 'dmsFail2ban.showEffectiveConfig';

export type JailRunState =
  | { state: 'runs'; enabledBy: string }
  | { state: 'dropped'; code: string; message: string }
  | { state: 'off'; why: string };

/**
 * Each jail section of the user's file with what fail2ban will do with it. `findings`: the document's check
 * results when the caller has them (the language server's incremental checker), else it checks the document.
 */
export function jailRunStates(doc: ConfigDocument, options: FeatureOptions, findings?: readonly EngineDiagnostic[]): Array<{ jail: string; line: number; run: JailRunState }> {
  if (!isJailKind(options.kind)) return [];
  const context = buildContext(doc, options);
  const dropping = (findings ?? checkParsed(doc, options)).filter((d) => d.severity === 'error' && ruleMeta(d.code)?.outcome === 'jail-dropped');
  return doc.sections
    .filter((section) => !NOT_JAILS.has(section.name))
    .map((section) => {
      const enabled = effectiveJail(context, section.name).options.find((option) => option.name === 'enabled');
      const origin = enabled?.raw ? enabled.raw.layer.label : t("fail2ban's default");
      let run: JailRunState;
      if (!context.isEnabled(section.name)) {
        run = { state: 'off', why: enabled?.raw ? t('enabled = {0} in {1}', enabled.raw.raw.trim(), origin) : t('not enabled anywhere') };
      } else {
        const drop = dropping.find((d) => d.range.start.line >= section.range.start.line && d.range.start.line <= section.range.end.line);
        run = drop ? { state: 'dropped', code: drop.code, message: drop.message } : { state: 'runs', enabledBy: origin };
      }
      return { jail: section.name, line: section.headerRange.start.line, run };
    });
}

export function lensTitle(run: JailRunState): string {
  switch (run.state) {
    case 'runs':
      return t('$(pass) enabled ({0})', run.enabledBy);
    case 'dropped':
      return t('$(error) dropped by fail2ban ({0})', run.code);
    default:
      return t('$(circle-slash) off: {0}', run.why);
  }
}

export function computeJailLenses(doc: ConfigDocument, options: FeatureOptions, uri: string, findings?: readonly EngineDiagnostic[]): CodeLens[] {
  return jailRunStates(doc, options, findings).map(({ line, run }) => ({
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    command: { title: lensTitle(run), command: SHOW_EFFECTIVE_CONFIG_COMMAND, arguments: [uri] },
  }));
}
