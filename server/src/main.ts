// Entry of dist/server.js: the transport (node IPC, --stdio, --socket=…) comes from the command line.
// The same bundle also serves the extension's "apply config" validation (required, not run), so the engine
// ships once in the VSIX instead of once per bundle.
import { startServer } from './server';

export { checkDocument } from './engine';
// `dms-fail2ban lsp` loads this bundle and starts the server itself
export { startServer };
export { formatWhyBanned, labJails, lockoutCheck, logViewOnText, readBanActivity, runJailTestOnText, whyBanned, whyBannedLinks } from './lab/api';

if (require.main === module) startServer();
