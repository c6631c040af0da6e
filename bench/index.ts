// `npm run bench`: performance figures next to the goals. Prints figures only: a missed
// goal does not fail the run, a crash does (exit 1). `--no-build` skips `node scripts/build.mjs`;
// `--quick` runs only the in-process figures (including parser linearity, bench/linearity.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliStartupFigures } from './cliStartup';
import { cliFigures } from './cliVsFail2ban';
import { generateJailFile } from './generate';
import { jailLabFigures } from './jailLab';
import { DMS_DEFAULT_JAIL_FILE, dmsDefaultFigures, throughputFigures } from './inProcess';
import { linearityFigures } from './linearity';
import { liveContextFigures } from './liveContext';
import { editingFigures, startFigures } from './lsp';
import { incrementalFigures, shapeFigures } from './shapes';
import { below, line, ms } from './stats';

const ROOT = resolve(__dirname, '..');

function build(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs failed (exit ${result.status})`);
}

async function ensureFail2ban(): Promise<void> {
  const module = pathToFileURL(join(ROOT, 'scripts', 'system-deps.mjs')).href;
  const { ensureSystemDeps } = (await import(module)) as { ensureSystemDeps(options: { quiet: boolean }): void };
  ensureSystemDeps({ quiet: true });
}

/**
 * Packages the VSIX, installs it into the real VS Code server and runs the smoke suite there
 * (`node test/vscode/run.mjs vsix`); the suite records the first activate() of the installed extension.
 */
function vscodeFigures(): string[] {
  const figuresFile = join(mkdtempSync(join(tmpdir(), 'dms-bench-')), 'figures.json');
  const run = spawnSync(process.execPath, [join(ROOT, 'test', 'vscode', 'run.mjs'), 'vsix'], {
    cwd: ROOT,
    env: { ...process.env, DMS_VSCODE_FIGURES: figuresFile },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`node test/vscode/run.mjs vsix failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  const figures: string[] = [];
  const packages = readdirSync(ROOT).filter((name) => name.endsWith('.vsix'));
  for (const name of packages) {
    const kib = statSync(join(ROOT, name)).size / 1024;
    figures.push(line(`VSIX size (${name})`, `${kib.toFixed(0)} KiB`, below(kib, 400, 'KiB', true)));
  }
  const activation = existsSync(figuresFile) ? (JSON.parse(readFileSync(figuresFile, 'utf8')) as { activationMs?: number }).activationMs : undefined;
  figures.push(
    activation === undefined
      ? line('extension activation (installed VSIX, real VS Code)', 'not measured: already active')
      : line('extension activation (installed VSIX, real VS Code: load + activate())', ms(activation), below(activation, 200, 'ms')),
  );
  return figures;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const quick = args.has('--quick');
  const [oneMinute] = loadavg();
  console.log(`dms-fail2ban benchmarks — node ${process.version}, ${cpus().length} CPUs, load average ${oneMinute.toFixed(1)} (figures are wall-clock)`);
  for (const figure of dmsDefaultFigures()) console.log(figure);
  for (const figure of throughputFigures()) console.log(figure);
  for (const figure of linearityFigures()) console.log(figure);
  for (const figure of shapeFigures()) console.log(figure);
  for (const figure of incrementalFigures()) console.log(figure);
  if (quick) return;
  if (!args.has('--no-build') || !existsSync(join(ROOT, 'dist', 'cli.js'))) build();
  await ensureFail2ban();
  for (const figure of cliStartupFigures()) console.log(figure);
  for (const figure of cliFigures('DMS default fail2ban-jail.cf', DMS_DEFAULT_JAIL_FILE, { minSpeedUp: 1 })) console.log(figure);
  for (const figure of cliFigures('generated 1 MB jail file', generateJailFile(1_000_000), { runs: 3 })) console.log(figure);
  for (const figure of await startFigures()) console.log(figure);
  for (const figure of await editingFigures()) console.log(figure);
  for (const figure of jailLabFigures()) console.log(figure);
  for (const figure of await liveContextFigures()) console.log(figure);
  for (const figure of vscodeFigures()) console.log(figure);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
