// The packaged extension: `npm run package`'s script builds the VSIX; it must be small and hold only runtime
// files; VS Code server's own --install-extension installs it; the smoke tests then run against the INSTALLED
// copy. The extension-host test runner needs some development extension, so a tiny empty "smoke host"
// extension carries the suite bundle — ours is only present as the installed VSIX.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunContext } from './main';
import { startVscodeServer } from './workbench';

// A ceiling against accidents (a bundled node_modules or source maps add megabytes); the size goal (400 KiB) is
// tracked in `npm run bench` and currently missed: ~472 KiB — the LSP client library (~260 KB minified), the
// engine's knowledge tables, uPlot in the jail lab webview, German strings and 47 rule pages. The protocol
// libraries and the YAML parser are already shared by client and server (dist/vendor.js).
export const VSIX_SIZE_LIMIT = 512 * 1024;
const EXTENSION_ID = 'dms-fail2ban.dms-fail2ban';

/** What the VSIX may contain (paths inside the zip). */
const ALLOWED_ENTRIES: readonly RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/(client|server|vendor|labWebview)\.js$/,
  /^extension\/dist\/labWebview\.css$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/package\.nls(\.[a-z-]+)?\.json$/,
  /^extension\/l10n\/bundle\.l10n\.[a-z-]+\.json$/,
  /^extension\/media\/(fail2ban\.svg|icon\.png|fail2ban-file\.svg)$/,
  /^extension\/media\/walkthrough\/[\w-]+\.md$/,
  /^extension\/(README\.md|CHANGELOG\.md|LICENSE\.txt|LICENSE)$/i,
  /^extension\/docs\/rules\/[a-z0-9-]+\.md$/,
];
const REQUIRED_ENTRIES = [
  'extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/vendor.js', 'extension/media/icon.png',
  // the diagnostics' code links open these (offline)
  'extension/docs/rules/invalid-line.md',
];

function zipEntries(file: string): string[] {
  const listing = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' });
  if (listing.status !== 0) throw new Error(`cannot list ${file}: ${listing.stderr}`);
  return listing.stdout.split('\n').filter(Boolean);
}

function packageVsix(root: string): string {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-install'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw new Error(`scripts/package.mjs failed (${result.status}):\n${result.stderr}${result.stdout}`);
  const vsix = result.stdout.match(/^(\S+\.vsix) \(/m)?.[1];
  if (!vsix || !existsSync(vsix)) throw new Error(`scripts/package.mjs did not report a VSIX:\n${result.stdout}`);
  return vsix;
}

function installVsix(serverMain: string, vsix: string, extensionsDir: string): void {
  const serverData = mkdtempSync(join(tmpdir(), 'dms-vscode-install-'));
  try {
    const result = spawnSync(
      process.execPath,
      [serverMain, '--accept-server-license-terms', '--server-data-dir', serverData, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (result.status !== 0) throw new Error(`--install-extension failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  } finally {
    rmSync(serverData, { recursive: true, force: true });
  }
  const installed = readdirSync(extensionsDir).filter((name) => name.startsWith(`${EXTENSION_ID}-`));
  if (installed.length !== 1) throw new Error(`expected one ${EXTENSION_ID}-* folder in ${extensionsDir}, found ${JSON.stringify(readdirSync(extensionsDir))}`);
}

/** An empty development extension that only carries the suite bundle (see the file comment). */
function createSmokeHost(root: string, suiteBundle: string): string {
  const host = join(root, 'out', 'test', 'vscode', 'smoke-host');
  rmSync(host, { recursive: true, force: true });
  mkdirSync(host, { recursive: true });
  writeFileSync(
    join(host, 'package.json'),
    `${JSON.stringify({ name: 'dms-fail2ban-smoke-host', publisher: 'dms-fail2ban-tests', version: '0.0.0', engines: { vscode: '^1.100.0' } }, null, 2)}\n`,
  );
  copyFileSync(suiteBundle, join(host, 'index.js'));
  return host;
}

export async function runVsixPart(ctx: RunContext): Promise<void> {
  const { tally } = ctx;
  let vsix = '';
  if (!(await tally.check('vsix', 'npm run package builds the VSIX', () => void (vsix = packageVsix(ctx.root))))) return;
  await tally.check('vsix', `VSIX is at most ${VSIX_SIZE_LIMIT / 1024} KB`, () => {
    const size = statSync(vsix).size;
    if (size > VSIX_SIZE_LIMIT) throw new Error(`${vsix} is ${(size / 1024).toFixed(0)} KB`);
  });
  await tally.check('vsix', 'VSIX holds the runtime files and nothing else', () => {
    const entries = zipEntries(vsix);
    const unexpected = entries.filter((entry) => !ALLOWED_ENTRIES.some((pattern) => pattern.test(entry)));
    const missing = REQUIRED_ENTRIES.filter((entry) => !entries.includes(entry));
    if (unexpected.length > 0 || missing.length > 0) throw new Error(`unexpected: ${JSON.stringify(unexpected)}; missing: ${JSON.stringify(missing)}`);
  });
  const extensionsDir = mkdtempSync(join(tmpdir(), 'dms-vscode-installed-'));
  try {
    if (!(await tally.check('vsix', 'VS Code server installs the VSIX', () => installVsix(ctx.serverMain, vsix, extensionsDir)))) return;
    const workspace = ctx.freshWorkspace('vsix');
    const resultsFile = join(workspace, '..', 'vsix-results.json');
    const smokeHost = createSmokeHost(ctx.root, ctx.suiteBundle);
    const server = await startVscodeServer({
      serverMain: ctx.serverMain,
      label: 'vsix',
      env: { ...ctx.mail.env, DMS_VSCODE_SUITE: 'smoke', DMS_VSCODE_INSTALLED_DIR: extensionsDir, DMS_VSCODE_RESULTS: resultsFile, DMS_VSCODE_FIGURES: process.env.DMS_VSCODE_FIGURES ?? '' },
      extensionsDir,
      extensionDevelopmentPath: smokeHost,
      extensionTestsPath: join(smokeHost, 'index.js'),
    });
    try {
      await ctx.runSuite('vsix', server, workspace, resultsFile);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(extensionsDir, { recursive: true, force: true });
  }
}
