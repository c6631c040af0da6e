// How many addresses a jail holds right now, from the view's last refresh (pure; used by the CodeLens).
import type { SessionState } from './session';

/** The first server whose last refresh listed `jail`; undefined when no server has (no docker call is made). */
export function bannedNow(jail: string, states: readonly SessionState[]): { index: number; count: number; container: string; updated: Date } | undefined {
  for (const [index, state] of states.entries()) {
    if (state.kind !== 'ready') continue;
    const found = state.jails.find((candidate) => candidate.jail === jail);
    if (found && found.unavailable === undefined) {
      return { index, count: found.currentlyBanned ?? found.ips.length, container: state.container, updated: state.updated };
    }
  }
  return undefined;
}
