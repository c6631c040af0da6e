// The docker-mailserver the VS Code tests talk to: the stand-in `docker` (test/standin) with one DMS v15.1
// container whose fail2ban is a real fail2ban-server (1.1.0). Started before VS Code, so the extension host
// inherits its PATH and DMS_STANDIN_STATE.
import { runDocker, startDmsContainer, type DmsContainer } from '../../support/dmsContainer';

export const CONTAINER_NAME = 'mailserver';

/** Bans every part starts from (RFC 5737 documentation addresses). */
export const SEEDED_BANS: Readonly<Record<string, readonly string[]>> = {
  custom: ['203.0.113.10'],
  dovecot: ['198.51.100.7', '198.51.100.8'],
  postfix: ['198.51.100.23'],
};

export interface MailServer {
  container: DmsContainer;
  /** env for the VS Code server: the stand-in first on PATH, plus what the suite needs to know */
  env: NodeJS.ProcessEnv;
  /** Removes every ban and bans SEEDED_BANS again (each part starts from the same state). */
  reseed(): Promise<void>;
  /** jail → banned addresses, as DMS's `setup fail2ban` lists them */
  banned(): Promise<Map<string, string[]>>;
  stop(): Promise<void>;
}

async function dockerOk(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const run = await runDocker(env, args, { timeoutMs: 30_000 });
  if (run.exitCode !== 0) throw new Error(`docker ${args.join(' ')} → ${run.exitCode}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

export async function startMailServer(): Promise<MailServer> {
  const container = await startDmsContainer({ name: CONTAINER_NAME, dmsVersion: 'v15.1' });
  const env: NodeJS.ProcessEnv = {
    ...container.env,
    DMS_VSCODE_CONTAINER: CONTAINER_NAME,
    DMS_VSCODE_SEEDED_BANS: JSON.stringify(SEEDED_BANS),
  };
  const banned = async () => {
    const output = await dockerOk(env, ['exec', CONTAINER_NAME, 'setup', 'fail2ban']);
    const map = new Map<string, string[]>();
    for (const match of output.matchAll(/^Banned in (\S+): (.*)$/gm)) map.set(match[1], match[2].split(/[\s,]+/).filter(Boolean));
    return map;
  };
  const reseed = async () => {
    // A part may have applied its own user-jail.local; go back to DMS's stock jails.
    container.server.setUserJailLocal(undefined);
    await container.server.client(['reload']);
    await container.server.resetBans();
    for (const [jail, addresses] of Object.entries(SEEDED_BANS)) {
      for (const address of addresses) {
        if (jail === 'custom') await dockerOk(env, ['exec', CONTAINER_NAME, 'setup', 'fail2ban', 'ban', address]);
        else await dockerOk(env, ['exec', CONTAINER_NAME, 'fail2ban-client', 'set', jail, 'banip', address]);
      }
    }
  };
  return { container, env, reseed, banned, stop: () => container.stop() };
}
