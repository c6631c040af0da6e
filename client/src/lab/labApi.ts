// The lab's way into dist/server.js (required at first use, as for "apply config": the engine ships once)
// and the docker target of a Fail2Ban view server.
import * as path from 'node:path';
import type { DockerTarget, LabApi } from '../../../server/src/shared';
import type { ServerSession } from '../bans/session';

export function loadLabApi(): LabApi {
  const serverBundle = path.join(__dirname, 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path esbuild must not bundle
  return require(serverBundle) as LabApi;
}

/** The docker target of a session's server and container (names are validated again by the lab). */
export function dockerTargetOf(session: ServerSession, container: string): DockerTarget {
  const target = session.server.target;
  return { runtime: target.runtime, container, ...(target.context ? { context: target.context } : {}), ...(target.host ? { host: target.host } : {}) };
}
