// The jail report's webview page in a real Chromium: the page exactly as the extension builds it (strict
// CSP, nonce'd bundle with uPlot, report as inert JSON), served from a stand-in webview origin. Checks that
// the summary, the warnings, the table and the chart render with no CSP violation, that sorting works with
// mouse and keyboard, and that the row actions post the right messages. Takes the README picture.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { activityHtml, reportHtml } from '../../../client/src/lab/reportHtml';
import { banActivity, parseBanLogLine, type BanEvent, type JailTestReport } from '../../../server/src/lab';
import { PROJECT_ROOT } from '../../support/fail2banInstalls';

const ORIGIN = 'https://webview.dms-fail2ban.test';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** VS Code's Dark Modern colours for the variables the page uses (the webview host sets them in VS Code). */
const THEME: Record<string, string> = {
  '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px',
  '--vscode-editorWarning-foreground': '#cca700', '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-editorError-foreground': '#f85149', '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c', '--vscode-errorForeground': '#f85149',
  '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryBackground': '#313131',
  '--vscode-focusBorder': '#0078d4', '--vscode-textCodeBlock-background': '#2b2b2b',
};

const T0 = Date.UTC(2025, 2, 10, 8) / 1000;
const timeline = [
  ...Array.from({ length: 40 }, (_, i) => ({ time: T0 + i * 45, ip: '172.17.0.1' })),
  ...Array.from({ length: 12 }, (_, i) => ({ time: T0 + 900 + i * 60, ip: '203.0.113.5' })),
  ...Array.from({ length: 3 }, (_, i) => ({ time: T0 + 1800 + i * 300, ip: '198.51.100.20' })),
].sort((a, b) => a.time - b.time);

const REPORT: JailTestReport = {
  jail: 'postfix',
  source: { where: 'container', container: 'mailserver', logPath: '/var/log/mail.log' },
  lines: 1240, matched: 55, ignored: 0, missed: 1185, failures: 55, maxretry: 6, findtimeSeconds: 604800,
  ignoreip: ['127.0.0.1/8'],
  ips: [
    { ip: '172.17.0.1', failures: 40, first: '2025-03-10 08:00:00', last: '2025-03-10 08:29:15', wouldBan: true, wouldBanAt: '2025-03-10 08:03:45' },
    { ip: '203.0.113.5', failures: 12, first: '2025-03-10 08:15:00', last: '2025-03-10 08:26:00', wouldBan: true, wouldBanAt: '2025-03-10 08:20:00' },
    { ip: '198.51.100.20', failures: 3, first: '2025-03-10 08:30:00', last: '2025-03-10 08:40:00', wouldBan: false },
  ],
  wouldBan: ['172.17.0.1', '203.0.113.5'],
  missedSamples: ['2025-03-10T08:00:01.000000+00:00 mail postfix/smtpd[1001]: connect from unknown[203.0.113.5]'],
  timeline,
  warnings: [{ code: 'lockout-gateway', ip: '172.17.0.1', message: "LOCK-OUT RISK: 172.17.0.1 is the gateway of Docker network 'bridge' of container 'mailserver'. Banning it locks out every client. Use the slirp4netns port driver (rootless), NETWORK_INTERFACE=tap0 (Podman) or PROXY protocol." }],
  command: ['exec', 'mailserver', 'fail2ban-regex'],
};

let browser: Browser;
let dir: string;
let bundle: { js: string; css: string };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dms-lab-webview-'));
  await esbuild.build({
    entryPoints: [join(PROJECT_ROOT, 'client', 'src', 'lab', 'webview', 'main.ts')], bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', minify: true, outfile: join(dir, 'labWebview.js'), logLevel: 'warning',
  });
  bundle = { js: readFileSync(join(dir, 'labWebview.js'), 'utf8'), css: readFileSync(join(dir, 'labWebview.css'), 'utf8') };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const RESOURCES = { cspSource: ORIGIN, scriptUri: `${ORIGIN}/labWebview.js`, styleUri: `${ORIGIN}/labWebview.css` };

