// fail2ban booleans: helpers._as_bool (1.0.2–1.1.1): true iff the lower-cased text is one of
// 1, on, true, yes; EVERYTHING else (typos included) is silently false.
export const TRUE_SPELLINGS: readonly string[] = ['1', 'on', 'true', 'yes'];
/** Spellings people use for "false" that fail2ban also reads as false (not warned about). */
export const FALSE_SPELLINGS: readonly string[] = ['0', 'off', 'false', 'no'];

/** Exactly `_as_bool(value)` for a str. */
export function asBool(value: string): boolean {
  return TRUE_SPELLINGS.includes(value.toLowerCase());
}

export interface BoolReading {
  value: boolean;
  /** One of 1|on|true|yes|0|off|false|no in any case; otherwise fail2ban silently reads false. */
  recognised: boolean;
  /** For unrecognised text: the recognised spelling it most likely meant (e.g. 'ture' → 'true'). */
  suggestion?: string;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Reads a boolean option and says whether the spelling is one fail2ban users mean. */
export function readBool(value: string): BoolReading {
  const lower = value.toLowerCase();
  const result = asBool(value);
  if (TRUE_SPELLINGS.includes(lower) || FALSE_SPELLINGS.includes(lower)) return { value: result, recognised: true };
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const spelling of [...TRUE_SPELLINGS, ...FALSE_SPELLINGS].filter((s) => s.length > 1)) {
    const d = editDistance(lower.trim().slice(0, 32), spelling);
    if (d < bestDistance) {
      bestDistance = d;
      best = spelling;
    }
  }
  const close = best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3));
  return { value: result, recognised: false, ...(close ? { suggestion: best } : {}) };
}
