// Markdown hover texts assembled from the knowledge tables (one function per kind of name).
import { DEFAULT_DMS_VERSION, DEFAULT_FAIL2BAN_VERSION, type DmsVersion, type Fail2banVersion } from '../types';
import { DMS_ACTION_NOTES, actionInfo, isIncludeOnlyAction } from './actions';
import { backend } from './backends';
import { dmsRelease } from './dms';
import { filterInfo } from './filters';
import { interpolationVar } from './interpolationVars';
import { jailOption, jailOptionOutsideVersion } from './jailOptions';
import { serverOption } from './serverOptions';
import { stockJail } from './stockJails';

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const BAD_VALUE_TEXT = {
  fatal: 'a bad value stops fail2ban (it does not run in DMS)',
  'jail-dropped': 'a bad value makes fail2ban skip this jail',
  ignored: 'fail2ban does not check the value',
  coerced: 'a bad value is silently converted (no message)',
} as const;

/**
 * Remembers the hover text of each known name per version: completion lists render ~100 of them per request.
 * Unknown names (undefined) are not kept, so the cache stays as small as the knowledge tables.
 */
function rememberKnown(render: (name: string, version: Fail2banVersion) => string | undefined) {
  const cache = new Map<string, string>();
  return (name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string | undefined => {
    const key = version + '\u0000' + name;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const text = render(name, version);
    if (text !== undefined) cache.set(key, text);
    return text;
  };
}

export const jailOptionHover = rememberKnown(function renderJailOptionHover(name: string, version: Fail2banVersion): string | undefined {
  const o = jailOption(name, version);
  if (!o) {
    const other = jailOptionOutsideVersion(name, version);
    return other ? `**${other.name}** — not read by fail2ban ${version}.\n\n${other.doc}` : undefined;
  }
  const facts = [
    o.stockDefault !== undefined ? `Stock default: ${code(o.stockDefault)}` : undefined,
    o.kind === 'filter' ? 'Filter option (overrides the filter\'s value)' : undefined,
    o.readWhen === 'always' ? 'Read for every jail, enabled or not' : undefined,
    `On error: ${BAD_VALUE_TEXT[o.badValue]}`,
  ].filter(Boolean);
  return `**${o.name}** (${o.type})\n\n${o.doc}\n\n${facts.map((f) => `- ${f}`).join('\n')}`;
});

export function serverOptionHover(name: string, section = 'Definition'): string | undefined {
  const o = serverOption(name, section);
  if (!o) return undefined;
  const stock = o.stockValue === null ? 'commented out in fail2ban.conf' : code(o.stockValue);
  return `**${o.name}** ([${o.section}], ${o.type})\n\n${o.doc}\n\n- Stock: ${stock}\n- On error: ${BAD_VALUE_TEXT[o.badValue]}`;
}

export const filterHover = rememberKnown(function renderFilterHover(name: string, version: Fail2banVersion): string | undefined {
  const f = filterInfo(name, version);
  if (!f) return undefined;
  const lines = [`**filter.d/${f.name}.conf** — ${f.description || 'stock filter'}`];
  if (f.modeHasEffect && f.modes) lines.push(`Modes: ${f.modes.map(code).join(', ')} (default ${code(f.defaultMode ?? 'normal')})`);
  else lines.push('`mode` has no effect on this filter.');
  if (!f.hasFailregex) lines.push('Has no `failregex`: a jail using it never matches anything (include helper or DMS manual-ban filter).');
  if (f.journalmatch) lines.push(`journalmatch: ${code(f.journalmatch)}`);
  return lines.join('\n\n');
});

export const actionHover = rememberKnown(function renderActionHover(name: string, version: Fail2banVersion): string | undefined {
  const a = actionInfo(name, version);
  if (!a) return undefined;
  const file = a.python ? `action.d/${a.name}` : `action.d/${a.name}.conf`;
  const lines = [`**${file}** — ${a.description || 'stock action'}`];
  if (a.dmsNote) lines.push(DMS_ACTION_NOTES[a.dmsNote]);
  if (isIncludeOnlyAction(a.name)) lines.push('Include helper: not meant to be used as an action on its own.');
  const params = Object.entries(a.init).filter(([k]) => !k.includes('?'));
  if (params.length) {
    const shown = params.slice(0, 12).map(([k, v]) => `${code(k)} = ${v.length > 60 ? code(v.slice(0, 57) + '...') : code(v)}`);
    lines.push(`Parameters: ${shown.join(', ')}${params.length > 12 ? ', …' : ''}`);
  }
  return lines.join('\n\n');
});

export const backendHover = rememberKnown(function renderBackendHover(name: string, version: Fail2banVersion): string | undefined {
  const b = backend(name, version);
  if (!b) return undefined;
  const params = b.params.length ? `\n\nParameters: ${b.params.map((p) => code(p.name)).join(', ')}` : '';
  return `**backend ${b.name}**\n\n${b.doc}${params}`;
});

export function stockJailHover(
  name: string,
  version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION,
  dmsVersion: DmsVersion = DEFAULT_DMS_VERSION,
): string | undefined {
  const j = stockJail(name, version);
  const dms = dmsRelease(dmsVersion);
  const enabledByDms = dms.jailLocal.enabledJails.includes(name);
  if (!j) {
    return name === 'custom'
      ? `**[custom]** — DMS's manual-ban jail (\`setup fail2ban ban <IP>\`): empty filter, no logpath, bantime 180d. Enabled by DMS ${dms.releases}.`
      : undefined;
  }
  const lines = [
    `**[${j.name}]** — stock jail of fail2ban ${version}${enabledByDms ? `, enabled by DMS ${dms.releases}` : ' (disabled unless you set `enabled = true`)'}`,
    `- filter: ${code(j.filter)}\n- port: ${code(j.port)}\n- logpath: ${j.logpath.length ? j.logpath.map(code).join(', ') : '(none)'}\n- backend: ${code(j.backend)}`,
  ];
  const backendOption = j.options.backend;
  if (j.backend.startsWith('systemd') && backendOption?.includes('%(')) {
    lines.push(
      `In fail2ban ${version} this jail's ${code(`backend = ${backendOption}`)} resolves to \`systemd\` (paths-debian.conf). ` +
        'DMS runs no journald: on that backend the jail reads an empty journal and never bans. ' +
        (enabledByDms
          ? `DMS ${dms.releases} enables it as shipped; add \`backend = auto\` to [${j.name}] in fail2ban-jail.cf so it reads /var/log/mail/mail.log.`
          : `If you enable it in DMS, also set \`backend = auto\`.`),
    );
  }
  return lines.join('\n\n');
}

export function interpolationVarHover(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string | undefined {
  const v = interpolationVar(name, version);
  if (!v) return undefined;
  const value = v.defaults[version] ?? '';
  const shown = value.length > 120 ? value.slice(0, 117) + '...' : value;
  return `**%(${v.name})s** — ${v.source}\n\n${v.doc}\n\nStock value: ${code(shown)}`;
}
