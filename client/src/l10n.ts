// Client strings go through VS Code's l10n: the English text is the key, l10n/bundle.l10n.<locale>.json holds
// the translations ({0}, {1}… are the arguments). test/unit/l10n/l10n.test.ts checks every t('…') has German.
import * as vscode from 'vscode';

export function t(message: string, ...args: Array<string | number | boolean>): string {
  return vscode.l10n.t(message, ...args);
}
