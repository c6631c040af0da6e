// The jail report's webview script (bundled by esbuild for the browser). Reads the report from the page,
// draws the summary, warnings, a sortable table and the uPlot timeline; posts actions and "rendered".
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { BanActivity, IpSummary, JailTestReport } from '../../../../server/src/shared/lab';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();

const page = JSON.parse(document.getElementById('report-data')?.textContent ?? '{}') as (
  | { report: JailTestReport; canUnban: boolean; activity?: undefined }
  | { activity: BanActivity; container: string; report?: undefined; canUnban?: undefined }
) & { text?: Record<string, string> };
const report = page.report as JailTestReport;
const canUnban = page.canUnban === true;
const actuallyBanned = new Map((report?.actualBans ?? []).map((ban) => [ban.ip, ban]));

/**
 * The page's texts in the editor's language: the extension translates them (labWebviewText in ../webviewText.ts,
 * keyed by the English text) and hands them over with the report, since a webview has no vscode.l10n.
 * {0}, {1}… are filled here; an English text without a translation is shown as it is.
 */
function t(message: string, ...args: Array<string | number>): string {
  const template = page.text?.[message] ?? message;
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => (args[Number(index)] === undefined ? placeholder : String(args[Number(index)])));
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function renderWarnings(): number {
  const host = document.getElementById('warnings');
  if (!host) return 0;
  for (const warning of report.warnings) {
    const box = el('div', warning.message, `warning${warning.code.startsWith('lockout-') ? ' lockout' : ''}`);
    box.setAttribute('role', warning.code.startsWith('lockout-') ? 'alert' : 'note');
    host.append(box);
  }
  return report.warnings.length;
}

function renderSummary(): void {
  const host = document.getElementById('summary');
  if (!host) return;
  const list = el('dl');
  const items: [string, string][] = [
    [t('lines'), String(report.lines)], [t('matched'), String(report.matched)], [t('ignored'), String(report.ignored)], [t('missed'), String(report.missed)],
    [t('failures'), String(report.failures)], [t('addresses'), String(report.ips.length)], [t('would ban'), String(report.wouldBan.length)],
    ['maxretry / findtime', `${report.maxretry} / ${report.findtimeSeconds} s`],
  ];
  if (report.actualBans) items.push([t('fail2ban banned'), String(report.actualBans.length)]);
  for (const [label, value] of items) {
    const item = el('div');
    item.append(el('dt', label), el('dd', value));
    list.append(item);
  }
  host.append(list);
  if (report.ignoreip.length) host.append(el('p', t('ignoreip: {0}', report.ignoreip.join(' ')), 'muted'));
  if (report.fail2banLog) host.append(el('p', t('"fail2ban banned": Ban lines of [{0}] in {1} while this log was written.', report.jail, report.fail2banLog.path), 'muted'));
  if (report.source.where === 'container' && !report.source.uploaded) {
    const open = el('button', t('Open the log with matched lines highlighted'), 'action');
    open.type = 'button';
    open.addEventListener('click', () => vscode.postMessage({ type: 'openLog' }));
    host.append(open);
  }
}

type SortKey = 'ip' | 'failures' | 'first' | 'last' | 'wouldBan';
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'ip', label: t('Address') }, { key: 'failures', label: t('Failures') }, { key: 'first', label: t('First') },
  { key: 'last', label: t('Last') }, { key: 'wouldBan', label: t('Would ban') },
];
let sortKey: SortKey = 'failures';
let descending = true;

function compare(a: IpSummary, b: IpSummary): number {
  const value = (entry: IpSummary): string | number => (sortKey === 'wouldBan' ? Number(entry.wouldBan) : entry[sortKey]);
  const x = value(a);
  const y = value(b);
  const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
  return descending ? -order : order;
}

