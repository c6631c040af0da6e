// The read-only log document of the jail lab: a window of a container log (at most MAX_VIEW_LINES lines),
// tested again with the real fail2ban-regex (`-v --print-all-matched`, the jail's effective filter) so the
// editor can highlight the matched lines and say on hover which failregex matched (fail2ban-regex lists
// each regex with the failures it found, then the matched lines in log order).
import type { ConfigContext } from '../context';
import { grepAddress, readLogWindow, removeFromContainer, uploadLog } from './container';
import { buildJailTestPlan } from './plan';
import { globalDockerArgs, streamProcess, validateContainerPath, validateDockerTarget, type DockerTarget } from './run';

export const MAX_VIEW_LINES = 2000;

export interface LogViewMatch {
  /** 0-based index into `lines`. */
  index: number;
  /** 1-based number of the failregex that matched (fail2ban-regex's numbering). */
  regex: number;
  ip: string;
}

export interface LogView {
  jail: string;
  container: string;
  logPath: string;
  /** Line number (1-based) of lines[0] in the log. */
  firstLine: number;
  lines: string[];
  /** The jail's failregex list as fail2ban-regex printed it. */
  regexes: string[];
  matches: LogViewMatch[];
}

const REGEX_HEADER = /^\|\s+(\d+)\) \[\d+\] (.*)$/;
const FAILURE = /^\|\s+(\S+)\s{2}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} (\d{2}:\d{2}:\d{2}) \d{4,}/;

/** Reads fail2ban-regex's verbose output: the regexes, their failures (ip, time), the matched lines. */
export class MatchedLinesReader {
  readonly regexes: string[] = [];
  readonly failures: { regex: number; ip: string; time: string }[] = [];
  readonly matched: string[] = [];
  private section: 'failregex' | 'matched' | 'other' = 'other';
  private regex = 0;

  push(line: string): void {
    if (/^Failregex: \d+ total$/.test(line)) {
      this.section = 'failregex';
      return;
    }
    if (/^(?:Ignoreregex|Prefregex): /.test(line) || line.startsWith('Date template hits:') || line.startsWith('Lines: ')) {
      this.section = 'other';
      return;
    }
    if (line.startsWith('|- Matched line(s):')) {
      this.section = 'matched';
      return;
    }
    if (this.section === 'matched') {
      if (line.startsWith('`-')) this.section = 'other';
      else if (line.startsWith('|  ')) this.matched.push(line.slice(3));
      return;
    }
    if (this.section !== 'failregex') return;
    const header = REGEX_HEADER.exec(line);
    if (header) {
      this.regex = Number(header[1]);
      this.regexes[this.regex - 1] = header[2];
      return;
    }
    const failure = FAILURE.exec(line);
    if (failure && this.regex > 0) this.failures.push({ regex: this.regex, ip: failure[1], time: failure[2] });
  }
}

/** The address appears as a whole token (203.0.113.8 is not in "203.0.113.88"). */
function mentions(text: string, ip: string): boolean {
  for (let at = text.indexOf(ip); at >= 0; at = text.indexOf(ip, at + 1)) {
    if (!/[0-9A-Za-z.:]/.test(text[at - 1] ?? ' ') && !/[0-9A-Za-z]/.test(text[at + ip.length] ?? ' ')) return true;
  }
  return false;
}

/** Matched lines (in log order) → window indexes, each with the regex whose failure (ip, time) it carries. */
export function assignMatches(lines: readonly string[], reader: MatchedLinesReader): LogViewMatch[] {
  const pending = reader.failures.map((failure) => ({ ...failure, used: false }));
  const matches: LogViewMatch[] = [];
  let cursor = 0;
  for (const text of reader.matched) {
    const index = lines.indexOf(text, cursor);
    if (index < 0) continue;
    cursor = index + 1;
    const candidates = pending.filter((failure) => !failure.used && mentions(text, failure.ip));
    const chosen = candidates.find((failure) => text.includes(failure.time)) ?? candidates[0];
    if (!chosen) continue;
    chosen.used = true;
    matches.push({ index, regex: chosen.regex, ip: chosen.ip });
  }
  return matches;
}

export interface LogViewRequest {
  context: ConfigContext;
  jail: string;
  docker: DockerTarget;
  logPath: string;
  /** First line of the window (1-based); default 1. */
  fromLine?: number;
  /** Start a little before the first line that mentions this address instead. */
  nearAddress?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function buildLogView(request: LogViewRequest): Promise<{ ok: true; view: LogView } | { ok: false; message: string }> {
  const { docker, logPath, env, signal } = request;
  const invalid = validateDockerTarget(docker) ?? validateContainerPath(logPath);
  if (invalid) return { ok: false, message: invalid };
  // no jail (fail2ban's own log): the lines only, nothing to match
  const planned = request.jail ? buildJailTestPlan(request.context, request.jail) : undefined;
  if (planned && !planned.ok) return { ok: false, message: planned.message };
  let firstLine = Math.max(1, Math.floor(request.fromLine ?? 1));
  if (request.nearAddress) {
    const hit = (await grepAddress(docker, logPath, request.nearAddress, 1, env, signal))?.[0];
    if (hit) firstLine = Math.max(1, hit.line - 50);
  }
  const lines = await readLogWindow(docker, logPath, firstLine, firstLine + MAX_VIEW_LINES - 1, env, signal);
  if (!lines) return { ok: false, message: `Cannot read ${logPath} in ${docker.container}.` };
  if (!planned) return { ok: true, view: { jail: '', container: docker.container, logPath, firstLine, lines, regexes: [], matches: [] } };
  // the same lines, tested on their own: a temporary copy in the container (removed afterwards)
  const upload = await uploadLog(docker, { text: lines.length ? `${lines.join('\n')}\n` : '' }, env, signal);
  if (!upload.ok) return { ok: false, message: upload.message };
  const reader = new MatchedLinesReader();
  try {
    const plan = planned.plan;
    const args = [...globalDockerArgs(docker), 'exec', docker.container, 'fail2ban-regex', ...plan.options, '--print-all-matched', '--', upload.path, plan.filterArgument];
    const result = await streamProcess(docker.runtime, args, env, (line, stream) => {
      if (stream === 'out') reader.push(line);
    }, signal);
    if (result.exitCode !== 0) return { ok: false, message: `fail2ban-regex failed on ${logPath} (exit ${result.exitCode ?? 'signal'}).` };
  } finally {
    await removeFromContainer(docker, upload.path, env);
  }
  return {
    ok: true,
    view: { jail: request.jail, container: docker.container, logPath, firstLine, lines, regexes: reader.regexes, matches: assignMatches(lines, reader) },
  };
}
