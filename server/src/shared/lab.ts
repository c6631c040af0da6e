// The jail lab's side of the client ↔ server boundary: the shapes the extension uses. Types only — the
// lab itself runs from dist/server.js (LabApi), so the engine stays out of dist/client.js.
export type * from './labTypes';
export type { WhyBannedReport } from '../lab/whyBanned';
export type { DockerTarget, LabTarget, JailTestOutcome } from '../lab/run';
export type { LogView, LogViewMatch } from '../lab/logView';
export type { LabApi, TextJailTestRequest } from '../lab/api';
