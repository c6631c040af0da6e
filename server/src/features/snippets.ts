// Snippets, offered by the server where they fit (issue 14.2): only at the start of a line being typed, only in
// the file kind they belong to, section snippets only where no option of the current section follows (so the
// new section never takes over the options below), option snippets only inside a section that does not set
// their keys yet. No snippet shares its label with a key. Bodies are VS Code snippet syntax; a client without
// snippet support gets the plain text (clientCompat).
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { ConfigDocument, SectionNode } from '../parser/model';
import type { FileKind, Range } from '../types';
import { snippetToPlainText } from './clientCompat';
import { isJailKind } from './shared';

export interface SnippetDefinition {
  /** Shown in the list; never the name of an option (a key item carries that label). */
  label: string;
  /** Words the typed prefix is matched against. */
  filterText: string;
  description: string;
  /** jail: fail2ban-jail.cf / jail.local; server: fail2ban-fail2ban.cf / fail2ban.local. */
  fileKind: 'jail' | 'server';
  /**
   * section: starts a new section (at a line start with no option of the current section below);
   * option: lines inside a section (`where` says which).
   */
  placement: 'section' | 'option';
  /** For option snippets: the sections they belong in. */
  where?: 'jail' | 'jail-or-default';
  /** Keys the snippet sets (an option snippet is not offered when the section sets one of them already). */
  sets: readonly string[];
  body: readonly string[];
}

export const SNIPPETS: readonly SnippetDefinition[] = [
  {
    label: 'New jail …',
    filterText: 'jail [jail] new jail',
    description:
      'A new jail with a stock filter (a filter without its filter.d/<name>.conf makes fail2ban skip the jail). In DMS the mail log is /var/log/mail/mail.log (also reachable as /var/log/mail.log).',
    fileKind: 'jail',
    placement: 'section',
    sets: [],
    body: [
      '[${1:postfix-auth}]',
      'enabled = ${2|true,false|}',
      'filter = ${3|postfix[mode=auth],postfix[mode=aggressive],dovecot[mode=aggressive],sieve|}',
      'port = ${4:smtp,465,submission}',
      'logpath = ${5:/var/log/mail/mail.log}',
      'maxretry = ${6:6}',
      'findtime = ${7:1w}',
      'bantime = ${8:1w}',
      '$0',
    ],
  },
  {
    label: 'DMS manual-ban jail [custom]',
    filterText: 'custom [custom] manual ban jail',
    description: "docker-mailserver's manual-ban jail (used by `setup fail2ban ban <IP>`): empty filter `custom`, no logpath.",
    fileKind: 'jail',
    placement: 'section',
    sets: [],
    body: ['# Manual bans: setup fail2ban ban <IP>', '[custom]', 'enabled = true', 'bantime = ${1:180d}', 'port = ${2:smtp,pop3,pop3s,imap,imaps,submission,submissions,sieve}', '$0'],
  },
  {
    label: 'Recidive jail for DMS',
    filterText: 'recidive [recidive] repeat offenders jail',
    description: 'Ban repeat offenders on all ports. In DMS fail2ban logs to /var/log/mail/fail2ban.log and bans with nftables.',
    fileKind: 'jail',
    placement: 'section',
    sets: [],
    body: ['[recidive]', 'enabled = true', 'logpath = /var/log/mail/fail2ban.log', 'banaction = nftables-allports', 'bantime = ${1:4w}', 'findtime = ${2:1d}', 'maxretry = ${3:5}', '$0'],
  },
  {
    label: 'Incremental ban time block',
    filterText: 'bantime.increment increment block',
    description: "Repeat offenders get longer bans (needs fail2ban's database, which DMS keeps by default).",
    fileKind: 'jail',
    placement: 'option',
    where: 'jail-or-default',
    sets: ['bantime.increment', 'bantime.factor', 'bantime.maxtime', 'bantime.overalljails'],
    body: ['bantime.increment = true', 'bantime.factor = ${1:1}', 'bantime.maxtime = ${2:5w}', 'bantime.overalljails = ${3|false,true|}', '$0'],
  },
  {
    label: 'Action with parameters …',
    filterText: 'action[] action with parameters',
    description: "An action line with parameters (overrides the action's [Init] values).",
    fileKind: 'jail',
    placement: 'option',
    where: 'jail',
    sets: ['action'],
    body: ['action = ${1|nftables-allports,nftables-multiport,nftables|}[port="${2:smtp,465,submission}", protocol="${3:tcp}"]', '$0'],
  },
  {
    label: 'Ban action with parameters …',
    filterText: 'banaction[] ban action with parameters',
    description: 'Change the ban action used by the default action (%(action_)s), with parameters.',
    fileKind: 'jail',
    placement: 'option',
    where: 'jail-or-default',
    sets: ['banaction'],
    body: ['banaction = ${1|nftables-allports,nftables-multiport,nftables|}[blocktype=${2|drop,reject|}]', '$0'],
  },
  {
    label: "Extend the filter's failregex",
    filterText: 'failregex+ known/failregex extend',
    description: "Keep the filter's own regexes (%(known/failregex)s) and add more. A plain `failregex =` in a jail REPLACES the filter's list.",
    fileKind: 'jail',
    placement: 'option',
    where: 'jail',
    sets: ['failregex'],
    body: ['failregex = %(known/failregex)s', '            ${1:^my extra rule from <HOST>\\$}', '$0'],
  },
  {
    label: 'Extend ignoreip',
    filterText: 'ignoreip+ known/ignoreip extend',
    description: 'Keep the inherited ignoreip list (DMS: 127.0.0.1/8) and add addresses. Use it in a jail section, never in [DEFAULT].',
    fileKind: 'jail',
    placement: 'option',
    where: 'jail',
    sets: ['ignoreip'],
    body: ['ignoreip = %(known/ignoreip)s ${1:192.168.0.0/16}', '$0'],
  },
  {
    label: 'Server settings [Definition]',
    filterText: '[Definition] definition server settings',
    description: 'fail2ban-fail2ban.cf: server settings (copied to /etc/fail2ban/fail2ban.local).',
    fileKind: 'server',
    placement: 'section',
    sets: [],
    body: ['[Definition]', 'loglevel = ${1|INFO,NOTICE,WARNING,ERROR,DEBUG|}', 'logtarget = ${2:/var/log/mail/fail2ban.log}', '$0'],
  },
];

