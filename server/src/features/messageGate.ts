// Sits between the transport and the LSP library (vscode-jsonrpc's ConnectionOptions.messageStrategy) and
// handles the protocol edges the library leaves to servers:
// - after `shutdown`, requests are answered with InvalidRequest and notifications other than `exit` dropped
//   (LSP 3.17, "Shutdown Request");
// - `params: null` becomes `{}`: the library's progress helpers read `params.workDoneToken` and would answer
//   an internal error (-32603) instead of the handler's empty result;
// - a didOpen/didChange/didClose without a string `uri` (didOpen: without a string `text`) is dropped with
//   one log line; stored as it is, it would fail every later request for that document.
import type * as JsonRpcModule from 'vscode-jsonrpc/lib/common/api';
import type { Message, NotificationMessage, RequestMessage } from 'vscode-jsonrpc/lib/common/api';

// the same module object server.ts loads (vscode-languageserver re-exports vscode-jsonrpc's ResponseError)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ErrorCodes, ResponseError } = require('vscode-languageserver/node') as typeof JsonRpcModule;

/** Internal method a request after shutdown is routed to (its handler answers InvalidRequest). */
const AFTER_SHUTDOWN = '$/dmsFail2ban/afterShutdown';

export interface GatedConnection {
  onRequest(method: string, handler: (params: { method?: unknown }) => unknown): unknown;
  console: { warn(message: string): void };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function isRequest(message: Message): message is RequestMessage {
  const m = message as Partial<RequestMessage>;
  return typeof m.method === 'string' && m.id !== undefined;
}

function isNotification(message: Message): message is NotificationMessage {
  const m = message as Partial<RequestMessage>;
  return typeof m.method === 'string' && m.id === undefined;
}

/** Why a text document notification cannot be applied, or undefined when it can. */
function malformedDocumentNotification(message: NotificationMessage): string | undefined {
  if (!message.method.startsWith('textDocument/did')) return undefined;
  const params = message.params;
  const textDocument = isObject(params) ? params.textDocument : undefined;
  if (!isObject(textDocument)) return 'it has no textDocument';
  if (typeof textDocument.uri !== 'string') return 'its uri is not a string';
  if (message.method === 'textDocument/didOpen' && typeof textDocument.text !== 'string') return 'its text is not a string';
  return undefined;
}

export class MessageGate {
  private shutdownReceived = false;
  private connection: GatedConnection | undefined;

  /** Registers the InvalidRequest answer and the log; call once the connection exists. */
  attach(connection: GatedConnection): void {
    this.connection = connection;
    connection.onRequest(AFTER_SHUTDOWN, (params) => {
      const method = typeof params?.method === 'string' ? params.method : 'request';
      return new ResponseError(ErrorCodes.InvalidRequest, `${method} after shutdown: the server only accepts 'exit' now`);
    });
  }

  /** ConnectionOptions.messageStrategy: every incoming message passes here before the library handles it. */
  handleMessage(message: Message, next: (message: Message) => void): void {
    if (isRequest(message)) {
      if (this.shutdownReceived) return next({ ...message, method: AFTER_SHUTDOWN, params: { method: message.method } } as RequestMessage);
      if (message.method === 'shutdown') this.shutdownReceived = true;
      return next(message.params === null ? ({ ...message, params: {} } as RequestMessage) : message);
    }
    if (isNotification(message)) {
      if (this.shutdownReceived && message.method !== 'exit') return;
      const malformed = malformedDocumentNotification(message);
      if (malformed) {
        this.connection?.console.warn(`ignored a ${message.method}: ${malformed}`);
        return;
      }
      return next(message.params === null ? ({ ...message, params: {} } as NotificationMessage) : message);
    }
    next(message);
  }
}
