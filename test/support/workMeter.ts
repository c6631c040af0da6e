// Counts the work a synchronous function does, deterministically: every character a string method reads, every
// element an array method visits, every regex run (its input length). Wall-clock or CPU time depends on how busy
// the machine is; these counts do not, so a test can compare them tightly (linear input growth → linear count).
//
// How: the built-in methods are wrapped for the duration of one call and restored afterwards, even on a throw.
// Only synchronous code runs in between, so nothing else (the test runner, timers) is counted. Plain loops over
// `charCodeAt` are counted one per call; `indexOf`/`lastIndexOf` by the characters they pass over; `slice`-like
// methods by the characters they copy; whole-string methods (`split`, `toLowerCase`, regexes …) by the length.

type Method = (...args: unknown[]) => unknown;
type Cost = (self: unknown, args: unknown[], result: unknown) => number;

const lengthOf = (value: unknown): number => (typeof value === 'string' || Array.isArray(value) ? value.length : 0);
const one: Cost = () => 1;
const whole: Cost = (self) => lengthOf(self);
const produced: Cost = (_self, _args, result) => lengthOf(result);

/** indexOf(search, from): the characters from `from` up to the match (or to the end). */
const forwardSearch: Cost = (self, args, result) => {
  const length = lengthOf(self);
  const from = Math.max(0, Math.min(length, Number(args[1] ?? 0) || 0));
  return (result as number) === -1 ? length - from : (result as number) - from + 1;
};

/** lastIndexOf(search, from): the characters from `from` (default the end) back to the match. */
const backwardSearch: Cost = (self, args, result) => {
  const length = lengthOf(self);
  const from = args[1] === undefined ? length - 1 : Math.max(0, Math.min(length - 1, Number(args[1]) || 0));
  return (result as number) === -1 ? from + 1 : from - (result as number) + 1;
};

const STRING_COSTS: Record<string, Cost> = {
  charCodeAt: one,
  codePointAt: one,
  charAt: one,
  at: one,
  indexOf: forwardSearch,
  lastIndexOf: backwardSearch,
  includes: whole,
  startsWith: (_self, args) => lengthOf(args[0]),
  endsWith: (_self, args) => lengthOf(args[0]),
  slice: produced,
  substring: produced,
  substr: produced,
  trim: whole,
  trimStart: whole,
  trimEnd: whole,
  padStart: produced,
  padEnd: produced,
  repeat: produced,
  split: whole,
  toLowerCase: whole,
  toUpperCase: whole,
  normalize: whole,
  replace: whole,
  replaceAll: whole,
  match: whole,
  matchAll: whole,
  search: whole,
  concat: produced,
};

const ARRAY_COSTS: Record<string, Cost> = {
  indexOf: whole,
  lastIndexOf: whole,
  includes: whole,
  find: whole,
  findIndex: whole,
  findLast: whole,
  findLastIndex: whole,
  some: whole,
  every: whole,
  filter: whole,
  map: whole,
  flatMap: whole,
  forEach: whole,
  reduce: whole,
  reduceRight: whole,
  join: whole,
  slice: produced,
  splice: whole,
  concat: produced,
  sort: whole,
  reverse: whole,
  fill: whole,
  flat: produced,
  push: one,
  pop: one,
  shift: whole,
  unshift: whole,
};

const REGEXP_COSTS: Record<string, Cost> = {
  exec: (_self, args) => lengthOf(args[0]),
  test: (_self, args) => lengthOf(args[0]),
};

export interface WorkCount {
  /** Characters read or copied, elements visited, regex input characters: the total. */
  total: number;
  /** The same, per method (e.g. 'String#charCodeAt'), for messages. */
  byMethod: Record<string, number>;
}

/** Thrown out of the measured work as soon as it has cost more than its budget. */
export class WorkBudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`the work cost more than its budget of ${budget} operations`);
  }
}

/**
 * Runs `work` once and returns what it cost in counted operations. Not reentrant. With a `budget`, the work is
 * stopped (WorkBudgetExceeded) as soon as it costs more: a quadratic mutant fails at once instead of running on.
 */
export function countWork(work: () => unknown, budget = Infinity): WorkCount {
  const byMethod: Record<string, number> = {};
  let spent = 0;
  let counting = false;
  const restores: (() => void)[] = [];
  const wrap = (prototype: object, label: string, costs: Record<string, Cost>): void => {
    const target = prototype as Record<string, Method>;
    for (const [name, cost] of Object.entries(costs)) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      const key = `${label}#${name}`;
      const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        const result = original.apply(this, args);
        if (counting) {
          counting = false; // the cost functions themselves must not count
          const spentHere = cost(this, args, result);
          byMethod[key] = (byMethod[key] ?? 0) + spentHere;
          spent += spentHere;
          if (spent > budget) throw new WorkBudgetExceeded(budget); // counting stays off: the work is abandoned
          counting = true;
        }
        return result;
      };
      Object.defineProperty(target, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
      restores.push(() => Object.defineProperty(target, name, { value: original, writable: true, configurable: true, enumerable: false }));
    }
  };
  wrap(String.prototype, 'String', STRING_COSTS);
  wrap(Array.prototype, 'Array', ARRAY_COSTS);
  wrap(RegExp.prototype, 'RegExp', REGEXP_COSTS);
  try {
    counting = true;
    work();
  } finally {
    counting = false;
    for (const restore of restores.reverse()) restore();
  }
  return { total: spent, byMethod };
}