async function openReport(report: JailTestReport, canUnban = true, pageHtml?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const html = pageHtml ?? reportHtml(RESOURCES, report, 'docker-data/dms/config/fail2ban-jail.cf', canUnban);
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.endsWith('/labWebview.js')) return route.fulfill({ contentType: 'text/javascript', body: bundle.js });
    // VS Code puts its theme variables on the webview's <html>; here they come with the stylesheet
    if (url.endsWith('/labWebview.css')) return route.fulfill({ contentType: 'text/css', body: `:root { ${Object.entries(THEME).map(([k, v]) => `${k}: ${v};`).join(' ')} }\n${bundle.css}` });
    return route.fulfill({ contentType: 'text/html', body: html });
  });
  // a string, not a function: the test runner's transform would add helpers the page does not have
  await page.addInitScript(`
    window.messages = [];
    window.violations = [];
    window.acquireVsCodeApi = () => ({ postMessage: (message) => window.messages.push(message) });
    document.addEventListener('securitypolicyviolation', (event) => window.violations.push(event.violatedDirective + ' ' + event.blockedURI));
  `);
  page.on('console', (m) => { if (process.env.LAB_DEBUG) console.error('console:', m.text()); });
  page.on('pageerror', (e) => { if (process.env.LAB_DEBUG) console.error('pageerror:', e.message); });
  await page.goto(`${ORIGIN}/report.html`);
  await page.waitForFunction("window.messages.some((m) => m.type === 'rendered')");
  return page;
}

// strings, not functions: evaluated in the page (and no DOM types in this Node project)
const messages = (page: Page) => page.evaluate('window.messages') as Promise<{ type: string; ip?: string }[]>;

describe('jail report webview (real Chromium, strict CSP)', () => {
  it('renders summary, the lock-out warning, every row and the uPlot chart; no CSP violation', async () => {
    const page = await openReport(REPORT);
    try {
      assert.deepEqual((await messages(page)).find((m) => m.type === 'rendered'), { type: 'rendered', rows: 3, chartDrawn: true, chartSeries: 2, warnings: 1 });
      assert.deepEqual(await page.evaluate('window.violations'), []);
      assert.equal(await page.locator('#ips tbody tr').count(), 3);
      assert.match(await page.locator('[role=alert]').innerText(), /LOCK-OUT RISK: 172\.17\.0\.1/);
      assert.equal(await page.locator('#chart canvas').count(), 1);
      const box = await page.locator('#chart canvas').boundingBox();
      assert.ok(box && box.width > 300 && box.height > 100);
      assert.match(await page.locator('#summary').innerText(), /would ban\s+2/);
      mkdirSync(join(PROJECT_ROOT, 'test-results', 'screenshots'), { recursive: true });
      const fresh = join(PROJECT_ROOT, 'test-results', 'screenshots', 'jail-report.png');
      await page.screenshot({ path: fresh, fullPage: true });
      const published = join(PROJECT_ROOT, 'docs', 'images', 'jail-report.png');
      if (process.env.DMS_VSCODE_SCREENSHOTS === 'update' || !existsSync(published)) copyFileSync(fresh, published);
    } finally {
      await page.close();
    }
  });

  it('sorts by a column with the mouse and with the keyboard (aria-sort follows)', async () => {
    const page = await openReport(REPORT);
    try {
      const firstAddress = () => page.locator('#ips tbody tr:first-child td:first-child').innerText();
      assert.equal(await firstAddress(), '172.17.0.1');
      await page.locator('#ips th button', { hasText: 'Address' }).click();
      assert.equal(await page.locator('#ips th').first().getAttribute('aria-sort'), 'ascending');
      assert.equal(await firstAddress(), '172.17.0.1');
      await page.locator('#ips th button', { hasText: 'Address' }).focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#ips th').first().getAttribute('aria-sort'), 'descending');
      assert.equal(await firstAddress(), '203.0.113.5');
    } finally {
      await page.close();
    }
  });

  it('row actions post unban / never ban / copy for that address; no Unban without a server', async () => {
    const page = await openReport(REPORT);
    try {
      const row = page.locator('#ips tbody tr', { hasText: '203.0.113.5' });
      await row.getByRole('button', { name: 'Unban 203.0.113.5' }).click();
      await row.getByRole('button', { name: 'Add to ignoreip: 203.0.113.5' }).click();
      await row.getByRole('button', { name: 'Copy 203.0.113.5' }).press('Enter');
      assert.deepEqual((await messages(page)).filter((m) => m.type !== 'rendered'), [
        { type: 'unban', ip: '203.0.113.5' }, { type: 'ignore', ip: '203.0.113.5' }, { type: 'copy', ip: '203.0.113.5' },
      ]);
    } finally {
      await page.close();
    }
    const local = await openReport(REPORT, false);
    try {
      assert.equal(await local.getByRole('button', { name: /^Unban/ }).count(), 0);
    } finally {
      await local.close();
    }
  });

  it('the report cannot break out of its JSON block', async () => {
    const hostile = { ...REPORT, jail: '</script><script>window.pwned=1</script>', warnings: [], missedSamples: ['<img src=x onerror="window.pwned=1">'] };
    const page = await openReport(hostile);
    try {
      assert.equal(await page.evaluate('window.pwned'), undefined);
      assert.match(await page.locator('#missed pre').innerText(), /<img src=x/);
    } finally {
      await page.close();
    }
  });
});

