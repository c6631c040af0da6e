// Bundles the extension client, the language server and the CLI with esbuild (CommonJS, Node 20).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  // dist/cli.js is a small loader that runs dist/cli-main.js with a V8 code cache (faster start-up)
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cliLoader.ts'], outfile: 'dist/cli.js' }),
  // the jail report's webview script with uPlot (and its CSS → dist/labWebview.css), for the browser
  esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', minify: true, entryPoints: ['client/src/lab/webview/main.ts'], outfile: 'dist/labWebview.js' }),
]);
