// The report page of the jail lab webview (no `vscode` import: rendered in a plain browser by the tests).
// Strict CSP: only the nonce'd bundle runs; the report travels as inert JSON.
import { randomBytes } from 'node:crypto';
import type { JailTestReport } from '../../../server/src/shared';

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
}

export function reportHtml(resources: WebviewResources, report: JailTestReport, sourceLabel: string, canUnban: boolean): string {
  const nonce = randomBytes(16).toString('base64');
  const script = escapeHtml(resources.scriptUri);
  const style = escapeHtml(resources.styleUri);
  const csp = [
    "default-src 'none'",
    `style-src ${resources.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${resources.cspSource} data:`,
    `font-src ${resources.cspSource}`,
  ].join('; ');
  const where = report.source.where === 'container' ? `${report.source.container}:${report.source.logPath}` : `${report.source.logPath} (local)`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>[${escapeHtml(report.jail)}] jail test</title>
</head>
<body>
<main>
<h1>[${escapeHtml(report.jail)}] against ${escapeHtml(where)}</h1>
<p class="source">Configuration: ${escapeHtml(sourceLabel)} with all layers · real fail2ban-regex</p>
<section id="warnings" aria-label="Warnings"></section>
<section id="summary" aria-label="Summary"></section>
<section aria-label="Timeline">
<h2>Failures over time</h2>
<div id="chart" role="img" aria-label="Failures per time slot and would-be bans"></div>
</section>
<section aria-label="Addresses">
<h2>Addresses</h2>
<table id="ips"><caption class="visually-hidden">Failures per address; column headers sort</caption><thead></thead><tbody></tbody></table>
</section>
<section id="missed" aria-label="Missed lines"></section>
</main>
<script type="application/json" id="report-data">${scriptJson({ report, canUnban })}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
