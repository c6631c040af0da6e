// Types for exec.js (what tests import).
/** What the 'garbage' failure mode prints on stdout. */
export const GARBAGE_OUTPUT: string;
/** Drops fail2ban-client's -c/-s/-p (and long forms) so a call cannot leave the container's socket. */
export function stripLocationOptions(args: readonly string[]): string[];
