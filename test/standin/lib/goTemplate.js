'use strict';
// The subset of Go text/template that docker's --format takes and a client is likely to send:
//   {{.Field}} {{.A.B}} {{.}} {{json .}} {{json .A}} {{index .A "key"}} {{.Label "key"}} {{join .A ","}}
//   {{lower X}} {{upper X}} {{println X}} {{print X}}, `{{-`/`-}}` trimming and literal text.
// Anything else fails loudly with a docker-like "template parsing error", so a client relying on more notices.

class TemplateError extends Error {}

/** Go maps marshal with sorted keys (template data of inspect is a decoded map). */
function sortKeysDeep(value) {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeysDeep(value[k])]));
  }
  return value;
}

/** Go's json.Marshal escapes <, > and & for HTML safety; docker's `json` function uses it. */
function goJson(value, indent, { sortKeys = false } = {}) {
  const data = sortKeys ? sortKeysDeep(value) : value;
  const text = JSON.stringify(data === undefined ? null : data, null, indent);
  return text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** How Go's fmt prints a value in a template ({{.X}}). */
function goPrint(value) {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goPrintInner).join(' ')}]`;
  if (typeof value === 'object' && value.__methods) return goPrint(value.__json ? value.__json() : '');
  if (typeof value === 'object') {
    return `map[${Object.keys(value).sort().map((k) => `${k}:${goPrintInner(value[k])}`).join(' ')}]`;
  }
  return String(value);
}
function goPrintInner(value) {
  return value === undefined || value === null ? '<nil>' : goPrint(value);
}

/** Splits an action body into tokens: field chains, quoted strings, bare words. */
function tokenize(body) {
  const tokens = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\' && j + 1 < body.length) {
          const next = body[j + 1];
          text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else {
          text += body[j++];
        }
      }
      if (j >= body.length) throw new TemplateError('unterminated quoted string');
      tokens.push({ kind: 'string', value: text });
      i = j + 1;
    } else if (ch === '`') {
      const end = body.indexOf('`', i + 1);
      if (end < 0) throw new TemplateError('unterminated raw quoted string');
      tokens.push({ kind: 'string', value: body.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '|' || ch === '(' || ch === ')' || ch === '$') {
      throw new TemplateError(`unsupported template syntax '${ch}' (docker stand-in)`);
    } else {
      let j = i;
      while (j < body.length && !/\s/.test(body[j]) && body[j] !== '"') j++;
      const word = body.slice(i, j);
      tokens.push(word.startsWith('.') ? { kind: 'field', path: word === '.' ? [] : word.slice(1).split('.') } : { kind: 'word', value: word });
      i = j;
    }
  }
  return tokens;
}

/** Parses `text` into literal and action parts (Go trim markers handled). */
function parse(text) {
  const parts = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push({ kind: 'text', value: rest });
      break;
    }
    let literal = rest.slice(0, open);
    let bodyStart = open + 2;
    if (rest.startsWith('{{- ', open)) {
      literal = literal.replace(/\s+$/, '');
      bodyStart = open + 4;
    }
    const close = rest.indexOf('}}', bodyStart);
    if (close < 0) throw new TemplateError('unclosed action');
    let body = rest.slice(bodyStart, close);
    let after = rest.slice(close + 2);
    if (body.endsWith(' -')) {
      body = body.slice(0, -2);
      after = after.replace(/^\s+/, '');
    }
    parts.push({ kind: 'text', value: literal });
    const tokens = tokenize(body.trim());
    if (tokens.length === 0) throw new TemplateError('missing value for command');
    if (tokens[0].kind === 'word' && ['range', 'if', 'with', 'end', 'else', 'define', 'template', 'block'].includes(tokens[0].value)) {
      throw new TemplateError(`unsupported template action '${tokens[0].value}' (docker stand-in)`);
    }
    parts.push({ kind: 'action', tokens, source: body.trim() });
    rest = after;
  }
  return parts;
}

/**
 * `root` is either a plain JSON value (inspect: maps, missing keys print <no value>) or a "context"
 * object with `__methods` (ps/context rows: fields are methods, unknown ones are an error).
 */
function lookupField(value, path, source) {
  let current = value;
  for (let index = 0; index < path.length; index++) {
    const name = path[index];
    if (current && typeof current === 'object' && current.__methods) {
      const method = current.__methods[name];
      if (!method) {
        throw new TemplateError(`template: :1:${source.indexOf(name) + 2}: executing "" at <.${path.slice(0, index + 1).join('.')}>: can't evaluate field ${name} in type ${current.__type}`);
      }
      current = method;
    } else if (current && typeof current === 'object' && !Array.isArray(current)) {
      current = current[name];
    } else if (current === undefined || current === null) {
      return undefined;
    } else {
      throw new TemplateError(`template: :1: executing "" at <.${path.join('.')}>: can't evaluate field ${name} in type ${typeof current}`);
    }
  }
  return typeof current === 'function' ? current() : current;
}

function evalArg(token, root, source) {
  if (token.kind === 'string') return token.value;
  if (token.kind === 'field') return lookupField(root, token.path, source);
  throw new TemplateError(`unexpected "${token.value}" in command`);
}

function plain(value) {
  if (value && typeof value === 'object' && value.__methods) return value.__json ? value.__json() : {};
  return value;
}

const FUNCTIONS = {
  json: (args) => goJson(plain(args[0]), undefined, { sortKeys: true }),
  index: (args) => {
    let current = plain(args[0]);
    for (const key of args.slice(1)) current = current == null ? undefined : current[key];
    return current;
  },
  join: (args) => (Array.isArray(args[0]) ? args[0].map(goPrint).join(args[1] ?? '') : goPrint(args[0])),
  lower: (args) => goPrint(args[0]).toLowerCase(),
  upper: (args) => goPrint(args[0]).toUpperCase(),
  print: (args) => args.map(goPrint).join(''),
  println: (args) => `${args.map(goPrint).join(' ')}\n`,
};

function evalAction(action, root) {
  const [head, ...rest] = action.tokens;
  if (head.kind === 'word') {
    const fn = FUNCTIONS[head.value];
    if (!fn) throw new TemplateError(`template: :1: function "${head.value}" not defined`);
    return fn(rest.map((t) => evalArg(t, root, action.source)));
  }
  if (head.kind === 'field' && rest.length > 0) {
    // a method with arguments, e.g. {{.Label "com.example"}}
    const name = head.path[head.path.length - 1];
    const owner = lookupField(root, head.path.slice(0, -1), action.source);
    const method = owner && owner.__methodsWithArgs && owner.__methodsWithArgs[name];
    if (!method) throw new TemplateError(`template: :1: executing "" at <.${head.path.join('.')}>: ${name} is not a method but has arguments`);
    return method(...rest.map((t) => evalArg(t, root, action.source)));
  }
  return evalArg(head, root, action.source);
}

/** Renders `template` against `root`. Throws TemplateError on unsupported or invalid templates. */
function render(template, root) {
  return parse(template)
    .map((part) => (part.kind === 'text' ? part.value : goPrint(evalAction(part, root))))
    .join('');
}

/** Fails early (before any output) like Go's template.Parse. */
function check(template) {
  const parts = parse(template);
  for (const part of parts) {
    if (part.kind === 'action' && part.tokens[0].kind === 'word' && !FUNCTIONS[part.tokens[0].value]) {
      throw new TemplateError(`template: :1: function "${part.tokens[0].value}" not defined`);
    }
  }
}

module.exports = { render, check, goJson, goPrint, TemplateError };
