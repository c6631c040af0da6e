// Completion documentation on demand (completionItem/resolve) for clients that ask for it that way (VS Code
// does): a list of filters or options carries a paragraph per item, tens of kilobytes per request that the
// editor shows for one item at a time. The list goes without it; resolve returns it for the item shown.
import type { CompletionItem } from 'vscode-languageserver-types';

/** Where a deferred item's documentation is: in `data` of the item sent. */
interface DeferredData {
  documentationOf: [list: number, index: number];
}

function isDeferredData(data: unknown): data is DeferredData {
  const reference = (data as Partial<DeferredData> | null | undefined)?.documentationOf;
  return Array.isArray(reference) && reference.length === 2 && Number.isInteger(reference[0]) && Number.isInteger(reference[1]);
}

/** Keeps the documentation of the last completion list only (a resolve is for an item of the list on screen). */
export class DeferredDocumentation {
  private list = 0;
  private documentation: CompletionItem['documentation'][] = [];

  /** The items without their documentation, each with a reference to it in `data`. */
  defer(items: readonly CompletionItem[]): CompletionItem[] {
    this.list++;
    this.documentation = items.map((item) => item.documentation);
    return items.map((item, index) => {
      if (item.documentation === undefined || item.data !== undefined) return item;
      const { documentation: _documentation, ...rest } = item;
      const data: DeferredData = { documentationOf: [this.list, index] };
      return { ...rest, data };
    });
  }

  /** The item with its documentation back (unchanged when it is not from the last list). */
  resolve(item: CompletionItem): CompletionItem {
    if (!isDeferredData(item?.data)) return item;
    const [list, index] = item.data.documentationOf;
    const documentation = list === this.list ? this.documentation[index] : undefined;
    const { data: _data, ...rest } = item;
    return documentation === undefined ? rest : { ...rest, documentation };
  }
}
