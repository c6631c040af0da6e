// The report page of the jail lab webview (no `vscode` import: rendered in a plain browser by the tests).
// Strict CSP: only the nonce'd bundle runs; the report travels as inert JSON.
import { randomBytes } from 'node:crypto';
import type { BanActivity, JailTestReport } from '../../../server/src/shared';
import { t } from '../l10n';
import { labWebviewText } from './webviewText';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON safe inside a <script type="application/json"> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export interface WebviewResources {
  /** webview.cspSource */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** vscode.env.language: the page's lang attribute (its texts come translated). */
  language?: string;
}

function contentSecurityPolicy(resources: WebviewResources, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${resources.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${resources.cspSource} data:`,
    `font-src ${resources.cspSource}`,
  ].join('; ');
}

/** The page head both lab pages share: the locked-down CSP, the bundle's stylesheet and a title. */
function pageHead(resources: WebviewResources, nonce: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(resources.language ?? 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(resources, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(resources.styleUri)}" nonce="${nonce}">
<title>${title}</title>
</head>`;
}

export function reportHtml(resources: WebviewResources, report: JailTestReport, sourceLabel: string, canUnban: boolean): string {
  const nonce = randomBytes(16).toString('base64');
  const script = escapeHtml(resources.scriptUri);
  const where = report.source.where === 'container' ? `${report.source.container}:${report.source.logPath}` : t('{0} (local)', report.source.logPath);
  return `${pageHead(resources, nonce, escapeHtml(t('[{0}] jail test', report.jail)))}
<body>
<main>
<h1>${escapeHtml(t('[{0}] against {1}', report.jail, where))}</h1>
<p class="source">${escapeHtml(t('Configuration: {0} with all layers · real fail2ban-regex', sourceLabel))}</p>
<section id="warnings" aria-label="${escapeHtml(t('Warnings'))}"></section>
<section id="summary" aria-label="${escapeHtml(t('Summary'))}"></section>
<section aria-label="${escapeHtml(t('Timeline'))}">
<h2>${escapeHtml(t('Failures over time'))}</h2>
<div id="chart" role="img" aria-label="${escapeHtml(t('Failures per time slot and would-be bans'))}"></div>
</section>
<section aria-label="${escapeHtml(t('Addresses'))}">
<h2>${escapeHtml(t('Addresses'))}</h2>
<table id="ips"><caption class="visually-hidden">${escapeHtml(t('Failures per address; column headers sort'))}</caption><thead></thead><tbody></tbody></table>
</section>
<section id="missed" aria-label="${escapeHtml(t('Missed lines'))}"></section>
</main>
<script type="application/json" id="report-data">${scriptJson({ report, canUnban, text: labWebviewText() })}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Ban activity from fail2ban's log, drawn by the same webview bundle (updated by postMessage). */
export function activityHtml(resources: WebviewResources, activity: BanActivity, container: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `${pageHead(resources, nonce, escapeHtml(t('Ban activity')))}
<body>
<main>
<h1 id="activity-title">${escapeHtml(t('Ban activity in {0}', container))}</h1>
<section id="activity-summary" aria-label="${escapeHtml(t('Summary'))}"></section>
<section aria-label="${escapeHtml(t('Bans over time'))}">
<h2>${escapeHtml(t("Bans and unbans over time (fail2ban's log)"))}</h2>
<div id="activity-chart" role="img" aria-label="${escapeHtml(t('Bans per jail and unbans per time slot'))}"></div>
</section>
<div class="columns">
<section aria-label="${escapeHtml(t('Top addresses'))}"><h2>${escapeHtml(t('Most banned addresses'))}</h2><table id="top-addresses"><thead></thead><tbody></tbody></table></section>
<section aria-label="${escapeHtml(t('Top networks'))}"><h2>${escapeHtml(t('Most banned networks'))}</h2><table id="top-networks"><thead></thead><tbody></tbody></table></section>
</div>
</main>
<script type="application/json" id="report-data">${scriptJson({ activity, container, text: labWebviewText() })}</script>
<script nonce="${nonce}" src="${escapeHtml(resources.scriptUri)}"></script>
</body>
</html>`;
}
