// Completion lists as the client takes them: adapted to what it declared (clientCompat), the shared edit range
// once where it takes that, and for clients that ask for documentation on demand (completionItem/resolve; VS Code
// does) without the documentation: a list of filters or options carries a paragraph per item, tens of kilobytes
// per request that the editor shows for one item at a time. Resolve returns it for the item shown.
// A list the completion feature keeps (the same items array again) is prepared once and sent as it is again.
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { adaptCompletionItems, withDefaultEditRange, withOwnTextEdits, type ClientProfile, type SharedRangeItems } from '../features/clientCompat';

/** Where a deferred item's documentation is: in `data` of the item sent. */
interface DeferredData {
  documentationOf: [list: number, index: number];
}

function isDeferredData(data: unknown): data is DeferredData {
  const reference = (data as Partial<DeferredData> | null | undefined)?.documentationOf;
  return Array.isArray(reference) && reference.length === 2 && Number.isInteger(reference[0]) && Number.isInteger(reference[1]);
}

/** How a client takes completion lists (from `initialize`). */
export interface CompletionClient {
  profile: ClientProfile;
  resolvesCompletionDocumentation: boolean;
  completionEditRangeDefault: boolean;
}

interface PreparedList {
  client: CompletionClient;
  list: number;
  items: readonly CompletionItem[];
  documentation: readonly CompletionItem['documentation'][];
}

/** Lists whose documentation resolve still finds (the most recently sent ones). */
const LISTS_RESOLVED = 64;

export class CompletionDelivery {
  private lastList = 0;
  /** Per list number the documentation of its items, the most recently sent list last. */
  private readonly documentation = new Map<number, readonly CompletionItem['documentation'][]>();
  /** Per items array of an answer, what was sent for it. */
  private readonly prepared = new WeakMap<readonly CompletionItem[], PreparedList>();

  /** The answer as `client` takes it. */
  send(answer: SharedRangeItems, client: CompletionClient): CompletionItem[] | CompletionList {
    let prepared = this.prepared.get(answer.items);
    if (prepared?.client !== client) {
      prepared = this.prepare(answer.items, client);
      this.prepared.set(answer.items, prepared);
    }
    if (client.resolvesCompletionDocumentation) this.remember(prepared.list, prepared.documentation);
    const ready = { items: prepared.items, editRange: answer.editRange };
    return client.completionEditRangeDefault ? withDefaultEditRange(ready) : withOwnTextEdits(ready);
  }

  /** The item with its documentation back (without it when its list is not among the last ones sent). */
  resolve(item: CompletionItem): CompletionItem {
    if (!isDeferredData(item?.data)) return item;
    const [list, index] = item.data.documentationOf;
    const documentation = this.documentation.get(list)?.[index];
    const { data: _data, ...rest } = item;
    return documentation === undefined ? rest : { ...rest, documentation };
  }

  /** Adapted to the client and, when it resolves documentation, without it: each item refers to it in `data`. */
  private prepare(items: readonly CompletionItem[], client: CompletionClient): PreparedList {
    const adapted = adaptCompletionItems(items, client.profile);
    const list = ++this.lastList;
    if (!client.resolvesCompletionDocumentation) return { client, list, items: adapted, documentation: [] };
    return {
      client,
      list,
      documentation: adapted.map((item) => item.documentation),
      items: adapted.map((item, index) => {
        if (item.documentation === undefined || item.data !== undefined) return item;
        const { documentation: _documentation, ...rest } = item;
        const data: DeferredData = { documentationOf: [list, index] };
        return { ...rest, data };
      }),
    };
  }

  private remember(list: number, documentation: readonly CompletionItem['documentation'][]): void {
    this.documentation.delete(list);
    this.documentation.set(list, documentation);
    if (this.documentation.size > LISTS_RESOLVED) this.documentation.delete(this.documentation.keys().next().value as number);
  }
}
