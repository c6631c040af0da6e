// Completion lists as the client takes them: adapted to what it declared (clientCompat), the shared edit range
// once where it takes that, and for clients that ask for documentation on demand (completionItem/resolve; VS Code
// does) without the documentation: a list of filters or options carries a paragraph per item, tens of kilobytes
// per request that the editor shows for one item at a time. Resolve returns it for the item shown.
// A list the completion feature keeps (the same items array again) is prepared once and sent as it is again.
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { adaptCompletionItems, withDefaultEditRange, withOwnTextEdits, type ClientProfile, type SharedRangeItems } from '../features/clientCompat';

/**
 * Where a deferred item's documentation is, in `data` of the item sent: its list and index, or only its list (the
 * list's `itemDefaults.data`, for a client that takes it; the item is then found by its label, unique in the list).
 */
interface DeferredData {
  documentationOf: [list: number, index: number] | number;
}

function isDeferredData(data: unknown): data is DeferredData {
  const reference = (data as Partial<DeferredData> | null | undefined)?.documentationOf;
  if (Number.isInteger(reference)) return true;
  return Array.isArray(reference) && reference.length === 2 && Number.isInteger(reference[0]) && Number.isInteger(reference[1]);
}

/** How a client takes completion lists (from `initialize`). */
export interface CompletionClient {
  profile: ClientProfile;
  resolvesCompletionDocumentation: boolean;
  completionEditRangeDefault: boolean;
  completionDataDefault: boolean;
}

interface ListDocumentation {
  labels: readonly string[];
  documentation: readonly CompletionItem['documentation'][];
}

interface PreparedItem {
  adapted: CompletionItem;
  /** `adapted` without its documentation (undefined when it has none). */
  undocumented?: CompletionItem;
}

interface PreparedList extends ListDocumentation {
  client: CompletionClient;
  list: number;
  items: readonly CompletionItem[];
  /** The list's `itemDefaults.data` (its items carry no reference of their own). */
  sharedData?: DeferredData;
}

/** Lists whose documentation resolve still finds (the most recently sent ones). */
const LISTS_RESOLVED = 64;

export class CompletionDelivery {
  private lastList = 0;
  /** Per list number its items' labels and documentation, the most recently sent list last. */
  private readonly documentation = new Map<number, ListDocumentation>();
  /** Per kept items array of an answer, what was sent for it. */
  private readonly prepared = new WeakMap<readonly CompletionItem[], PreparedList>();
  /** Per kept item of an answer, the item as the client takes it (answers share items: a kept list less some names). */
  private preparedItems = new WeakMap<CompletionItem, PreparedItem>();
  private preparedItemsFor?: CompletionClient;

  /** The answer as `client` takes it. */
  send(answer: SharedRangeItems, client: CompletionClient): CompletionItem[] | CompletionList {
    // a kept list (the completion feature freezes it) is prepared once; any other is for this answer only
    const kept = Object.isFrozen(answer.items);
    let prepared = kept ? this.prepared.get(answer.items) : undefined;
    if (prepared?.client !== client) {
      prepared = this.prepare(answer.items, client);
      if (kept) this.prepared.set(answer.items, prepared);
    }
    if (client.resolvesCompletionDocumentation) this.remember(prepared.list, prepared);
    const ready = { items: prepared.items, editRange: answer.editRange };
    const sent = client.completionEditRangeDefault ? withDefaultEditRange(ready) : withOwnTextEdits(ready);
    if (!prepared.sharedData) return sent;
    return Array.isArray(sent)
      ? { isIncomplete: false, itemDefaults: { data: prepared.sharedData }, items: sent }
      : { ...sent, itemDefaults: { ...sent.itemDefaults, data: prepared.sharedData } };
  }

  /** The item with its documentation back (without it when its list is not among the last ones sent). */
  resolve(item: CompletionItem): CompletionItem {
    if (!isDeferredData(item?.data)) return item;
    const reference = item.data.documentationOf;
    const [list, index] = typeof reference === 'number' ? [reference, undefined] : reference;
    const known = this.documentation.get(list);
    const documentation = known?.documentation[index ?? known.labels.indexOf(item.label)];
    const { data: _data, ...rest } = item;
    return documentation === undefined ? rest : { ...rest, documentation };
  }

  /**
   * Adapted to the client and, when it resolves documentation, without it: a reference to it in `data` (one for the
   * list where the client takes that: a tenth of a filter list's bytes less).
   */
  private prepare(items: readonly CompletionItem[], client: CompletionClient): PreparedList {
    const adapted = items.map((item) => this.preparedItem(item, client));
    const list = ++this.lastList;
    const labels = adapted.map((item) => item.adapted.label);
    if (!client.resolvesCompletionDocumentation) return { client, list, items: adapted.map((item) => item.adapted), labels, documentation: [] };
    const documentation = adapted.map((item) => item.adapted.documentation);
    const documented = documentation.some((text) => text !== undefined);
    const shared = documented && client.completionDataDefault && !adapted.some((item) => item.adapted.data !== undefined) && new Set(labels).size === labels.length;
    return {
      client,
      list,
      labels,
      documentation,
      sharedData: shared ? { documentationOf: list } : undefined,
      items: adapted.map(({ adapted: item, undocumented }, index) => {
        if (item.documentation === undefined || item.data !== undefined) return item;
        if (shared) return undocumented!;
        const data: DeferredData = { documentationOf: [list, index] };
        return { ...undocumented!, data };
      }),
    };
  }

  /**
   * The item adapted to the client, without a filter text that is the label (LSP: the label is the filter text when
   * it is left out; the option names' lists are a tenth smaller), and that without its documentation.
   */
  private preparedItem(item: CompletionItem, client: CompletionClient): PreparedItem {
    if (this.preparedItemsFor !== client) {
      this.preparedItems = new WeakMap();
      this.preparedItemsFor = client;
    }
    // the completion feature freezes the items it keeps; any other item is for this answer only
    const kept = Object.isFrozen(item);
    let prepared = kept ? this.preparedItems.get(item) : undefined;
    if (!prepared) {
      const [adaptedItem] = adaptCompletionItems([item], client.profile);
      const { filterText, ...rest } = adaptedItem;
      const adapted = filterText === adaptedItem.label ? rest : adaptedItem;
      const { documentation, ...undocumented } = adapted;
      prepared = { adapted, undocumented: documentation === undefined ? undefined : undocumented };
      if (kept) this.preparedItems.set(item, prepared);
    }
    return prepared;
  }

  private remember(list: number, documentation: ListDocumentation): void {
    this.documentation.delete(list);
    this.documentation.set(list, documentation);
    if (this.documentation.size > LISTS_RESOLVED) this.documentation.delete(this.documentation.keys().next().value as number);
  }
}
