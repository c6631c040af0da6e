'use strict';
// The stand-in's world: a JSON file named by env DMS_STANDIN_STATE, written by test/support/dmsContainer.ts.
// Read fresh on every invocation, so a test can change failure modes between two docker calls.
const { appendFileSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');

const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';

function loadState(env) {
  const path = env.DMS_STANDIN_STATE;
  if (!path) {
    return { error: 'docker stand-in: env DMS_STANDIN_STATE is not set (use test/support/dmsContainer.ts)\n' };
  }
  try {
    return { state: JSON.parse(readFileSync(path, 'utf8')), path };
  } catch (err) {
    return { error: `docker stand-in: cannot read state file ${path}: ${err.message}\n` };
  }
}

/** Appends one JSON line per invocation: argv exactly as received, and who started us (shell or not). */
function logInvocation(state, argv) {
  if (!state.invocationLog) return;
  let parent = { pid: process.ppid, comm: '', argv: [] };
  try {
    parent = {
      pid: process.ppid,
      comm: readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim(),
      argv: readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter((s, i, all) => i < all.length - 1 || s !== ''),
    };
  } catch {
    // parent already gone
  }
  const entry = { time: new Date().toISOString(), pid: process.pid, argv, cwd: process.cwd(), parent };
  appendFileSync(state.invocationLog, `${JSON.stringify(entry)}\n`);
}

/**
 * Changes one container record in the state file from inside the stand-in (e.g. the container stops after a
 * command). The test process rewrites the file on its next change; setFailure(undefined) makes it running again.
 */
function updateContainer(env, id, changes) {
  const path = env.DMS_STANDIN_STATE;
  const state = JSON.parse(readFileSync(path, 'utf8'));
  const container = (state.containers ?? []).find((c) => c.id === id);
  if (!container) return;
  Object.assign(container, changes);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** docker's context store names its directories by the sha256 of the context name. */
function contextHash(name) {
  return createHash('sha256').update(name).digest('hex');
}

/**
 * Which daemon this invocation talks to: -H/--host, else DOCKER_HOST (unless --context), else the context
 * (--context, DOCKER_CONTEXT, the current context). Returns { endpoint, contextName } or { error }.
 */
function resolveEndpoint(state, globals, env) {
  if (globals.host && globals.context) return { error: 'conflictingHostContext' };
  const host = globals.host ?? (globals.context ? undefined : env.DOCKER_HOST || undefined);
  if (host) return { endpoint: host, contextName: globals.context ?? 'default' };
  const contextName = globals.context ?? (env.DOCKER_CONTEXT || state.currentContext || 'default');
  const context = (state.contexts ?? []).find((c) => c.name === contextName);
  if (!context) {
    if (contextName === 'default') return { endpoint: DEFAULT_ENDPOINT, contextName };
    return { error: 'contextNotFound', contextName };
  }
  return { endpoint: context.endpoint, contextName };
}

/** The daemon record for an endpoint, or undefined when nothing listens there. */
function findDaemon(state, endpoint) {
  return (state.daemons ?? []).find((d) => d.endpoint === endpoint);
}

/** Containers of one daemon that docker would show (hidden = "removed" for the no-such-container mode). */
function visibleContainers(state, endpoint) {
  return (state.containers ?? []).filter((c) => (c.endpoint ?? DEFAULT_ENDPOINT) === endpoint && !c.hidden);
}

/** docker resolves a reference by full id, exact name, or unique id prefix. */
function findContainer(state, endpoint, reference) {
  const candidates = visibleContainers(state, endpoint);
  const name = reference.replace(/^\//, '');
  return (
    candidates.find((c) => c.id === reference || c.name === name) ??
    (reference.length >= 1 ? candidates.filter((c) => c.id.startsWith(reference)).find((_, __, all) => all.length === 1) : undefined)
  );
}

module.exports = { DEFAULT_ENDPOINT, updateContainer, loadState, logInvocation, resolveEndpoint, findDaemon, visibleContainers, findContainer, contextHash };
