// A real VS Code: code-server's VS Code server (server-main.js) + its web workbench in Debian's Chromium,
// driven by playwright-core. Recipe: docs/TESTING.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that keep Chromium quiet and offline (as root it also needs --no-sandbox). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const START_TIMEOUT_MS = 60_000;

export interface ServerOptions {
  serverMain: string;
  /** shown in log lines */
  label: string;
  /** environment of the server and so of the extension host (PATH with the stand-in docker, …) */
  env: NodeJS.ProcessEnv;
  /** default: an empty folder of this server's own */
  extensionsDir?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  /** user settings written before start */
  userSettings?: Record<string, unknown>;
  /**
   * Display language (e.g. 'de'). The server applies one only when a language pack for it is registered, so an
   * empty one is: the workbench and the extension host then run in that language (vscode.env.language, the
   * extension's package.nls.<locale>.json and l10n bundle), while VS Code's own texts stay English.
   */
  locale?: string;
}

/**
 * Registers an empty language pack for `locale` where the server's NLS step looks (languagepacks.json in the
 * user data folder; code-server's server-main.js, resolveNLSConfiguration): without a pack the server falls
 * back to English whatever --locale says.
 */
function registerEmptyLanguagePack(dataDir: string, userDataDirs: readonly string[], locale: string): void {
  const translations = join(dataDir, `language-pack.${locale}.json`);
  writeFileSync(translations, JSON.stringify({ contents: {} }));
  const pack = { extensionIdentifier: { id: `dms-test.language-pack-${locale}` }, version: '0.0.0' }; // the language picker reads its id
  const packs = { [locale]: { hash: `dms-test-${locale}`, label: locale, extensions: [pack], translations: { vscode: translations } } };
  for (const dir of userDataDirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'languagepacks.json'), JSON.stringify(packs, null, 2));
  }
}

export interface VscodeServer {
  readonly port: number;
  readonly label: string;
  readonly options: ServerOptions;
  /** vscode-remote:// URI of a path on this machine */
  remote(path: string): string;
  /** everything the server printed so far */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`VS Code server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`VS Code server did not answer at ${url} within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

/** Kills the server's whole process group (it was started detached, so the group is ours alone). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startVscodeServer(options: ServerOptions): Promise<VscodeServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `dms-vscode-${options.label}-`));
  const userDataDir = join(dataDir, 'user-data');
  const serverDataDir = join(dataDir, 'server-data');
  // Both the user settings and the remote machine settings: which one a server version reads for workspace trust varies.
  const settings = JSON.stringify({ 'security.workspace.trust.enabled': false, ...options.userSettings }, null, 2);
  for (const dir of [join(userDataDir, 'User'), join(serverDataDir, 'data', 'Machine'), join(serverDataDir, 'data', 'User')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), settings);
  }
  if (options.locale) registerEmptyLanguagePack(dataDir, [userDataDir, join(serverDataDir, 'data')], options.locale);
  const extensionsDir = options.extensionsDir ?? join(dataDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const args = [
    options.serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    // Without this the server takes the extension host's environment from a login shell, whose profile resets
    // PATH (and so would hide the stand-in docker).
    '--force-disable-user-env',
    '--user-data-dir', userDataDir, '--server-data-dir', serverDataDir, '--extensions-dir', extensionsDir,
    ...(options.extensionDevelopmentPath ? [`--extensionDevelopmentPath=${options.extensionDevelopmentPath}`] : []),
    ...(options.extensionTestsPath ? [`--extensionTestsPath=${options.extensionTestsPath}`] : []),
    ...(options.locale ? ['--locale', options.locale] : []),
  ];
  const child = spawn(process.execPath, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await Promise.race([exited, new Promise((done) => setTimeout(done, 6_000))]);
    clearTimeout(timer);
    killGroup(child, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/version`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    label: options.label,
    options,
    remote: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    log: () => output,
    stop,
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Workbench {
  page: Page;
  /** resolves with the code the workbench hands to codeAutomationExit (extension tests only) */
  exitCode: Promise<number>;
  /** the extension host's and the workbench's console, as lines */
  consoleLines: string[];
  close(): Promise<void>;
}

/** Opens the workbench on `folder`; with extensionTestsPath on the server, the extension tests start at once. */
export async function openWorkbench(browser: Browser, server: VscodeServer, folder: string, options: { locale?: string } = {}): Promise<Workbench> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    // the server picks the display language from the vscode.nls.locale cookie, else Accept-Language
    ...(options.locale ? { locale: options.locale, extraHTTPHeaders: { 'Accept-Language': options.locale } } : {}),
  });
  if (options.locale) await context.addCookies([{ name: 'vscode.nls.locale', value: options.locale, url: `http://127.0.0.1:${server.port}` }]);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${server.port}` });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  // Extension-host console output is forwarded to the page console with CSS format arguments; drop those.
  page.on('console', (message) => consoleLines.push(message.text().replace(/%c\s*\S+\s+color:\s*#\w+\s*/g, '').replace(/%[sd]/g, '')));
  let reportExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  await page.exposeFunction('codeAutomationLog', () => undefined);
  const { extensionDevelopmentPath, extensionTestsPath } = server.options;
  const payload: [string, string][] = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', server.remote(extensionTestsPath)]);
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  return { page, exitCode, consoleLines, close: () => context.close() };
}
