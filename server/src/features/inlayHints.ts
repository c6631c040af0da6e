// Inlay hints: a duration written as plain seconds gets its reading (`bantime = 604800` → "7 days").
import { InlayHintKind, type InlayHint } from 'vscode-languageserver-types';
import { resolveVersions } from '../context';
import type { ConfigDocument } from '../parser/model';
import type { Range } from '../types';
import { formatDuration } from '../values/duration';
import { isDurationOption } from './knowledgeText';
import type { FeatureOptions } from './shared';
import { t } from '../l10n';

const PLAIN_SECONDS = /^-?\d+$/;

export function computeInlayHints(doc: ConfigDocument, range: Range, options: FeatureOptions): InlayHint[] {
  try {
    const { fail2banVersion } = resolveVersions(options);
    const hints: InlayHint[] = [];
    for (const section of doc.sections) {
      for (const option of section.options) {
        const end = option.valueRange.end;
        if (end.line < range.start.line || end.line > range.end.line) continue;
        const value = option.value.trim();
        if (!PLAIN_SECONDS.test(value) || Number(value) === 0) continue;
        if (!isDurationOption(options.kind, option.name, section.name, fail2banVersion)) continue;
        const seconds = Number(value);
        hints.push({
          position: { ...end },
          label: seconds < 0 ? t('permanent') : formatDuration(seconds),
          kind: InlayHintKind.Type,
          paddingLeft: true,
        });
      }
    }
    return hints;
  } catch {
    return [];
  }
}
