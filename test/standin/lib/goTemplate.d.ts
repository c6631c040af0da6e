// Types for goTemplate.js (what tests import).
export class TemplateError extends Error {}
/** Renders a docker --format template against a JSON value or a stand-in row context. */
export function render(template: string, root: unknown): string;
/** Throws TemplateError for templates the stand-in cannot evaluate (before any output). */
export function check(template: string): void;
/** Go's json.Marshal (HTML-escaped <, >, &), with optional indent. */
export function goJson(value: unknown, indent?: number, options?: { sortKeys?: boolean }): string;
/** How Go's fmt prints a value inside {{…}}. */
export function goPrint(value: unknown): string;
