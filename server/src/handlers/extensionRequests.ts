// Requests only the extension sends (declared in server/src/shared/protocol.ts): checking a text that is not open
// (Apply Config) and the ignoreip edit ("Never Ban This Address").
import type { Connection } from 'vscode-languageserver/lib/node/main';
import { computeCheckText } from '../features/checkText';
import { addToIgnoreIp } from '../features/ignoreIp';
import {
  ADD_TO_IGNORE_IP_REQUEST,
  CHECK_TEXT_REQUEST,
  type AddToIgnoreIpParams,
  type AddToIgnoreIpResult,
  type CheckTextParams,
  type CheckTextResult,
  type ContainerContext,
} from '../shared/protocol';

export interface ExtensionRequestHost {
  connection: Connection;
  guarded<T>(what: string, fallback: T, run: () => T | Promise<T>): Promise<T>;
  /** The live context of `container`, when the server holds one for it. */
  liveContextOf(container: string | undefined): ContainerContext | undefined;
}

export function registerExtensionRequests(host: ExtensionRequestHost): void {
  host.connection.onRequest(CHECK_TEXT_REQUEST, (params: CheckTextParams) =>
    host.guarded<CheckTextResult>('check text', { diagnostics: [] }, () => computeCheckText(params, host.liveContextOf(params?.container))),
  );
  host.connection.onRequest(ADD_TO_IGNORE_IP_REQUEST, (params: AddToIgnoreIpParams) =>
    host.guarded<AddToIgnoreIpResult>(
      'add to ignoreip',
      { status: 'invalid-address', edits: [], message: 'The edit could not be computed.', notes: [] },
      () => addToIgnoreIp(typeof params?.text === 'string' ? params.text : '', String(params?.address ?? ''), { kind: params?.kind }),
    ),
  );
}
