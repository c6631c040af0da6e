// The custom request dmsFail2ban/effectiveConfig: every enabled jail (or the server sections) as fail2ban
// will run it — all layers merged and interpolated, each value marked with the layer it came from.
import { buildContext, effectiveConfigReport } from '../context';
import type { ConfigDocument } from '../parser/model';
import type { EffectiveConfigResult } from '../shared/protocol';
import type { FeatureOptions } from './shared';

export { EFFECTIVE_CONFIG_REQUEST, type EffectiveConfigParams, type EffectiveConfigResult } from '../shared/protocol';

export function computeEffectiveConfig(doc: ConfigDocument, options: FeatureOptions): EffectiveConfigResult {
  try {
    return { text: effectiveConfigReport(buildContext(doc, options)) };
  } catch (error) {
    return { text: `; The effective configuration could not be computed: ${error instanceof Error ? error.message : String(error)}\n` };
  }
}
