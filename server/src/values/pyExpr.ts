// A safe model of Python 3.11 `eval`/`compile(..., 'eval')` for the small expressions fail2ban
// evaluates (time values, bantime.factor, bantime.formula): tokenizer, parser (expression grammar)
// and an evaluator over numbers, bools, None, strings and tuples. Nothing is ever executed:
// calls, attribute access, subscripts, lambdas and displays parse fine but evaluate to "unknown".
import { isPyIdentifier, isXidContinue, isXidStart } from './pyText';

// ---------------------------------------------------------------- tokens

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'newline' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export class PySyntaxError {
  readonly errorType = 'SyntaxError';
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=',
  '==', '>=', '>>', '@=', '^=', '|=', '(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '+', '-', '*', '/', '%',
  '@', '&', '|', '^', '~', '<', '>', '=',
];
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

// one character (a code point) each time: the tokenizer never passes more
const isIdStart = isXidStart;
const isIdContinue = isXidContinue;

/** Reads one numeric literal at `i` (Python 3.11 tokenizer rules); returns its end. */
function readNumber(text: string, i: number): number {
  const start = i;
  const digitsRun = (re: RegExp): void => {
    // digits with single underscores between them
    while (i < text.length) {
      if (re.test(text[i])) i++;
      else if (text[i] === '_' && i + 1 < text.length && re.test(text[i + 1]) && i > start && re.test(text[i - 1])) i++;
      else break;
    }
  };
  const invalid = (what: string): never => {
    throw new PySyntaxError(`invalid ${what} literal`, start, Math.max(i, start + 1));
  };
  if (text[i] === '0' && /[xXoObB]/.test(text[i + 1] ?? '')) {
    const kind = text[i + 1].toLowerCase();
    const re = kind === 'x' ? /[0-9a-fA-F]/ : kind === 'o' ? /[0-7]/ : /[01]/;
    const name = kind === 'x' ? 'hexadecimal' : kind === 'o' ? 'octal' : 'binary';
    i += 2;
    if (text[i] === '_') i++;
    const bodyStart = i;
    while (i < text.length && (re.test(text[i]) || (text[i] === '_' && re.test(text[i + 1] ?? '') && re.test(text[i - 1])))) i++;
    if (i === bodyStart || (i < text.length && (isIdContinue(text[i]) || /[0-9]/.test(text[i])))) invalid(name);
    return i;
  }
  let isFloat = false;
  if (text[i] !== '.') digitsRun(/[0-9]/);
  const intEnd = i;
  if (text[i] === '.') {
    isFloat = true;
    i++;
    if (/[0-9]/.test(text[i] ?? '')) {
      const fracStart = i;
      while (i < text.length && (/[0-9]/.test(text[i]) || (text[i] === '_' && /[0-9]/.test(text[i + 1] ?? '') && i > fracStart))) i++;
    }
  }
  if (/[eE]/.test(text[i] ?? '')) {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (/[0-9]/.test(text[j] ?? '')) {
      i = j;
      while (i < text.length && (/[0-9]/.test(text[i]) || (text[i] === '_' && /[0-9]/.test(text[i + 1] ?? '')))) i++;
      isFloat = true;
    } else invalid('decimal');
  }
  if (/[jJ]/.test(text[i] ?? '')) i++;
  else if (!isFloat) {
    const body = text.slice(start, intEnd);
    if (/^0[0-9_]*[1-9]/.test(body)) {
      throw new PySyntaxError(
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        start,
        intEnd,
      );
    }
  }
  if (text[i] === '_' || (i < text.length && isIdContinue(text[i]))) invalid('decimal');
  return i;
}

function readString(text: string, i: number): number {
  const start = i;
  while (/[rRbBuUfF]/.test(text[i])) i++;
  const quote = text[i];
  const triple = text.startsWith(quote.repeat(3), i);
  const raw = /[rR]/.test(text.slice(start, i));
  i += triple ? 3 : 1;
  for (;;) {
    if (i >= text.length || (!triple && text[i] === '\n')) {
      throw new PySyntaxError(
        triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
        start,
        Math.max(start + 1, i),
      );
    }
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (triple ? text.startsWith(quote.repeat(3), i) : text[i] === quote) return i + (triple ? 3 : 1);
    i++;
    void raw;
  }
}

