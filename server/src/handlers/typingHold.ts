// Issue 14.4 wiring: every open document's text goes through the typing hold (features/typingHold.ts); pushed
// and pulled diagnostics are filtered through it, and once held problems are due they are shown: a new push,
// or a workspace/diagnostic/refresh for a pulling client. The clock is injectable for deterministic tests.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/lib/common/api';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TypingHold } from '../features/typingHold';
import type { Session } from './session';

export interface HoldClock {
  now(): number;
  /** Runs `run` after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

export const SYSTEM_CLOCK: HoldClock = {
  now: () => Date.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

interface HoldState {
  hold: TypingHold;
  clock: HoldClock;
  /** Per document: cancels the pending "show what was held". */
  pending: Map<string, () => void>;
}

const states = new WeakMap<Session, HoldState>();

function cancelPending(state: HoldState, uri: string): void {
  state.pending.get(uri)?.();
  state.pending.delete(uri);
}

/** One incremental change of at most two characters (a key, an auto-closed pair) or a line break with its indentation. */
function isKeystroke(changes: readonly TextDocumentContentChangeEvent[]): boolean {
  if (!Array.isArray(changes) || changes.length !== 1) return false;
  const [change] = changes;
  if (typeof change?.text !== 'string' || !('range' in change) || change.range === undefined) return false;
  return change.text.length <= 2 || /^\r?\n[ \t]*$/.test(change.text);
}

export function registerTypingHold(session: Session, clock: HoldClock = SYSTEM_CLOCK): void {
  const state: HoldState = { hold: new TypingHold(() => clock.now()), clock, pending: new Map() };
  states.set(session, state);
  const { documents } = session;
  /** Documents whose last change was a keystroke (not a paste, a replaced document, a fix or a formatting). */
  const keystroke = new Map<string, boolean>();
  session.changesSeen = (uri, changes) => keystroke.set(uri, isKeystroke(changes));
  documents.onDidOpen((event: { document: TextDocument }) => state.hold.textChanged(event.document.uri, event.document.getText(), { opened: true }));
  documents.onDidChangeContent((event: { document: TextDocument }) => {
    const { uri } = event.document;
    state.hold.textChanged(uri, event.document.getText(), { typed: keystroke.get(uri) === true });
    keystroke.delete(uri);
  });
  documents.onDidClose((event: { document: TextDocument }) => {
    cancelPending(state, event.document.uri);
    state.hold.forget(event.document.uri);
  });
}

/**
 * The diagnostics to send for `uri` now. When some are held, `showHeld` runs once they are due (the caller
 * pushes again or asks a pulling client to pull again); `held` tells a pull answer to use another result id.
 */
export function throughTypingHold(session: Session, uri: string, items: Diagnostic[], showHeld: () => void): { items: Diagnostic[]; held: boolean } {
  const state = states.get(session);
  if (!state) return { items, held: false };
  const { shown, releaseInMs } = state.hold.apply(uri, items);
  cancelPending(state, uri);
  if (releaseInMs === undefined) return { items: shown, held: false };
  state.pending.set(
    uri,
    state.clock.after(releaseInMs, () => {
      state.pending.delete(uri);
      showHeld();
    }),
  );
  return { items: shown, held: true };
}
