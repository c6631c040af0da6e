// The custom request dmsFail2ban/effectiveConfig: every enabled jail (or the server sections) as fail2ban
// will run it — all layers merged and interpolated, each value marked with the layer it came from, and the
// engine's problems placed on the values and jails they are about (invalid values, dropped or switched-off jails).
import { buildContext, effectiveConfigReport, type ReportAnnotations, type ReportProblem } from '../context';
import { checkParsed } from '../engine';
import type { ConfigDocument } from '../parser/model';
import { ruleMeta } from '../rules';
import type { EffectiveConfigResult } from '../shared/protocol';
import type { EngineDiagnostic } from '../types';
import type { FeatureOptions } from './shared';

export { EFFECTIVE_CONFIG_REQUEST, type EffectiveConfigParams, type EffectiveConfigResult } from '../shared/protocol';

/** Sections that are not jails (their problems belong to every jail, shown in the header instead). */
const NOT_JAILS = new Set(['DEFAULT', 'INCLUDES', 'Definition', 'Init', 'Thread']);

/** Places each diagnostic on the section (and option) of the user's file whose line it starts on. */
export function annotationsFor(doc: ConfigDocument, diagnostics: readonly EngineDiagnostic[]): ReportAnnotations {
  const problems: ReportProblem[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'hint') continue;
    const line = diagnostic.range.start.line;
    const section = doc.sections.find((candidate) => candidate.range.start.line <= line && line <= candidate.range.end.line);
    if (!section) continue;
    const option = section.options.find((candidate) => candidate.range.start.line <= line && line <= candidate.range.end.line);
    const outcome = ruleMeta(diagnostic.code)?.outcome;
    problems.push({
      section: section.name,
      ...(option ? { option: option.name } : {}),
      severity: diagnostic.severity,
      code: diagnostic.code,
      message: diagnostic.message,
      dropsJail: diagnostic.severity === 'error' && outcome === 'jail-dropped' && !NOT_JAILS.has(section.name),
      fatal: outcome === 'fatal',
    });
  }
  return { problems, userSections: doc.sections.map((section) => section.name).filter((name) => !NOT_JAILS.has(name)) };
}

export function computeEffectiveConfig(doc: ConfigDocument, options: FeatureOptions): EffectiveConfigResult {
  try {
    return { text: effectiveConfigReport(buildContext(doc, options), annotationsFor(doc, checkParsed(doc, options))) };
  } catch (error) {
    return { text: `; The effective configuration could not be computed: ${error instanceof Error ? error.message : String(error)}\n` };
  }
}