/** Python's tokenizer for one eval() input (after eval strips leading spaces and tabs). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const stack: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === '\\') {
      if (text[i + 1] === '\n') {
        i += 2;
        continue;
      }
      if (text[i + 1] === '\r') {
        i += text[i + 2] === '\n' ? 3 : 2;
        continue;
      }
      throw new PySyntaxError('unexpected character after line continuation character', i, i + 1);
    }
    if (ch === '\n' || ch === '\r') {
      const end = ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      // blank lines before the first logical line produce no token; an indented first line is an error
      if (stack.length === 0 && tokens.length > 0) tokens.push({ kind: 'newline', text: '\n', start: i, end });
      i = end;
      if (tokens.length === 0) {
        let j = i;
        while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\f')) j++;
        if (j > i && j < text.length && !'\r\n#'.includes(text[j])) throw new PySyntaxError('unexpected indent', i, j);
      }
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const end = readNumber(text, i);
      tokens.push({ kind: 'number', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const prefix = /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?['"]/.exec(text.slice(i, i + 3));
    if (prefix) {
      const end = readString(text, i);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const cpChar = String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (isIdStart(cpChar)) {
      let end = i + cpChar.length;
      while (end < text.length) {
        const next = String.fromCodePoint(text.codePointAt(end) ?? 0);
        if (!isIdContinue(next)) break;
        end += next.length;
      }
      tokens.push({ kind: 'name', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      const token: Token = { kind: 'op', text: op, start: i, end: i + op.length };
      if (op in OPENERS) {
        // Parser/tokenizer.h MAXLEVEL
        if (stack.length >= 200) throw new PySyntaxError('too many nested parentheses', i, i + 1);
        stack.push(token);
      }
      else if (op in CLOSERS) {
        const open = stack.pop();
        if (!open) throw new PySyntaxError(`unmatched '${op}'`, i, i + 1);
        if (OPENERS[open.text] !== op) {
          throw new PySyntaxError(`closing parenthesis '${op}' does not match opening parenthesis '${open.text}'`, i, i + 1);
        }
      }
      tokens.push(token);
      i += op.length;
      continue;
    }
    const code = (text.codePointAt(i) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    if (ch === '!' || ch === '$' || ch === '?' || ch === '`') throw new PySyntaxError('invalid syntax', i, i + 1);
    throw new PySyntaxError(`invalid character '${cpChar}' (U+${code})`, i, i + cpChar.length);
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new PySyntaxError(`'${open.text}' was never closed`, open.start, open.end);
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

// ---------------------------------------------------------------- AST

export type Node =
  | { type: 'num'; text: string; start: number; end: number }
  | { type: 'str'; text: string; start: number; end: number }
  | { type: 'name'; id: string; start: number; end: number }
  | { type: 'const'; value: 'True' | 'False' | 'None'; start: number; end: number }
  | { type: 'unary'; op: string; operand: Node; start: number; end: number }
  | { type: 'binary'; op: string; left: Node; right: Node; start: number; end: number }
  | { type: 'boolop'; op: 'and' | 'or'; values: Node[]; start: number; end: number }
  | { type: 'compare'; left: Node; ops: string[]; comparators: Node[]; start: number; end: number }
  | { type: 'ifexp'; test: Node; body: Node; orelse: Node; start: number; end: number }
  | { type: 'tuple'; elts: Node[]; start: number; end: number }
  | { type: 'attribute'; value: Node; attr: string; start: number; end: number }
  | { type: 'opaque'; what: string; children: Node[]; start: number; end: number };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private at(text: string, kind: TokenKind = 'op'): boolean {
    const t = this.peek();
    return t.kind === kind && t.text === text;
  }
  private atKeyword(word: string): boolean {
    return this.at(word, 'name');
  }
  private take(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private expect(text: string): Token {
    if (!this.at(text)) this.fail();
    return this.take();
  }
  fail(token = this.peek()): never {
    if (token.kind === 'end' || token.kind === 'newline') {
      throw new PySyntaxError('invalid syntax', token.start, token.end);
    }
    throw new PySyntaxError('invalid syntax', token.start, token.end);
  }

  /** eval_input: expressions NEWLINE* ENDMARKER */
  parseEvalInput(): Node {
    if (this.peek().kind === 'end' || this.peek().kind === 'newline') this.fail();
    const node = this.expressions();
    while (this.peek().kind === 'newline') this.take();
    if (this.peek().kind !== 'end') this.fail();
    return node;
  }

  /** eval input allows no starred items at the top level; parentheses allow them in a tuple. */
  private expressions(topLevel = true): Node {
    const item = (): Node => {
      const node = this.starOrExpression();
      if (topLevel && node.type === 'opaque' && node.what === 'starred') {
        throw new PySyntaxError("can't use starred expression here", node.start, node.end);
      }
      return node;
    };
    const first = item();
    if (!this.at(',')) {
      if (first.type === 'opaque' && first.what === 'starred') throw new PySyntaxError("can't use starred expression here", first.start, first.end);
      return first;
    }
    const elts = [first];
    while (this.at(',')) {
      this.take();
      if (this.endsList()) break;
      elts.push(item());
    }
    return { type: 'tuple', elts, start: first.start, end: elts[elts.length - 1].end };
  }

  private endsList(): boolean {
    const t = this.peek();
    return t.kind === 'end' || t.kind === 'newline' || (t.kind === 'op' && [')', ']', '}', '=', ':'].includes(t.text));
  }

  private starOrExpression(): Node {
    if (this.at('*')) {
      const star = this.take();
      const value = this.bitwiseOr();
      return { type: 'opaque', what: 'starred', children: [value], start: star.start, end: value.end };
    }
    return this.expression();
  }

  expression(): Node {
    if (this.atKeyword('lambda')) return this.lambda();
    const body = this.disjunction();
    if (this.atKeyword('if')) {
      this.take();
      const test = this.disjunction();
      if (!this.atKeyword('else')) this.fail();
      this.take();
      const orelse = this.expression();
      return { type: 'ifexp', test, body, orelse, start: body.start, end: orelse.end };
    }
    return body;
  }

  private lambda(): Node {
    const start = this.take();
    while (!this.at(':')) {
      const t = this.peek();
      if (t.kind === 'end' || t.kind === 'newline') this.fail();
      if (t.kind === 'name' && KEYWORDS.has(t.text)) this.fail();
      this.take();
    }
    this.take();
    const body = this.expression();
    return { type: 'opaque', what: 'lambda', children: [], start: start.start, end: body.end };
  }

  private disjunction(): Node {
    const first = this.conjunction();
    if (!this.atKeyword('or')) return first;
    const values = [first];
    while (this.atKeyword('or')) {
      this.take();
      values.push(this.conjunction());
    }
    return { type: 'boolop', op: 'or', values, start: first.start, end: values[values.length - 1].end };
  }

  private conjunction(): Node {
    const first = this.inversion();
    if (!this.atKeyword('and')) return first;
    const values = [first];
    while (this.atKeyword('and')) {
      this.take();
      values.push(this.inversion());
    }
    return { type: 'boolop', op: 'and', values, start: first.start, end: values[values.length - 1].end };
  }

  private inversion(): Node {
    if (this.atKeyword('not')) {
      const t = this.take();
      const operand = this.inversion();
      return { type: 'unary', op: 'not', operand, start: t.start, end: operand.end };
    }
    return this.comparison();
  }

  private compareOp(): string | null {
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.take();
      return t.text;
    }
    if (t.kind === 'name' && t.text === 'in') {
      this.take();
      return 'in';
    }
    if (t.kind === 'name' && t.text === 'not' && this.peek(1).kind === 'name' && this.peek(1).text === 'in') {
      this.take();
      this.take();
      return 'not in';
    }
    if (t.kind === 'name' && t.text === 'is') {
      this.take();
      if (this.atKeyword('not')) {
        this.take();
        return 'is not';
      }
      return 'is';
    }
    return null;
  }

  private comparison(): Node {
    const left = this.bitwiseOr();
    const ops: string[] = [];
    const comparators: Node[] = [];
    for (let op = this.compareOp(); op !== null; op = this.compareOp()) {
      ops.push(op);
      comparators.push(this.bitwiseOr());
    }
    if (ops.length === 0) return left;
    return { type: 'compare', left, ops, comparators, start: left.start, end: comparators[comparators.length - 1].end };
  }

  private binaryLevel(ops: string[], next: () => Node): Node {
    let left = next();
    while (this.peek().kind === 'op' && ops.includes(this.peek().text)) {
      const op = this.take().text;
      const right = next();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private bitwiseOr(): Node {
    return this.binaryLevel(['|'], () => this.bitwiseXor());
  }
  private bitwiseXor(): Node {
    return this.binaryLevel(['^'], () => this.bitwiseAnd());
  }
  private bitwiseAnd(): Node {
    return this.binaryLevel(['&'], () => this.shift());
  }
  private shift(): Node {
    return this.binaryLevel(['<<', '>>'], () => this.sum());
  }
  private sum(): Node {
    return this.binaryLevel(['+', '-'], () => this.term());
  }
  private term(): Node {
    return this.binaryLevel(['*', '/', '//', '%', '@'], () => this.factor());
  }

  private factor(): Node {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '+' || t.text === '-' || t.text === '~')) {
      this.take();
      const operand = this.factor();
      return { type: 'unary', op: t.text, operand, start: t.start, end: operand.end };
    }
    return this.power();
  }

  private power(): Node {
    const base = this.primary();
    if (this.at('**')) {
      this.take();
      const exponent = this.factor();
      return { type: 'binary', op: '**', left: base, right: exponent, start: base.start, end: exponent.end };
    }
    return base;
  }

  private primary(): Node {
    if (this.atKeyword('await')) this.fail();
    let node = this.atom();
    for (;;) {
      if (this.at('.')) {
        this.take();
        const name = this.peek();
        if (name.kind !== 'name' || KEYWORDS.has(name.text)) this.fail();
        this.take();
        node = { type: 'attribute', value: node, attr: name.text, start: node.start, end: name.end };
      } else if (this.at('(')) {
        this.take();
        const children = this.callArguments();
        const close = this.expect(')');
        node = { type: 'opaque', what: 'call', children: [node, ...children], start: node.start, end: close.end };
      } else if (this.at('[')) {
        this.take();
        const children = this.slices();
        const close = this.expect(']');
        node = { type: 'opaque', what: 'subscript', children: [node, ...children], start: node.start, end: close.end };
      } else return node;
    }
  }

  private callArguments(): Node[] {
    const args: Node[] = [];
    let keywordSeen = false;
    let doubleStarSeen = false;
    while (!this.at(')')) {
      if (this.at('**')) {
        this.take();
        doubleStarSeen = true;
        args.push(this.expression());
      } else if (this.peek().kind === 'name' && this.peek(1).kind === 'op' && this.peek(1).text === '=') {
        if (KEYWORDS.has(this.peek().text)) this.fail();
        this.take();
        this.take();
        keywordSeen = true;
        args.push(this.expression());
      } else {
        const t = this.peek();
        const arg = this.starOrExpression();
        const starred = arg.type === 'opaque' && arg.what === 'starred';
        // positional after keyword / anything but keywords after **
        if ((!starred && (keywordSeen || doubleStarSeen)) || (starred && doubleStarSeen)) this.fail(t);
        args.push(arg);
      }
      if (this.atKeyword('for')) throw new PyUnknown('comprehension', this.peek().start, this.peek().end);
      if (!this.at(',')) break;
      this.take();
    }
    return args;
  }

  private slices(): Node[] {
    const out: Node[] = [];
    for (;;) {
      // slice: [expr] ':' [expr] [':' [expr]] | expr
      if (!this.at(':')) out.push(this.starOrExpression());
      while (this.at(':')) {
        this.take();
        if (!this.at(':') && !this.at(']') && !this.at(',')) out.push(this.expression());
      }
      if (!this.at(',')) break;
      this.take();
      if (this.at(']')) break;
    }
    if (out.length === 0 && this.at(']') && this.peek(-1).text === '[') this.fail();
    return out;
  }

  private atom(): Node {
    const t = this.peek();
    if (t.kind === 'number') {
      this.take();
      return { type: 'num', text: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'string') {
      this.take();
      let end = t.end;
      let text = t.text;
      while (this.peek().kind === 'string') {
        const next = this.take();
        end = next.end;
        text += next.text;
      }
      return { type: 'str', text, start: t.start, end };
    }
    if (t.kind === 'name') {
      if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
        this.take();
        return { type: 'const', value: t.text, start: t.start, end: t.end };
      }
      if (KEYWORDS.has(t.text)) this.fail();
      this.take();
      return { type: 'name', id: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'op') {
      if (t.text === '...') {
        this.take();
        return { type: 'opaque', what: 'ellipsis', children: [], start: t.start, end: t.end };
      }
      if (t.text === '(') {
        this.take();
        if (this.at(')')) {
          const close = this.take();
          return { type: 'tuple', elts: [], start: t.start, end: close.end };
        }
        if (this.atKeyword('yield')) this.fail();
        const inner = this.namedOrExpressions();
        if (this.atKeyword('for')) throw new PyUnknown('comprehension', this.peek().start, this.peek().end);
        const close = this.expect(')');
        if (inner.type === 'tuple' || inner.type === 'opaque') return { ...inner, start: t.start, end: close.end };
        return inner;
      }
      if (t.text === '[' || t.text === '{') {
        this.take();
        const closer = OPENERS[t.text];
        const children: Node[] = [];
        while (!this.at(closer)) {
          if (this.at('**')) this.take();
          children.push(this.starOrExpression());
          if (this.at(':')) {
            this.take();
            children.push(this.expression());
          }
          if (this.atKeyword('for')) throw new PyUnknown('comprehension', this.peek().start, this.peek().end);
          if (!this.at(',')) break;
          this.take();
        }
        const close = this.expect(closer);
        return { type: 'opaque', what: t.text === '[' ? 'list' : 'dict-or-set', children, start: t.start, end: close.end };
      }
    }
    return this.fail(t);
  }

  /** Inside parentheses: a walrus or the usual expressions. */
  private namedOrExpressions(): Node {
    if (this.peek().kind === 'name' && this.peek(1).kind === 'op' && this.peek(1).text === ':=') {
      const name = this.take();
      this.take();
      const value = this.expression();
      return { type: 'opaque', what: 'walrus', children: [value], start: name.start, end: value.end };
    }
    return this.expressions(false);
  }
}

