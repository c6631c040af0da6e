// Entry of dist/cli.js: runs the CLI bundle (dist/cli-main.js) with a V8 code cache (server/src/cli/bundleLoader.ts).
import { join } from 'node:path';
import { loadBundle } from './cli/bundleLoader';

// the bundle runs its main() when it is the main module (or bin/dms-fail2ban required this loader)
module.exports = loadBundle(join(__dirname, 'cli-main.js'), module, require.main === module);
