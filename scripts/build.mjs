// Bundles the extension client, the language server and the CLI with esbuild (CommonJS, Node 20).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

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

// Parts of the CLI that only some commands need are bundles of their own next to dist/cli-main.js: its lazy
// `require('./server')` etc. (server/src/cli.ts) become `require('./server.js')`, which the CLI loader runs with a
// code cache as well (server/src/cli/bundleLoader.ts), and so does the YAML parser (dist/cli-yaml.js). A `check`
// then reads a third of the code.
const CLI_PARTS = {
  './server': './server.js',
  './lab/cli': './cli-lab.js',
  '../../client/src/docker/liveContext': './cli-container.js',
};
const cliParts = {
  name: 'cli-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.importer.endsWith('server/src/cli.ts') && Object.hasOwn(CLI_PARTS, args.path) && args.kind === 'require-call'
        ? { path: CLI_PARTS[args.path], external: true }
        : undefined,
    );
    // the YAML parser (a quarter of the bundle) only reads compose files next to a checked file
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      args.importer.endsWith('server/src/workspace/provided.ts') && args.kind === 'require-call' ? { path: './cli-yaml.js', external: true } : undefined,
    );
  },
};

// The libraries both the extension client and the language server bundle (the LSP protocol, JSON-RPC and the YAML
// parser, ~255 KB minified) live once in dist/vendor.js, required by both: the VSIX carries one copy instead of two.
// Each is a getter, so a process evaluates only what it uses (the client's YAML parser only when it reads a compose file).
const VENDOR_MODULES = [
  'vscode-jsonrpc',
  'vscode-jsonrpc/node',
  'vscode-languageserver-protocol',
  'vscode-languageserver-protocol/node',
  'vscode-languageserver-types',
  'yaml',
];
const vendorSource = VENDOR_MODULES.map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`).join('\n');
const sharedVendor = {
  name: 'shared-vendor',
  setup(build) {
    const filter = new RegExp(`^(${VENDOR_MODULES.map((name) => name.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'vendor' }));
    build.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({ contents: `module.exports = require('./vendor.js')[${JSON.stringify(args.path)}];` }));
    build.onResolve({ filter: /^\.\/vendor\.js$/, namespace: 'vendor' }, () => ({ path: './vendor.js', external: true }));
  },
};

// The generated knowledge tables (server/src/knowledge/generated/*.ts, ~200 KB of object literals) are bundled as
// JSON.parse of a string: V8 reads a JSON string faster than the same object literal, and a string is a fraction of
// the literal's bytecode in the CLI's code cache, which each run deserializes in full. Same values, same key order.
const generatedKnowledgeAsJson = {
  name: 'generated-knowledge-as-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]server[\\/]src[\\/]knowledge[\\/]generated[\\/][^\\/]+\.ts$/ }, async (args) => {
      const { code } = await esbuild.transform(readFileSync(args.path, 'utf8'), { loader: 'ts', format: 'cjs' });
      const tableModule = { exports: {} };
      new Function('module', 'exports', 'require', code)(tableModule, tableModule.exports, () => {
        throw new Error(`${args.path}: a generated table imports only types`);
      });
      const lines = Object.entries(tableModule.exports).map(([name, value]) => {
        const json = JSON.stringify(value);
        // anything JSON would not give back as it was (undefined, functions, a __proto__ key) keeps the literal
        if (json === undefined || json.includes('"__proto__"') || !isDeepStrictEqual(JSON.parse(json), value)) {
          throw new Error(`${args.path}: ${name} is not plain JSON data`);
        }
        return `export const ${name} = /* @__PURE__ */ JSON.parse(${JSON.stringify(json)});`;
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], plugins: [sharedVendor] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', plugins: [sharedVendor] }),
  esbuild.build({ ...common, stdin: { contents: vendorSource, resolveDir: '.', sourcefile: 'vendor.js' }, outfile: 'dist/vendor.js' }),
  // dist/cli.js is a small loader that runs dist/cli-main.js with a V8 code cache (faster start-up)
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js', plugins: [cliParts, generatedKnowledgeAsJson], minify: true }),
  esbuild.build({ ...common, entryPoints: ['server/src/lab/cli.ts'], outfile: 'dist/cli-lab.js' }),
  esbuild.build({ ...common, entryPoints: ['client/src/docker/liveContext.ts'], outfile: 'dist/cli-container.js', external: ['vscode'] }),
  esbuild.build({ ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.', sourcefile: 'cli-yaml.js' }, outfile: 'dist/cli-yaml.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cliLoader.ts'], outfile: 'dist/cli.js' }),
  // the jail report's webview script with uPlot (and its CSS → dist/labWebview.css), for the browser
  esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', minify: true, entryPoints: ['client/src/lab/webview/main.ts'], outfile: 'dist/labWebview.js' }),
]);

// the CLI's stock documents, parsed by the engine just built (server/src/cli/stockDocuments.ts)
const generatorDir = mkdtempSync(join(tmpdir(), 'dms-fail2ban-build-'));
try {
  const generator = join(generatorDir, 'writeStockDocuments.js');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: ['server/src/cli/writeStockDocuments.ts'], outfile: generator });
  const run = spawnSync(process.execPath, [generator, 'dist/stock-documents.json'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`writing dist/stock-documents.json failed (exit ${run.status})`);
} finally {
  rmSync(generatorDir, { recursive: true, force: true });
}

// esbuild escapes non-ASCII characters in code but keeps them in the comments it preserves; the CLI loader reads an
// ASCII bundle without UTF-8 decoding (V8's one-byte string), so comments get the same escapes (their meaning is kept).
// (dist/server.js too: `dms-fail2ban lsp` runs it through the loader.)
// Bundles only the CLI loader runs are written wrapped as node wraps a module (server/src/cli/bundleLoader.ts compiles
// them as they are, without a concatenated copy); dist/server.js stays a plain module, which VS Code runs directly.
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
for (const bundle of ['dist/cli-main.js', 'dist/cli-lab.js', 'dist/cli-container.js', 'dist/cli-yaml.js', 'dist/server.js']) {
  const source = readFileSync(bundle, 'utf8');
  const ascii = source.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const output = bundle === 'dist/server.js' ? ascii : `${WRAPPER[0]}${ascii}${WRAPPER[1]}`;
  if (output !== source) writeFileSync(bundle, output);
}
