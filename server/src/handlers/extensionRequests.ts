// Requests only the extension sends (declared in server/src/shared/protocol.ts): checking a text that is not open
// (Apply Config) and the ignoreip edit ("Never Ban This Address").
import { computeCheckText } from '../features/checkText';
import { addToIgnoreIp } from '../features/ignoreIp';
import {
  ADD_TO_IGNORE_IP_REQUEST,
  CHECK_TEXT_REQUEST,
  type AddToIgnoreIpParams,
  type AddToIgnoreIpResult,
  type CheckTextParams,
  type CheckTextResult,
} from '../shared/protocol';
import type { Session } from './session';

export function registerExtensionRequests(session: Session): void {
  session.connection.onRequest(CHECK_TEXT_REQUEST, (params: CheckTextParams) =>
    // the live context only for the container it was read from (Apply Config names its target)
    session.guarded<CheckTextResult>('check text', { diagnostics: [] }, () => computeCheckText(params, session.live.forContainer(params?.container))),
  );
  session.connection.onRequest(ADD_TO_IGNORE_IP_REQUEST, (params: AddToIgnoreIpParams) =>
    session.guarded<AddToIgnoreIpResult>(
      'add to ignoreip',
      { status: 'invalid-address', edits: [], message: 'The edit could not be computed.', notes: [] },
      () => addToIgnoreIp(typeof params?.text === 'string' ? params.text : '', String(params?.address ?? ''), { kind: params?.kind }),
    ),
  );
}
