// Removes terminal control sequences and control characters from text that comes from outside (docker,
// DMS's scripts, fail2ban, a remote daemon) before it reaches a tree item, a QuickPick, a message or an editor.
// A hostile or broken daemon can print OSC sequences (`ESC ] 0 ; title BEL` sets a terminal title,
// `ESC ] 8 ; ; url ESC \` makes a link), screen clears (`ESC [ 2 J`) or bare C0/C1 controls.
import { stripVTControlCharacters } from 'node:util';

/**
 * ECMA-48 control strings: OSC (`ESC ]`, C1 0x9D), DCS (`ESC P`, 0x90), SOS (`ESC X`, 0x98), PM (`ESC ^`, 0x9E),
 * APC (`ESC _`, 0x9F), each ended by BEL or ST (`ESC \`, 0x9C). Node's stripVTControlCharacters removes only
 * OSC payloads without spaces, so `ESC]0;my title BEL` would leave "y title" behind; these go first, whole.
 * An unterminated one is left to the later steps (they remove its introducer), so no following line is eaten.
 */
const CONTROL_STRING = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)/g;
/** C0 controls except TAB and LF, DEL, and C1 controls. */
const CONTROL_EXCEPT_TAB_LF = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/** Every C0 control, DEL and every C1 control. */
const ANY_CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Multi-line output (logs shown in an editor, the output channel): escape sequences and control characters
 * removed; CRLF and lone CR become LF; TAB and LF stay.
 */
export function cleanOutput(text: string): string {
  return stripVTControlCharacters(text.replace(CONTROL_STRING, ''))
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_EXCEPT_TAB_LF, '');
}

/** One-line text (jail names, addresses, labels): as cleanOutput, then TAB and line breaks become spaces. */
export function cleanLabel(text: string): string {
  return cleanOutput(text).replace(/[\t\n]/g, ' ').replace(ANY_CONTROL, '');
}

/** True when `text` holds any control character (what must never reach the UI). */
export function hasControlCharacters(text: string, allowTabAndNewline = false): boolean {
  return (allowTabAndNewline ? /[\x00-\x08\x0b-\x1f\x7f-\x9f]/ : /[\x00-\x1f\x7f-\x9f]/).test(text);
}
