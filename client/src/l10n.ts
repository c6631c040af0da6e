// Client strings go through VS Code's l10n: the English text is the key, l10n/bundle.l10n.<locale>.json holds
// the translations ({0}, {1}… are the arguments). test/unit/l10n/l10n.test.ts checks every t('…') has German.
// Outside VS Code (the vscode-free modules under unit test) there is no 'vscode' module: t() then fills in the
// arguments of the English text, as vscode.l10n.t does for English.
type L10n = { t(message: string, ...args: Array<string | number | boolean>): string };

let l10n: L10n | null | undefined;

function vscodeL10n(): L10n | null {
  if (l10n === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      l10n = (require('vscode') as { l10n: L10n }).l10n;
    } catch {
      l10n = null;
    }
  }
  return l10n;
}

export function t(message: string, ...args: Array<string | number | boolean>): string {
  const api = vscodeL10n();
  if (api) return api.t(message, ...args);
  return message.replace(/\{(\d+)\}/g, (placeholder, index: string) => (args[Number(index)] === undefined ? placeholder : String(args[Number(index)])));
}