/** Sections a section snippet creates (`[custom]`, `[recidive]`, `[Definition]`; none for a placeholder name). */
function createdSection(snippet: SnippetDefinition): string | undefined {
  const header = snippet.body.map((line) => /^\[([\w.-]+)\]$/.exec(line)?.[1]).find((name) => name !== undefined);
  return header;
}

/** True when an option of `section` starts below `line` (a new section here would take it over). */
function optionsFollow(section: SectionNode | undefined, line: number): boolean {
  return section?.options.some((option) => option.keyRange.start.line > line) ?? false;
}

/**
 * The snippets offered on a line being typed at `line`, column `character` (0 only), in `section` (undefined
 * above the first header). The caller has checked that the cursor is at a key being typed, not an existing key.
 */
export function offeredSnippets(doc: ConfigDocument, kind: FileKind, section: SectionNode | undefined, line: number, character: number): SnippetDefinition[] {
  if (character !== 0) return [];
  const fileKind = isJailKind(kind) ? 'jail' : 'server';
  return SNIPPETS.filter((snippet) => {
    if (snippet.fileKind !== fileKind) return false;
    if (snippet.placement === 'section') {
      const creates = createdSection(snippet);
      // a walk over the sections rather than a set of their names: a big file has thousands, asked per keystroke
      return !optionsFollow(section, line) && !(creates && doc.sections.some((s) => s.name === creates));
    }
    if (!section || section.name === 'INCLUDES') return false;
    if (snippet.where === 'jail' && section.name === 'DEFAULT') return false;
    return !snippet.sets.some((key) => section.options.some((o) => o.name === key));
  });
}

/** Completion items of `snippets`, each replacing `replace`. */
export function snippetItemsOf(snippets: readonly SnippetDefinition[], replace: Range, group: number): CompletionItem[] {
  return snippets.map((snippet) => ({
    label: snippet.label,
    kind: CompletionItemKind.Snippet,
    detail: 'snippet',
    documentation: { kind: MarkupKind.Markdown, value: `${snippet.description}\n\n\`\`\`\n${snippetToPlainText(snippet.body.join('\n')).trimEnd()}\n\`\`\`` },
    sortText: `${group}_${snippet.label}`,
    filterText: snippet.filterText,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: { start: { ...replace.start }, end: { ...replace.end } }, newText: snippet.body.join('\n') },
  }));
}
