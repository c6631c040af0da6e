// Document symbols (outline): one symbol per section with its options as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../parser/model';
import type { Range } from '../types';

function copy(range: Range): Range {
  return { start: { ...range.start }, end: { ...range.end } };
}

const SPECIAL = new Set(['DEFAULT', 'INCLUDES', 'Definition', 'Thread']);

export function computeDocumentSymbols(doc: ConfigDocument): DocumentSymbol[] {
  return doc.sections.map((section) => ({
    name: section.name.trim() === '' ? `[${section.name}]` : section.name,
    detail: SPECIAL.has(section.name) ? 'section' : 'jail',
    kind: SPECIAL.has(section.name) ? SymbolKind.Namespace : SymbolKind.Class,
    range: copy(section.range),
    selectionRange: copy(section.nameRange),
    children: section.options.map((option) => ({
      name: option.key || option.name || '(empty key)',
      detail: option.value.split('\n').filter((l) => l !== '')[0] ?? '',
      kind: SymbolKind.Property,
      range: copy(option.range),
      selectionRange: copy(option.keyRange),
    })),
  }));
}