/** fail2ban log lines as fail2ban 1.1.0 writes them (server/actions.py, server/filter.py). */
function fail2banLogLines(): BanEvent[] {
  const lines: string[] = [];
  const stamp = (minute: number) => `2025-03-10 ${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00,123`;
  for (let i = 0; i < 30; i++) {
    const jail = i % 3 === 0 ? 'dovecot' : 'postfix';
    const ip = `203.0.113.${(i % 7) + 1}`;
    lines.push(`${stamp(i * 7)} fail2ban.filter         [812]: INFO    [${jail}] Found ${ip} - ${stamp(i * 7).slice(0, 19)}`);
    lines.push(`${stamp(i * 7)} fail2ban.actions        [812]: NOTICE  [${jail}] Ban ${ip}`);
    if (i % 4 === 0) lines.push(`${stamp(i * 7 + 3)} fail2ban.actions        [812]: NOTICE  [${jail}] Unban ${ip}`);
  }
  return lines.map((line, index) => parseBanLogLine(line, index + 1)).filter((event): event is BanEvent => event !== undefined);
}

describe('ban activity page (same webview bundle)', () => {
  it('draws bans per jail and unbans with uPlot, the top tables; redraws on an update message', async () => {
    const events = fail2banLogLines();
    assert.equal(events.length, 30 + 30 + 8);
    const activity = banActivity(events, events.length);
    const page = await openReport(REPORT, true, activityHtml(RESOURCES, activity, 'mailserver'));
    try {
      assert.deepEqual((await messages(page)).find((m) => m.type === 'rendered'), { type: 'rendered', view: 'activity', rows: 7, chartDrawn: true, chartSeries: 3, warnings: 0 });
      assert.deepEqual(await page.evaluate('window.violations'), []);
      assert.equal(await page.locator('#activity-chart canvas').count(), 1);
      assert.equal(await page.locator('#top-addresses tbody tr').count(), 7);
      assert.match(await page.locator('#top-networks tbody tr').first().innerText(), /203\.0\.113\.0\/24\s+30\s+7/);
      assert.match(await page.locator('#activity-summary').innerText(), /30 bans and 8 unbans/);
      // the extension posts fresh activity when the tree refreshes
      const fewer = banActivity(events.slice(0, 10), 10);
      await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'activity', activity: fewer, container: 'mailserver' })}, '*')`);
      await page.waitForFunction("window.messages.filter((m) => m.type === 'rendered').length === 2");
      assert.equal(await page.locator('#activity-chart canvas').count(), 1);
      assert.match(await page.locator('#activity-summary').innerText(), new RegExp(`${fewer.jails.reduce((n, j) => n + j.bans, 0)} bans`));
    } finally {
      await page.close();
    }
  });

  it('the report shows what fail2ban actually banned next to would ban', async () => {
    const page = await openReport({ ...REPORT, actualBans: [{ ip: '203.0.113.5', at: '2025-03-10 08:20:01', count: 1 }], fail2banLog: { path: '/var/log/mail/fail2ban.log', lines: 90 } });
    try {
      assert.match(await page.locator('#summary').innerText(), /fail2ban banned\s+1/);
      assert.match(await page.locator('#ips tbody tr', { hasText: '203.0.113.5' }).innerText(), /yes, at 2025-03-10 08:20:01/);
      assert.match(await page.locator('#ips tbody tr', { hasText: '172.17.0.1' }).innerText(), /yes, at 2025-03-10 08:03:45\s+no/);
      await page.getByRole('button', { name: 'Open the log with matched lines highlighted' }).click();
      assert.deepEqual((await messages(page)).filter((m) => m.type === 'openLog'), [{ type: 'openLog' }]);
    } finally {
      await page.close();
    }
  });
});
