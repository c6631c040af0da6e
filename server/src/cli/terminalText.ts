// Text from outside (file names, values quoted in messages, command-line arguments) must not drive the
// terminal: an ESC or C1 control in a file name could set the window title or clear the screen, a bidi
// override could reorder what the reader sees. Each such character is shown as an escape instead, so the
// name stays identifiable (`\x1b]0;title\x07`), rather than stripped.

// C0 controls (tab kept), DEL, C1 controls, and the bidi embedding/override/isolate marks and line/paragraph separators.
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

// What JSON.stringify leaves raw (its own output has line breaks only as layout between values).
const UNSAFE_IN_JSON = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every terminal-controlling character written as `\xNN` / `\uNNNN` (a backslash itself stays). */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * JSON.stringify output made safe to print: it already escapes C0 controls, but leaves DEL, C1 controls and
 * bidi marks raw. Each becomes a JSON `\uNNNN` escape, which parses back to the same character.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