/** Parses Python `eval` input; throws PySyntaxError. */
export function parseExpression(text: string): Node {
  return new Parser(tokenize(text)).parseEvalInput();
}

// ---------------------------------------------------------------- values

export type PyValue =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'str'; v: string }
  | { t: 'tuple'; items: PyValue[] }
  | { t: 'complex' }
  /** A defined name whose value is not a plain number (module, class, function…). */
  | { t: 'object'; name: string };

/** The exception Python raises while evaluating. */
export class PyRuntimeError {
  constructor(
    readonly errorType: string,
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

/** Python would run code we do not model (a call, an attribute…); the outcome is unknown. */
export class PyUnknown {
  constructor(
    readonly what: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

export interface EvalEnv {
  /** Value of a defined name, or undefined when Python raises NameError. */
  lookup(name: string): PyValue | undefined;
}

export interface EvalTrace {
  names: Set<string>;
  usedBoolOps: boolean;
  usedComparison: boolean;
  /** A result that exceeded what doubles can carry exactly. */
  inexact: boolean;
}

const MAX_INT_BITS = 4096n;

function typeName(v: PyValue): string {
  switch (v.t) {
    case 'none':
      return 'NoneType';
    case 'object':
      return 'object';
    default:
      return v.t;
  }
}

export function truthy(v: PyValue, node: Node): boolean {
  switch (v.t) {
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'str':
      return v.v.length > 0;
    case 'tuple':
      return v.items.length > 0;
    case 'object':
      return true;
    default:
      throw new PyUnknown('truth value', node.start, node.end);
  }
}

function asNumber(v: PyValue): { kind: 'int'; v: bigint } | { kind: 'float'; v: number } | null {
  if (v.t === 'int') return { kind: 'int', v: v.v };
  if (v.t === 'bool') return { kind: 'int', v: v.v ? 1n : 0n };
  if (v.t === 'float') return { kind: 'float', v: v.v };
  return null;
}

function intToFloat(v: bigint, node: Node, trace: EvalTrace): number {
  const f = Number(v);
  if (!Number.isFinite(f)) throw new PyRuntimeError('OverflowError', 'int too large to convert to float', node.start, node.end);
  if (v > 2n ** 53n || v < -(2n ** 53n)) trace.inexact = true;
  return f;
}

function checkIntSize(v: bigint, node: Node, trace: EvalTrace): PyValue {
  const bits = BigInt((v < 0n ? -v : v).toString(2).length);
  if (bits > MAX_INT_BITS) throw new PyUnknown('huge integer', node.start, node.end);
  if (bits > 53n) trace.inexact = true;
  return { t: 'int', v };
}

/** Python float floor division and modulo (Objects/floatobject.c float_divmod). */
function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1.0;
    }
  } else mod = wx < 0 ? -0 : 0;
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else floordiv = vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  return [floordiv, mod];
}

function intFloorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function arithmetic(op: string, left: PyValue, right: PyValue, node: Node, trace: EvalTrace): PyValue {
  const a = asNumber(left);
  const b = asNumber(right);
  const typeError = (): never => {
    throw new PyRuntimeError(
      'TypeError',
      `unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`,
      node.start,
      node.end,
    );
  };
  if (left.t === 'complex' || right.t === 'complex' || left.t === 'object' || right.t === 'object') {
    throw new PyUnknown(`'${op}' on a non-number`, node.start, node.end);
  }
  if (!a || !b) {
    if (op === '+' && left.t === 'str' && right.t === 'str') return { t: 'str', v: left.v + right.v };
    if (op === '+' && left.t === 'tuple' && right.t === 'tuple') return { t: 'tuple', items: [...left.items, ...right.items] };
    if (op === '*' && (left.t === 'str' || left.t === 'tuple') && b?.kind === 'int') throw new PyUnknown('sequence repeat', node.start, node.end);
    if (op === '*' && (right.t === 'str' || right.t === 'tuple') && a?.kind === 'int') throw new PyUnknown('sequence repeat', node.start, node.end);
    if (op === '%' && left.t === 'str') throw new PyUnknown('string formatting', node.start, node.end);
    return typeError();
  }
  const zeroDivision = (message: string): never => {
    throw new PyRuntimeError('ZeroDivisionError', message, node.start, node.end);
  };
  if (a.kind === 'int' && b.kind === 'int') {
    const x = a.v;
    const y = b.v;
    switch (op) {
      case '+':
        return checkIntSize(x + y, node, trace);
      case '-':
        return checkIntSize(x - y, node, trace);
      case '*':
        return checkIntSize(x * y, node, trace);
      case '/':
        if (y === 0n) zeroDivision('division by zero');
        return { t: 'float', v: intToFloat(x, node, trace) / intToFloat(y, node, trace) };
      case '//':
        if (y === 0n) zeroDivision('integer division or modulo by zero');
        return checkIntSize(intFloorDiv(x, y), node, trace);
      case '%':
        if (y === 0n) zeroDivision('integer division or modulo by zero');
        return checkIntSize(x - intFloorDiv(x, y) * y, node, trace);
      case '**':
        if (y < 0n) {
          if (x === 0n) zeroDivision('0.0 cannot be raised to a negative power');
          return { t: 'float', v: Math.pow(intToFloat(x, node, trace), Number(y)) };
        }
        if (x === 0n || x === 1n || x === -1n || y <= 1n) return checkIntSize(x ** y, node, trace);
        if (BigInt((x < 0n ? -x : x).toString(2).length) * y > MAX_INT_BITS) throw new PyUnknown('huge power', node.start, node.end);
        return checkIntSize(x ** y, node, trace);
      case '<<':
        if (y < 0n) throw new PyRuntimeError('ValueError', 'negative shift count', node.start, node.end);
        if (y > MAX_INT_BITS) throw new PyUnknown('huge shift', node.start, node.end);
        return checkIntSize(x << y, node, trace);
      case '>>':
        if (y < 0n) throw new PyRuntimeError('ValueError', 'negative shift count', node.start, node.end);
        return { t: 'int', v: y > MAX_INT_BITS ? (x < 0n ? -1n : 0n) : x >> y };
      case '&':
        return { t: 'int', v: x & y };
      case '|':
        return { t: 'int', v: x | y };
      case '^':
        return { t: 'int', v: x ^ y };
      default:
        return typeError();
    }
  }
  if (op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^' || op === '@') return typeError();
  const x = a.kind === 'float' ? a.v : intToFloat(a.v, node, trace);
  const y = b.kind === 'float' ? b.v : intToFloat(b.v, node, trace);
  switch (op) {
    case '+':
      return { t: 'float', v: x + y };
    case '-':
      return { t: 'float', v: x - y };
    case '*':
      return { t: 'float', v: x * y };
    case '/':
      if (y === 0) zeroDivision('float division by zero');
      return { t: 'float', v: x / y };
    case '//':
      if (y === 0) zeroDivision('float floor division by zero');
      return { t: 'float', v: floatDivmod(x, y)[0] };
    case '%':
      if (y === 0) zeroDivision('float modulo');
      return { t: 'float', v: floatDivmod(x, y)[1] };
    case '**': {
      if (x === 0 && y < 0) zeroDivision('0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y)) return { t: 'complex' };
      const r = Math.pow(x, y);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
        throw new PyRuntimeError('OverflowError', '(34, \'Numerical result out of range\')', node.start, node.end);
      }
      return { t: 'float', v: r };
    }
    default:
      return typeError();
  }
}

function compareValues(op: string, left: PyValue, right: PyValue, node: Node, trace: EvalTrace): boolean {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a && b) {
    let cmp: number;
    if (a.kind === 'int' && b.kind === 'int') cmp = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    else {
      const x = a.kind === 'float' ? a.v : intToFloat(a.v, node, trace);
      const y = b.kind === 'float' ? b.v : intToFloat(b.v, node, trace);
      if (Number.isNaN(x) || Number.isNaN(y)) return op === '!=';
      cmp = x < y ? -1 : x > y ? 1 : 0;
    }
    switch (op) {
      case '==':
        return cmp === 0;
      case '!=':
        return cmp !== 0;
      case '<':
        return cmp < 0;
      case '<=':
        return cmp <= 0;
      case '>':
        return cmp > 0;
      case '>=':
        return cmp >= 0;
    }
  }
  if ((op === '==' || op === '!=') && left.t === 'none' && right.t === 'none') return op === '==';
  if ((op === '==' || op === '!=') && left.t === 'str' && right.t === 'str') return (left.v === right.v) === (op === '==');
  if ((op === '==' || op === '!=') && ((a && right.t === 'none') || (b && left.t === 'none'))) return op === '!=';
  if (['<', '<=', '>', '>='].includes(op) && (left.t === 'none' || right.t === 'none' || (a && right.t === 'str') || (b && left.t === 'str'))) {
    throw new PyRuntimeError(
      'TypeError',
      `'${op}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`,
      node.start,
      node.end,
    );
  }
  throw new PyUnknown(`'${op}' comparison`, node.start, node.end);
}

function parseNumberLiteral(text: string): PyValue {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return { t: 'complex' };
  if (/^0[xXoObB]/.test(clean)) return { t: 'int', v: BigInt(clean) };
  if (/[.eE]/.test(clean)) return { t: 'float', v: Number(clean) };
  return { t: 'int', v: BigInt(clean) };
}

/** Evaluates a parsed expression like Python would; throws PyRuntimeError or PyUnknown. */
export function evaluate(node: Node, env: EvalEnv, trace: EvalTrace): PyValue {
  switch (node.type) {
    case 'num':
      return parseNumberLiteral(node.text);
    case 'str':
      return { t: 'str', v: node.text };
    case 'const':
      trace.names.add(node.value);
      return node.value === 'None' ? { t: 'none' } : { t: 'bool', v: node.value === 'True' };
    case 'name': {
      trace.names.add(node.id);
      const value = env.lookup(node.id);
      if (!value) throw new PyRuntimeError('NameError', `name '${node.id}' is not defined`, node.start, node.end);
      return value;
    }
    case 'unary': {
      const operand = evaluate(node.operand, env, trace);
      if (node.op === 'not') return { t: 'bool', v: !truthy(operand, node) };
      const n = asNumber(operand);
      if (!n) {
        if (operand.t === 'complex' || operand.t === 'object') throw new PyUnknown(`unary ${node.op}`, node.start, node.end);
        throw new PyRuntimeError('TypeError', `bad operand type for unary ${node.op}: '${typeName(operand)}'`, node.start, node.end);
      }
      if (node.op === '~') {
        if (n.kind === 'float') throw new PyRuntimeError('TypeError', "bad operand type for unary ~: 'float'", node.start, node.end);
        return { t: 'int', v: ~n.v };
      }
      if (node.op === '-') return n.kind === 'int' ? { t: 'int', v: -n.v } : { t: 'float', v: -n.v };
      return n.kind === 'int' ? { t: 'int', v: n.v } : { t: 'float', v: n.v };
    }
    case 'binary':
      return arithmetic(node.op, evaluate(node.left, env, trace), evaluate(node.right, env, trace), node, trace);
    case 'boolop': {
      trace.usedBoolOps = true;
      let value = evaluate(node.values[0], env, trace);
      for (let k = 1; k < node.values.length; k++) {
        const isTrue = truthy(value, node.values[k - 1]);
        if (node.op === 'and' ? !isTrue : isTrue) return value;
        value = evaluate(node.values[k], env, trace);
      }
      return value;
    }
    case 'compare': {
      trace.usedComparison = true;
      let left = evaluate(node.left, env, trace);
      for (let k = 0; k < node.ops.length; k++) {
        const right = evaluate(node.comparators[k], env, trace);
        const op = node.ops[k];
        if (op === 'in' || op === 'not in' || op === 'is' || op === 'is not') throw new PyUnknown(`'${op}'`, node.start, node.end);
        if (!compareValues(op, left, right, node, trace)) return { t: 'bool', v: false };
        left = right;
      }
      return { t: 'bool', v: true };
    }
    case 'ifexp':
      return truthy(evaluate(node.test, env, trace), node.test) ? evaluate(node.body, env, trace) : evaluate(node.orelse, env, trace);
    case 'tuple':
      return { t: 'tuple', items: node.elts.map((e) => evaluate(e, env, trace)) };
    case 'attribute':
      evaluate(node.value, env, trace);
      throw new PyUnknown(`attribute '${node.attr}'`, node.start, node.end);
    case 'opaque': {
      const builtin = node.what === 'call' ? callBuiltin(node, env, trace) : null;
      if (builtin) return builtin;
      for (const child of node.children) evaluate(child, env, trace);
      throw new PyUnknown(node.what, node.start, node.end);
    }
  }
}

/** Pure numeric builtins fail2ban users might write: abs, int, float, round, min, max, pow. */
function callBuiltin(node: Extract<Node, { type: 'opaque' }>, env: EvalEnv, trace: EvalTrace): PyValue | null {
  const [callee, ...argNodes] = node.children;
  if (callee.type !== 'name' || !['abs', 'int', 'float', 'round', 'min', 'max', 'pow'].includes(callee.id)) return null;
  if (argNodes.some((a) => a.type === 'opaque')) return null;
  const fn = env.lookup(callee.id);
  if (!fn || fn.t !== 'object' || fn.name !== callee.id) return null;
  trace.names.add(callee.id);
  const args = argNodes.map((a) => evaluate(a, env, trace));
  const nums = args.map(asNumber);
  if (nums.some((n) => n === null)) return null;
  const values = nums as ({ kind: 'int'; v: bigint } | { kind: 'float'; v: number })[];
  const toValue = (n: { kind: 'int'; v: bigint } | { kind: 'float'; v: number }): PyValue =>
    n.kind === 'int' ? { t: 'int', v: n.v } : { t: 'float', v: n.v };
  const asFloat = (n: { kind: 'int'; v: bigint } | { kind: 'float'; v: number }): number =>
    n.kind === 'float' ? n.v : intToFloat(n.v, node, trace);
  switch (callee.id) {
    case 'abs':
      if (values.length !== 1) return null;
      return values[0].kind === 'int' ? { t: 'int', v: values[0].v < 0n ? -values[0].v : values[0].v } : { t: 'float', v: Math.abs(values[0].v) };
    case 'int':
      if (values.length !== 1) return null;
      if (values[0].kind === 'int') return { t: 'int', v: values[0].v };
      if (!Number.isFinite(values[0].v)) return null;
      return { t: 'int', v: BigInt(Math.trunc(values[0].v)) };
    case 'float':
      if (values.length !== 1) return null;
      return { t: 'float', v: asFloat(values[0]) };
    case 'round': {
      if (values.length !== 1) return null;
      if (values[0].kind === 'int') return { t: 'int', v: values[0].v };
      const x = values[0].v;
      if (!Number.isFinite(x)) return null;
      const floor = Math.floor(x);
      const diff = x - floor;
      const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
      return { t: 'int', v: BigInt(rounded) };
    }
    case 'min':
    case 'max': {
      if (values.length < 2) return null;
      let best = values[0];
      for (const v of values.slice(1)) {
        const a = asFloat(v);
        const b = asFloat(best);
        if (callee.id === 'min' ? a < b : a > b) best = v;
      }
      return toValue(best);
    }
    case 'pow':
      if (values.length !== 2) return null;
      return arithmetic('**', toValue(values[0]), toValue(values[1]), node, trace);
  }
  return null;
}

/** Names used in an expression (for "which names are defined at eval time" checks). */
export function collectNames(node: Node, out: { name: string; start: number; end: number; attributes: string[] }[] = []): typeof out {
  const visit = (n: Node, attrs: string[]): void => {
    switch (n.type) {
      case 'name':
        out.push({ name: n.id, start: n.start, end: n.end, attributes: attrs });
        return;
      case 'attribute':
        visit(n.value, [n.attr, ...attrs]);
        return;
      case 'unary':
        visit(n.operand, []);
        return;
      case 'binary':
        visit(n.left, []);
        visit(n.right, []);
        return;
      case 'boolop':
        n.values.forEach((v) => visit(v, []));
        return;
      case 'compare':
        visit(n.left, []);
        n.comparators.forEach((v) => visit(v, []));
        return;
      case 'ifexp':
        visit(n.test, []);
        visit(n.body, []);
        visit(n.orelse, []);
        return;
      case 'tuple':
        n.elts.forEach((v) => visit(v, []));
        return;
      case 'opaque':
        n.children.forEach((v) => visit(v, []));
        return;
      default:
        return;
    }
  };
  visit(node, []);
  return out;
}

export { isPyIdentifier };
