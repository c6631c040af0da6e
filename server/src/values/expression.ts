// bantime.factor / bantime.formula / bantime.multipliers (fail2ban/server/jail.py
// Jail.setBanTimeExtra, 1.1.0):
//  - factor:      `eval(factor)` at start-up inside setBanTimeExtra → exceptions are fatal; the
//                 value is later multiplied into ban times (a non-number breaks every ban).
//  - formula:     `compile(formula, '~inline-conf-expr~', 'eval')` at start-up (SyntaxError fatal);
//                 evaluated at each ban with names `ban` (.Time, .Count), `banFactor`, `formula`,
//                 jail.py's globals and builtins — an unknown name fails each ban (NameError).
//                 Only used when bantime.multipliers is empty.
//  - multipliers: `[int(i) for i in value.split(' ')]` → every piece must be an int (single spaces).
import {
  collectNames, evaluate, parseExpression, PyRuntimeError, PySyntaxError, PyUnknown, tokenize, type EvalTrace, type PyValue,
} from './pyExpr';
import { PYTHON_BUILTIN_NAMES } from './duration';
import { pyInt } from './pyText';

/** Globals of fail2ban/server/jail.py (1.1.0) — visible to both eval() calls. */
export const JAIL_MODULE_NAMES: readonly string[] = [
  'logging', 'math', 'random', 'queue', 'Actions', 'getLogger', '_as_bool', 'extractOptions', 'MyTime', 'logSys', 'Jail',
  '__name__', '__doc__', '__file__', '__builtins__', '__author__', '__copyright__', '__license__', '__package__',
  '__loader__', '__spec__', '__cached__',
];
/** Locals of setBanTimeExtra when the factor is evaluated. */
export const FACTOR_LOCAL_NAMES: readonly string[] = ['self', 'opt', 'value', 'be', 'multipliers'];
/** Locals of the lambda that evaluates the formula at ban time. */
export const FORMULA_LOCAL_NAMES: readonly string[] = ['ban', 'banFactor', 'formula'];
/** Attributes of `ban` (observer BanTimeIncr). */
export const BAN_ATTRIBUTES: readonly string[] = ['Time', 'Count'];

export interface ExpressionProblem {
  severity: 'error' | 'warning';
  message: string;
  /** Python's own error text (LSP related information, CLI details). */
  details?: string;
  start: number;
  end: number;
}

export interface ExpressionCheck {
  /** false when fail2ban refuses to start with this value. */
  ok: boolean;
  problems: ExpressionProblem[];
  /** For a factor we could evaluate: its value. */
  value?: number;
}

function syntaxProblem(err: PySyntaxError, what: string): ExpressionProblem {
  return {
    severity: 'error',
    message: `${what} is not a valid Python expression: write a number or a formula such as ban.Time * 2: fail2ban stops at start-up`,
    details: `Python SyntaxError: ${err.message}`,
    start: err.start,
    end: Math.max(err.end, err.start + 1),
  };
}

function lookupFactorName(name: string): PyValue | undefined {
  if (JAIL_MODULE_NAMES.includes(name) || FACTOR_LOCAL_NAMES.includes(name) || PYTHON_BUILTIN_NAMES.has(name)) {
    return { t: 'object', name };
  }
  return undefined;
}

