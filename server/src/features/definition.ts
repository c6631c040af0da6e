// Go to definition for %(var)s: the option it names in this file (the same section, else [DEFAULT];
// `sect/opt` in that section). Definitions in stock/DMS files are not shown (they are not on disk here).
import type { Location } from 'vscode-languageserver-types';
import type { ConfigDocument, OptionNode } from '../parser/model';
import type { Position } from '../types';
import { optionAtLine } from './shared';

function findOption(doc: ConfigDocument, section: string, name: string): OptionNode | undefined {
  let found: OptionNode | undefined;
  for (const s of doc.sections) {
    if (s.name !== section) continue;
    for (const o of s.options) if (o.name === name) found = o;
  }
  return found;
}

export function computeDefinition(doc: ConfigDocument, position: Position, uri: string): Location[] {
  try {
    const owner = optionAtLine(doc, position.line);
    if (!owner) return [];
    const line = doc.lines[position.line] ?? '';
    const pattern = /%\(([^)]*)\)s/g;
    for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
      if (position.character < m.index || position.character > m.index + m[0].length) continue;
      const reference = m[1];
      const slash = reference.indexOf('/');
      let target: OptionNode | undefined;
      if (slash >= 0) {
        const scope = reference.slice(0, slash);
        const name = reference.slice(slash + 1).toLowerCase();
        if (scope.toLowerCase() === 'known') return []; // the earlier value lives in a stock/DMS file
        target = findOption(doc, scope.toLowerCase() === 'default' ? 'DEFAULT' : scope, name);
      } else {
        const name = reference.toLowerCase();
        target = findOption(doc, owner.section.name, name) ?? findOption(doc, 'DEFAULT', name);
      }
      if (!target) return [];
      return [{ uri, range: { start: { ...target.keyRange.start }, end: { ...target.keyRange.end } } }];
    }
    return [];
  } catch {
    return [];
  }
}
