// Adapts feature results to what the client declared in `initialize`: snippets only where supported,
// markdown only where supported, hierarchical symbols only where supported, VS Code-only commands only
// for VS Code. Features produce the richest form; these pure functions step down from it.
import {
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type MarkupContent,
  type SymbolInformation,
} from 'vscode-languageserver-types';
import type { ClientCapabilities } from 'vscode-languageserver-protocol/lib/common/api';
import type { Range } from '../types';

export interface ClientProfile {
  snippets: boolean;
  /** undefined: the client said nothing, so markdown (the richest form) is sent. */
  hoverMarkdown: boolean;
  completionMarkdown: boolean;
  hierarchicalSymbols: boolean;
  /** Client commands such as `editor.action.triggerSuggest` exist only in VS Code and its forks. */
  vscodeCommands: boolean;
}

const VSCODE_FAMILY = /\bcode\b|code-server|vscodium|code - oss|cursor|windsurf|positron|theia/i;

/** Markdown unless the client listed its formats and markdown is not among them. */
function acceptsMarkdown(formats: unknown): boolean {
  return !Array.isArray(formats) || formats.includes(MarkupKind.Markdown);
}

export function clientProfile(capabilities: ClientCapabilities | undefined, clientName: string | undefined): ClientProfile {
  const text = capabilities?.textDocument;
  return {
    snippets: text?.completion?.completionItem?.snippetSupport === true,
    hoverMarkdown: acceptsMarkdown(text?.hover?.contentFormat),
    completionMarkdown: acceptsMarkdown(text?.completion?.completionItem?.documentationFormat),
    hierarchicalSymbols: text?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    vscodeCommands: typeof clientName === 'string' && VSCODE_FAMILY.test(clientName),
  };
}

/** `${1:text}` → `text`, `${1|a,b|}` → `a`, `$1`/`${1}`/`$0` → nothing, `\$ \} \\` → the character (LSP snippet grammar). */
export function snippetToPlainText(snippet: string): string {
  let out = '';
  let openPlaceholders = 0;
  for (let i = 0; i < snippet.length; i++) {
    const char = snippet[i];
    const head = char === '$' ? /^\$(?:\d+|\{\d+:?)/.exec(snippet.slice(i)) : null;
    const choice = char === '$' ? /^\$\{\d+\|((?:[^|\\]|\\.)*)\|\}/.exec(snippet.slice(i)) : null;
    if (choice) {
      // a choice inserts its first option
      out += (/^(?:[^,\\]|\\.)*/.exec(choice[1])?.[0] ?? '').replace(/\\(.)/g, '$1');
      i += choice[0].length - 1;
    } else if (char === '\\' && i + 1 < snippet.length && '$}\\'.includes(snippet[i + 1])) {
      out += snippet[++i];
    } else if (head) {
      if (head[0].startsWith('${')) openPlaceholders++;
      i += head[0].length - 1;
    } else if (char === '}' && openPlaceholders > 0) {
      openPlaceholders--;
    } else {
      out += char;
    }
  }
  return out;
}

function plainMarkup(content: MarkupContent): MarkupContent {
  return { kind: MarkupKind.PlainText, value: content.value };
}

export function adaptCompletionItems(items: readonly CompletionItem[], profile: ClientProfile): CompletionItem[] {
  return items.map((item) => {
    let adapted = item;
    if (!profile.snippets && item.insertTextFormat === InsertTextFormat.Snippet) {
      adapted = { ...adapted, insertTextFormat: InsertTextFormat.PlainText };
      if (adapted.insertText !== undefined) adapted.insertText = snippetToPlainText(adapted.insertText);
      if (adapted.textEdit) adapted.textEdit = { ...adapted.textEdit, newText: snippetToPlainText(adapted.textEdit.newText) };
      if (adapted.textEditText !== undefined) {
        // an item of a list with a shared edit range: its text, left out when it is the label
        const text = snippetToPlainText(adapted.textEditText);
        if (text === adapted.label) delete adapted.textEditText;
        else adapted.textEditText = text;
      }
    }
    if (!profile.vscodeCommands && adapted.command) adapted = { ...adapted, command: undefined };
    if (!profile.completionMarkdown && typeof adapted.documentation === 'object') adapted = { ...adapted, documentation: plainMarkup(adapted.documentation) };
    return adapted;
  });
}

/** Items that all replace `editRange`, in the form `sharedEditRangeForm` gives (textEditText, else the label). */
export interface SharedRangeItems {
  items: readonly CompletionItem[];
  /** undefined: the items carry their own text edits. */
  editRange?: Range;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** When every item replaces the same range: that range once and each item's text only (`textEditText`, left out when it is the label). */
export function sharedEditRangeForm(items: CompletionItem[]): SharedRangeItems {
  let range: Range | undefined;
  for (const item of items) {
    const edit = item.textEdit;
    if (!edit || !('range' in edit)) return { items };
    if (!range) range = edit.range;
    else if (!sameRange(range, edit.range)) return { items };
  }
  if (!range) return { items };
  return {
    editRange: range,
    items: items.map(({ textEdit, ...item }) => (textEdit!.newText === item.label ? item : { ...item, textEditText: textEdit!.newText })),
  };
}

/** The items with their own text edits again (for a client without `completionList.itemDefaults`). */
export function withOwnTextEdits({ items, editRange }: SharedRangeItems): CompletionItem[] {
  if (!editRange) return [...items];
  return items.map(({ textEditText, ...item }) => ({
    ...item,
    textEdit: { range: { start: { ...editRange.start }, end: { ...editRange.end } }, newText: textEditText ?? item.label },
  }));
}

/**
 * For a client that declares `completionList.itemDefaults` with `editRange` (LSP 3.17; VS Code does): when every
 * item replaces the same range, the list says the range once and each item keeps its text only (`textEditText`,
 * left out when it is the label). A list of options or filters is then a third smaller, and so is what the
 * server allocates to send it. Items resolve to the same edits; anything else stays a plain list.
 */
export function withDefaultEditRange(answer: SharedRangeItems): CompletionItem[] | CompletionList {
  if (!answer.editRange || answer.items.length < 2) return withOwnTextEdits(answer);
  return { isIncomplete: false, itemDefaults: { editRange: answer.editRange }, items: answer.items as CompletionItem[] };
}

export function adaptHover(hover: Hover | null, profile: ClientProfile): Hover | null {
  if (!hover || profile.hoverMarkdown) return hover;
  const contents = hover.contents;
  if (typeof contents === 'object' && 'kind' in contents) return { ...hover, contents: plainMarkup(contents) };
  return hover;
}

/** Flat SymbolInformation list (sections, then their options with the section as container). */
export function flattenSymbols(symbols: readonly DocumentSymbol[], uri: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const visit = (symbol: DocumentSymbol, container: string | undefined) => {
    const range: Range = { start: { ...symbol.range.start }, end: { ...symbol.range.end } };
    out.push({ name: symbol.name, kind: symbol.kind, location: { uri, range }, ...(container === undefined ? {} : { containerName: container }) });
    for (const child of symbol.children ?? []) visit(child, symbol.name);
  };
  for (const symbol of symbols) visit(symbol, undefined);
  return out;
}
