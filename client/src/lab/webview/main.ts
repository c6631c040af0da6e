// The jail report's webview script (bundled by esbuild for the browser). Reads the report from the page,
// draws the summary, warnings, a sortable table and the uPlot timeline; posts actions and "rendered".
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { IpSummary, JailTestReport } from '../../../../server/src/shared/lab';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();

const { report, canUnban } = JSON.parse(document.getElementById('report-data')?.textContent ?? '{}') as { report: JailTestReport; canUnban: boolean };

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
    ['lines', String(report.lines)], ['matched', String(report.matched)], ['ignored', String(report.ignored)], ['missed', String(report.missed)],
    ['failures', String(report.failures)], ['addresses', String(report.ips.length)], ['would ban', String(report.wouldBan.length)],
    ['maxretry / findtime', `${report.maxretry} / ${report.findtimeSeconds} s`],
  ];
  for (const [label, value] of items) {
    const item = el('div');
    item.append(el('dt', label), el('dd', value));
    list.append(item);
  }
  host.append(list);
  if (report.ignoreip.length) host.append(el('p', `ignoreip: ${report.ignoreip.join(' ')}`, 'muted'));
}

type SortKey = 'ip' | 'failures' | 'first' | 'last' | 'wouldBan';
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'ip', label: 'Address' }, { key: 'failures', label: 'Failures' }, { key: 'first', label: 'First' },
  { key: 'last', label: 'Last' }, { key: 'wouldBan', label: 'Would ban' },
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
  const actionsHeader = el('th', 'Actions');
  actionsHeader.scope = 'col';
  headRow.append(actionsHeader);
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren();
  for (const entry of [...report.ips].sort(compare)) {
    const row = body.insertRow();
    if (entry.wouldBan) row.className = 'ban';
    row.append(el('td', entry.ip), el('td', String(entry.failures), 'num'), el('td', entry.first), el('td', entry.last));
    row.append(el('td', entry.ignoredBy ? `no — ignoreip ${entry.ignoredBy}` : entry.wouldBan ? `yes, at ${entry.wouldBanAt ?? ''}` : 'no'));
    const actions = el('td');
    const action = (label: string, type: string, title: string) => {
      const button = el('button', label);
      button.type = 'button';
      button.title = title;
      button.setAttribute('aria-label', `${title} ${entry.ip}`);
      button.addEventListener('click', () => vscode.postMessage({ type, ip: entry.ip }));
      actions.append(button);
    };
    if (canUnban) action('Unban', 'unban', 'Unban');
    action('Never ban', 'ignore', 'Add to ignoreip:');
    action('Copy', 'copy', 'Copy');
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
    host?.append(el('p', 'No failures to draw.', 'muted'));
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
    axes: [axis, { ...axis, label: 'failures' }],
    series: [
      { label: 'time (container local)' },
      { label: 'failures', stroke: failuresColour, fill: `${failuresColour}55`, points: { show: false }, paths: uPlot.paths.bars?.({ size: [0.9, 40] }) },
      { label: 'would-be bans', stroke: bansColour, width: 0, points: { show: true, size: 10, fill: bansColour, stroke: bansColour } },
    ],
  };
  const plot = new uPlot(options, data, host);
  window.addEventListener('resize', () => plot.setSize({ width: Math.max(320, host.clientWidth), height: 240 }));
  return { drawn: host.querySelector('canvas') !== null, series: plot.series.length - 1 };
}

function renderMissed(): void {
  const host = document.getElementById('missed');
  if (!host || report.missedSamples.length === 0) return;
  host.append(el('h2', `Some missed lines (${report.missed} in all)`), el('pre', report.missedSamples.join('\n')));
}

const warnings = renderWarnings();
renderSummary();
const chart = renderChart();
const rows = renderTable();
renderMissed();
vscode.postMessage({ type: 'rendered', rows, chartDrawn: chart.drawn, chartSeries: chart.series, warnings });