function renderTable(): number {
  const table = document.getElementById('ips') as HTMLTableElement | null;
  if (!table) return 0;
  const head = table.tHead ?? table.createTHead();
  head.replaceChildren();
  const headRow = head.insertRow();
  for (const column of COLUMNS) {
    const th = el('th');
    th.scope = 'col';
    th.setAttribute('aria-sort', column.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none');
    const button = el('button', `${column.label}${column.key === sortKey ? (descending ? ' ▼' : ' ▲') : ''}`);
    button.type = 'button';
    button.addEventListener('click', () => {
      descending = column.key === sortKey ? !descending : column.key === 'failures' || column.key === 'wouldBan';
      sortKey = column.key;
      renderTable();
      (table.querySelector(`th:nth-child(${COLUMNS.indexOf(column) + 1}) button`) as HTMLButtonElement | null)?.focus();
    });
    th.append(button);
    headRow.append(th);
  }
  if (report.actualBans) {
    const actualHeader = el('th', t('fail2ban banned'));
    actualHeader.scope = 'col';
    headRow.append(actualHeader);
  }
  const actionsHeader = el('th', t('Actions'));
  actionsHeader.scope = 'col';
  headRow.append(actionsHeader);
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren();
  for (const entry of [...report.ips].sort(compare)) {
    const row = body.insertRow();
    if (entry.wouldBan) row.className = 'ban';
    row.append(el('td', entry.ip), el('td', String(entry.failures), 'num'), el('td', entry.first), el('td', entry.last));
    row.append(el('td', entry.ignoredBy ? t('no — ignoreip {0}', entry.ignoredBy) : entry.wouldBan ? t('yes, at {0}', entry.wouldBanAt ?? '') : t('no')));
    if (report.actualBans) {
      const actual = actuallyBanned.get(entry.ip);
      row.append(el('td', !actual ? t('no') : actual.count > 1 ? t('yes, at {0} ({1}×)', actual.at, actual.count) : t('yes, at {0}', actual.at)));
    }
    const actions = el('td');
    const action = (label: string, type: string, title: string) => {
      const button = el('button', label);
      button.type = 'button';
      button.title = title;
      button.setAttribute('aria-label', `${title} ${entry.ip}`);
      button.addEventListener('click', () => vscode.postMessage({ type, ip: entry.ip }));
      actions.append(button);
    };
    if (canUnban) action(t('Unban'), 'unban', t('Unban'));
    action(t('Never ban'), 'ignore', t('Add to ignoreip:'));
    action(t('Copy'), 'copy', t('Copy'));
    row.append(actions);
  }
  return report.ips.length;
}

/** Failures per time slot (about 60 slots) and would-be bans per slot. */
function chartData(): uPlot.AlignedData | undefined {
  const points = report.timeline ?? [];
  if (points.length === 0) return undefined;
  const first = points[0].time;
  const last = points[points.length - 1].time;
  const slot = Math.max(60, Math.ceil((last - first + 1) / 60));
  const slots = Math.floor((last - first) / slot) + 1;
  const xs = Array.from({ length: slots }, (_, i) => first + i * slot);
  const failures = new Array<number>(slots).fill(0);
  const bans = new Array<number | null>(slots).fill(null);
  for (const point of points) failures[Math.floor((point.time - first) / slot)]++;
  for (const entry of report.ips) {
    if (!entry.wouldBanAt) continue;
    const at = Date.parse(`${entry.wouldBanAt.replace(' ', 'T')}Z`) / 1000;
    const index = Math.min(slots - 1, Math.max(0, Math.floor((at - first) / slot)));
    bans[index] = (bans[index] ?? 0) + 1;
  }
  return [xs, failures, bans];
}

function renderChart(): { drawn: boolean; series: number } {
  const host = document.getElementById('chart');
  const data = chartData();
  if (!host || !data) {
    host?.append(el('p', t('No failures to draw.'), 'muted'));
    return { drawn: false, series: 0 };
  }
  const foreground = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-panel-border', '#444');
  const failuresColour = cssVar('--vscode-charts-orange', '#d18616');
  const bansColour = cssVar('--vscode-charts-red', '#f14c4c');
  const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const options: uPlot.Options = {
    width: Math.max(320, host.clientWidth || 800),
    height: 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis, { ...axis, label: t('failures') }],
    series: [
      { label: t('time (container local)') },
      { label: t('failures'), stroke: failuresColour, fill: `${failuresColour}55`, points: { show: false }, paths: uPlot.paths.bars?.({ size: [0.9, 40] }) },
      { label: t('would-be bans'), stroke: bansColour, width: 0, points: { show: true, size: 10, fill: bansColour, stroke: bansColour } },
    ],
  };
  const plot = new uPlot(options, data, host);
  window.addEventListener('resize', () => plot.setSize({ width: Math.max(320, host.clientWidth), height: 240 }));
  return { drawn: host.querySelector('canvas') !== null, series: plot.series.length - 1 };
}

function renderMissed(): void {
  const host = document.getElementById('missed');
  if (!host || report.missedSamples.length === 0) return;
  host.append(el('h2', t('Some missed lines ({0} in all)', report.missed)), el('pre', report.missedSamples.join('\n')));
}

function chartOptions(host: HTMLElement, yLabel: string, series: uPlot.Series[]): uPlot.Options {
  const foreground = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-panel-border', '#444');
  const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: Math.max(320, host.clientWidth || 800),
    height: 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis, { ...axis, label: yLabel }],
    series: [{ label: t('time (container local)') }, ...series],
  };
}

const CHART_COLOURS = ['--vscode-charts-red', '--vscode-charts-blue', '--vscode-charts-yellow', '--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-orange'];
const FALLBACK_COLOURS = ['#f14c4c', '#3794ff', '#cca700', '#b180d7', '#89d185', '#d18616'];

