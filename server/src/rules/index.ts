// The rule registry. Every rule module exports `rules: Rule[]` (one rule per topic, each with its code table);
// adding a module is one line below.
import type { Rule, RuleMeta } from './rule';
import { rules as structureRules } from './structure';
import { rules as interpolationRules } from './interpolation';
import { rules as commentRules } from './comments';
import { rules as unknownNameRules } from './unknownNames';
import { rules as dmsRules } from './dms';
import { rules as logpathRules } from './logpath';
import { rules as durationRules } from './durations';
import { rules as integerRules } from './integers';
import { rules as booleanRules } from './booleans';
import { rules as filterRules } from './filters';
import { rules as actionRules } from './actions';
import { rules as ignoreIpRules } from './ignoreip';
import { rules as regexRules } from './regexes';
import { rules as expressionRules } from './expressions';
import { rules as backendRules } from './backend';
import { rules as valueRules } from './values';

const RULE_MODULES: readonly (readonly Rule[])[] = [
  structureRules,
  interpolationRules,
  commentRules,
  unknownNameRules,
  dmsRules,
  logpathRules,
  durationRules,
  integerRules,
  booleanRules,
  filterRules,
  actionRules,
  ignoreIpRules,
  regexRules,
  expressionRules,
  backendRules,
  valueRules,
];

export const allRules: readonly Rule[] = RULE_MODULES.flat();

/** Built on the first question: a check (the CLI's start-up) never asks. */
let metaByCode: Map<string, RuleMeta> | undefined;

function metaTable(): Map<string, RuleMeta> {
  if (!metaByCode) {
    metaByCode = new Map();
    for (const rule of allRules) {
      for (const [code, meta] of Object.entries(rule.codes)) {
        if (!metaByCode.has(code)) metaByCode.set(code, { code, ...meta });
      }
    }
  }
  return metaByCode;
}

/** Metadata of a registered code, or undefined. */
export function ruleMeta(code: string): RuleMeta | undefined {
  return metaTable().get(code);
}

/** All registered metadata, sorted by code. */
export function allRuleMeta(): RuleMeta[] {
  return [...metaTable().values()].sort((a, b) => a.code.localeCompare(b.code));
}