/** bantime.factor: Python eval at start-up; should give a number. */
export function checkBantimeFactor(value: string): ExpressionCheck {
  let tree;
  try {
    tree = parseExpression(value.replace(/^[ \t]+/, ''));
  } catch (err) {
    if (err instanceof PyUnknown) {
      return { ok: true, problems: [{ severity: 'warning', message: `bantime.factor uses Python syntax (${err.what}) that cannot be checked here`, start: err.start, end: err.end }] };
    }
    if (err instanceof PySyntaxError) {
      const lead = value.length - value.replace(/^[ \t]+/, '').length;
      const p = syntaxProblem(err, 'bantime.factor');
      return { ok: false, problems: [{ ...p, start: p.start + lead, end: p.end + lead }] };
    }
    return { ok: false, problems: [{ severity: 'error', message: 'bantime.factor cannot be read', start: 0, end: value.length }] };
  }
  const lead = value.length - value.replace(/^[ \t]+/, '').length;
  const trace: EvalTrace = { names: new Set(), usedBoolOps: false, usedComparison: false, inexact: false };
  try {
    const result = evaluate(tree, { lookup: lookupFactorName }, trace);
    if (result.t === 'int' || result.t === 'float' || result.t === 'bool') {
      const n = result.t === 'int' ? Number(result.v) : result.t === 'float' ? result.v : Number(result.v);
      const problems: ExpressionProblem[] = [];
      if (n <= 0) {
        problems.push({ severity: 'warning', message: `bantime.factor is ${n}: increased ban times become ${n <= 0 ? 'zero or negative' : ''}`, start: 0, end: value.length });
      }
      return { ok: true, problems, value: n };
    }
    return {
      ok: true,
      problems: [{ severity: 'warning', message: 'bantime.factor does not give a number: fail2ban starts, but every increased ban fails with TypeError', start: 0, end: value.length }],
    };
  } catch (err) {
    if (err instanceof PyRuntimeError) {
      return {
        ok: false,
        problems: [
          {
            severity: 'error',
            message: 'bantime.factor must be a number such as 1 or 2: fail2ban stops at start-up evaluating it',
            details: `Python ${err.errorType}: ${err.message}`,
            start: err.start + lead,
            end: err.end + lead,
          },
        ],
      };
    }
    if (err instanceof PyUnknown) {
      return {
        ok: true,
        problems: [{ severity: 'warning', message: `bantime.factor runs Python code (${err.what}) that cannot be checked here; use a plain number such as 1 or 2.0 / 2.885385`, start: err.start + lead, end: err.end + lead }],
      };
    }
    return { ok: true, problems: [] };
  }
}

/** bantime.formula: compiled at start-up (syntax), names resolved at each ban. */
export function checkBantimeFormula(value: string): ExpressionCheck {
  // compile() does not strip leading whitespace: an indented formula is an IndentationError
  let tree;
  try {
    if (/^[ \t]/.test(value) && value.trim() !== '') throw new PySyntaxError('unexpected indent', 0, value.length - value.trimStart().length);
    tree = parseExpression(value);
  } catch (err) {
    if (err instanceof PySyntaxError) return { ok: false, problems: [syntaxProblem(err, 'bantime.formula')] };
    if (err instanceof PyUnknown) {
      return { ok: true, problems: [{ severity: 'warning', message: `bantime.formula uses Python syntax (${err.what}) that cannot be checked here`, start: err.start, end: err.end }] };
    }
    return { ok: false, problems: [{ severity: 'error', message: 'bantime.formula cannot be read', start: 0, end: value.length }] };
  }
  const problems: ExpressionProblem[] = [];
  for (const use of collectNames(tree)) {
    const known =
      FORMULA_LOCAL_NAMES.includes(use.name) || JAIL_MODULE_NAMES.includes(use.name) || PYTHON_BUILTIN_NAMES.has(use.name);
    if (!known) {
      problems.push({
        severity: 'warning',
        message: `'${use.name}' is not defined when fail2ban evaluates bantime.formula: every increased ban fails with NameError (names: ban.Time, ban.Count, banFactor, math, …)`,
        start: use.start,
        end: use.end,
      });
    } else if (use.name === 'ban' && use.attributes.length > 0 && !BAN_ATTRIBUTES.includes(use.attributes[0])) {
      problems.push({
        severity: 'warning',
        message: `ban.${use.attributes[0]} does not exist (only ban.Time and ban.Count): every increased ban fails with AttributeError`,
        start: use.start,
        end: use.end + 1 + use.attributes[0].length,
      });
    }
  }
  return { ok: true, problems };
}

export interface MultipliersCheck {
  ok: boolean;
  values: bigint[];
  /** fail2ban's message for the first bad piece, e.g. "invalid literal for int() with base 10: ''". */
  message?: string;
  start?: number;
  end?: number;
}

/** bantime.multipliers: `value.split(' ')`, each piece `int()`; empty → no multipliers. */
export function parseMultipliers(value: string): MultipliersCheck {
  if (value === '') return { ok: true, values: [] };
  const values: bigint[] = [];
  let start = 0;
  for (const piece of value.split(' ')) {
    const n = pyInt(piece);
    if (!n.ok) return { ok: false, values, message: n.message, start, end: start + Math.max(piece.length, 1) };
    values.push(n.value);
    start += piece.length + 1;
  }
  return { ok: true, values };
}

/** True when `value` is syntactically a Python expression (compile(..., 'eval')). */
export function isPythonExpression(value: string): boolean {
  try {
    if (/^[ \t]/.test(value)) return false;
    parseExpression(value);
    return true;
  } catch (err) {
    // syntax this model does not cover (comprehensions) is valid Python
    return err instanceof PyUnknown;
  }
}

export { tokenize as tokenizePython };
