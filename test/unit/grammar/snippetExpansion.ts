// Expands a VS Code snippet body the way the editor inserts it when the user accepts every default:
// `${1:default}` → default, `${1|a,b|}` → the chosen option (first by default), `$1` / `${1}` → the text of
// tabstop 1 (VS Code mirrors it), `$0` → '', and the escapes `\$`, `\}`, `\\` (and `\,` `\|` in choices).
// Enough of the TextMate snippet grammar for our snippets; anything else (variables, transforms) is refused
// so that a new snippet using them cannot be checked by accident with the wrong text.

type SnippetNode =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number }
  | { kind: 'placeholder'; index: number; children: SnippetNode[] }
  | { kind: 'choice'; index: number; options: string[] };

export interface ChoicePlaceholder {
  index: number;
  options: string[];
}

class SnippetParser {
  private position = 0;

  constructor(private readonly source: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    if (this.position < this.source.length) throw new Error(`unexpected '${this.source[this.position]}' at ${this.position}`);
    return nodes;
  }

  /** Text and tabstops up to the end, or up to an unescaped '}' when inside a placeholder. */
  private sequence(insidePlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') nodes.push({ kind: 'text', text });
      text = '';
    };
    while (this.position < this.source.length) {
      const char = this.source[this.position];
      if (char === '\\' && '$}\\'.includes(this.source[this.position + 1] ?? '')) {
        text += this.source[this.position + 1];
        this.position += 2;
      } else if (char === '}' && insidePlaceholder) {
        break;
      } else if (char === '$') {
        flush();
        nodes.push(this.dollar());
      } else {
        text += char;
        this.position++;
      }
    }
    flush();
    return nodes;
  }

  private dollar(): SnippetNode {
    const rest = this.source.slice(this.position);
    const simple = /^\$(\d+)/.exec(rest);
    if (simple) {
      this.position += simple[0].length;
      return { kind: 'tabstop', index: Number(simple[1]) };
    }
    const open = /^\$\{(\d+)([:|}])/.exec(rest);
    if (!open) throw new Error(`unsupported snippet syntax at ${this.position}: ${rest.slice(0, 20)}`);
    const index = Number(open[1]);
    this.position += open[0].length;
    if (open[2] === '}') return { kind: 'tabstop', index };
    if (open[2] === ':') {
      const children = this.sequence(true);
      this.expect('}');
      return { kind: 'placeholder', index, children };
    }
    return { kind: 'choice', index, options: this.choiceOptions() };
  }

  private choiceOptions(): string[] {
    const options: string[] = [];
    let option = '';
    while (this.position < this.source.length) {
      const char = this.source[this.position];
      if (char === '\\' && ',|$}\\'.includes(this.source[this.position + 1] ?? '')) {
        option += this.source[this.position + 1];
        this.position += 2;
      } else if (char === ',') {
        options.push(option);
        option = '';
        this.position++;
      } else if (char === '|') {
        options.push(option);
        this.position++;
        this.expect('}');
        return options;
      } else {
        option += char;
        this.position++;
      }
    }
    throw new Error('unterminated choice');
  }

  private expect(char: string): void {
    if (this.source[this.position] !== char) throw new Error(`expected '${char}' at ${this.position}`);
    this.position++;
  }
}

function parseBody(body: string | readonly string[]): SnippetNode[] {
  return new SnippetParser(typeof body === 'string' ? body : body.join('\n')).parse();
}

function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind === 'placeholder') walk(node.children, visit);
  }
}

/** The choice placeholders of a body (first occurrence of each index), to enumerate the variants. */
export function choicePlaceholders(body: string | readonly string[]): ChoicePlaceholder[] {
  const found = new Map<number, ChoicePlaceholder>();
  walk(parseBody(body), (node) => {
    if (node.kind === 'choice' && !found.has(node.index)) found.set(node.index, { index: node.index, options: node.options });
  });
  return [...found.values()];
}

/**
 * The inserted text when every default is accepted; `choose` picks another option (by position) for a
 * choice placeholder, keyed by its tabstop index.
 */
export function expandSnippet(body: string | readonly string[], choose: Readonly<Record<number, number>> = {}): string {
  const nodes = parseBody(body);
  const values = new Map<number, string>();
  const render = (list: readonly SnippetNode[]): string =>
    list
      .map((node) => {
        switch (node.kind) {
          case 'text':
            return node.text;
          case 'tabstop':
            return values.get(node.index) ?? '';
          case 'choice': {
            const value = node.options[choose[node.index] ?? 0];
            if (value === undefined) throw new Error(`choice ${node.index} has no option ${choose[node.index]}`);
            if (!values.has(node.index)) values.set(node.index, value);
            return values.get(node.index) ?? value;
          }
          case 'placeholder': {
            const value = render(node.children);
            if (!values.has(node.index)) values.set(node.index, value);
            return values.get(node.index) ?? value;
          }
        }
      })
      .join('');
  // Mirrors ($1 before or after ${1:…}) need the placeholder values: render once to collect, then for real.
  render(nodes);
  return render(nodes);
}