let activityPlot: uPlot | undefined;

/** Ban activity: bans per jail over time (one series each) and unbans in all jails, top addresses/networks. */
function renderActivity(activity: BanActivity, container: string): { drawn: boolean; series: number; rows: number } {
  const title = document.getElementById('activity-title');
  if (title) title.textContent = t('Ban activity in {0}', container);
  const summary = document.getElementById('activity-summary');
  summary?.replaceChildren(el('p', activity.first
    ? t("{0} bans and {1} unbans from {2} to {3} (slots of {4} min; {5} lines of fail2ban's log)", activity.jails.reduce((n, j) => n + j.bans, 0), activity.jails.reduce((n, j) => n + j.unbans, 0), activity.first, activity.last ?? '', activity.slotSeconds / 60, activity.lines)
    : t("No bans in fail2ban's log ({0} lines).", activity.lines), 'muted'));
  const host = document.getElementById('activity-chart');
  activityPlot?.destroy();
  activityPlot = undefined;
  host?.replaceChildren();
  let drawn = false;
  let series = 0;
  const slots = activity.jails[0]?.buckets ?? [];
  if (host && slots.length > 0) {
    const xs = slots.map((bucket) => bucket.start);
    const data: (number | null)[][] = [xs];
    const lines: uPlot.Series[] = [];
    activity.jails.forEach((jail, index) => {
      const colour = cssVar(CHART_COLOURS[index % CHART_COLOURS.length], FALLBACK_COLOURS[index % FALLBACK_COLOURS.length]);
      data.push(jail.buckets.map((bucket) => bucket.bans));
      lines.push({ label: t('bans [{0}]', jail.jail), stroke: colour, width: 2, points: { show: true, size: 6, fill: colour, stroke: colour } });
    });
    const unbanColour = cssVar('--vscode-descriptionForeground', '#9d9d9d');
    data.push(xs.map((_, i) => activity.jails.reduce((n, jail) => n + jail.buckets[i].unbans, 0)));
    lines.push({ label: t('unbans (all jails)'), stroke: unbanColour, width: 1, dash: [4, 4], points: { show: false } });
    activityPlot = new uPlot(chartOptions(host, t('bans per slot'), lines), data as uPlot.AlignedData, host);
    const plot = activityPlot;
    window.addEventListener('resize', () => plot.setSize({ width: Math.max(320, host.clientWidth), height: 240 }));
    drawn = host.querySelector('canvas') !== null;
    series = plot.series.length - 1;
  } else host?.append(el('p', t('No bans to draw.'), 'muted'));
  const fill = (id: string, header: string[], rows: string[][]) => {
    const table = document.getElementById(id) as HTMLTableElement | null;
    if (!table) return;
    const head = table.tHead ?? table.createTHead();
    head.replaceChildren();
    const headRow = head.insertRow();
    for (const label of header) {
      const th = el('th', label);
      th.scope = 'col';
      headRow.append(th);
    }
    const body = table.tBodies[0] ?? table.createTBody();
    body.replaceChildren();
    for (const cells of rows) {
      const row = body.insertRow();
      cells.forEach((cell, i) => row.append(el('td', cell, i > 0 && /^\d+$/.test(cell) ? 'num' : undefined)));
    }
  };
  fill('top-addresses', [t('Address'), t('Bans'), t('Found lines'), t('Jails')], activity.topAddresses.map((a) => [a.ip, String(a.bans), String(a.failures), a.jails.join(', ')]));
  fill('top-networks', [t('Network'), t('Bans'), t('Addresses')], activity.topNetworks.map((n) => [n.network, String(n.bans), String(n.addresses)]));
  return { drawn, series, rows: activity.topAddresses.length };
}

if (page.activity) {
  const shown = renderActivity(page.activity, page.container);
  vscode.postMessage({ type: 'rendered', view: 'activity', rows: shown.rows, chartDrawn: shown.drawn, chartSeries: shown.series, warnings: 0 });
  // the extension posts fresh activity when the Fail2Ban view refreshes
  window.addEventListener('message', (event: MessageEvent<{ type?: string; activity?: BanActivity; container?: string }>) => {
    if (event.data?.type !== 'activity' || !event.data.activity) return;
    const again = renderActivity(event.data.activity, event.data.container ?? page.container);
    vscode.postMessage({ type: 'rendered', view: 'activity', rows: again.rows, chartDrawn: again.drawn, chartSeries: again.series, warnings: 0 });
  });
} else {
  const warnings = renderWarnings();
  renderSummary();
  const chart = renderChart();
  const rows = renderTable();
  renderMissed();
  vscode.postMessage({ type: 'rendered', rows, chartDrawn: chart.drawn, chartSeries: chart.series, warnings });
}
