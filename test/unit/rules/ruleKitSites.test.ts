// The rules' site index (server/src/rules/ruleKit.ts): the parser's option nodes are their own sites, lists by name
// are chained and merged by position, marker lists come from what the tokenizer noted. Every answer must equal the
// plain walk over the document's options in file order, for parsed documents and for hand-made ones.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ConfigDocument, OptionNode, SectionNode } from '../../../server/src/parser/model';
import { parseDocument } from '../../../server/src/parser/parse';
import type { RuleContext } from '../../../server/src/rules/rule';
import { sitesNamed, sitesWithMarker, userOptions, type OptionSite, type ValueMarker } from '../../../server/src/rules/ruleKit';
import { pick, seededRandom } from '../../support/random';

const NAMES = ['enabled', 'port', 'filter', 'action', 'logpath', 'bantime', 'findtime', 'maxretry', 'ignoreip', 'backend', 'mode', 'x1', 'x2'];
const VALUES = ['true', '1h', 'a # b', 'x;y', 'v ; comment', '%(known/port)s', '%(a)s;%(b)s #c', '%', '(%', 'plain value that is long', '%\n  (x', ';', '#'];

function randomDocument(seed: number): string {
  const next = seededRandom(seed);
  const lines: string[] = ['[DEFAULT]'];
  for (let index = 0; index < 300; index++) {
    const roll = next();
    if (roll < 0.08) lines.push(`[jail-${Math.floor(next() * 40)}]`);
    else if (roll < 0.12) lines.push('  continued #1 ; c');
    else if (roll < 0.14) lines.push('# a comment');
    else lines.push(`${next() < 0.1 ? pick(next, NAMES).toUpperCase() : pick(next, NAMES)} = ${pick(next, VALUES)}`);
  }
  return lines.join('\n');
}

/** The document's options as sites, in file order, the plain way. */
function plainSites(doc: ConfigDocument): { section: SectionNode; option: OptionNode }[] {
  return doc.sections.flatMap((section) => section.options.map((option) => ({ section, option })));
}

function assertSameSites(actual: readonly OptionSite[], expected: readonly { section: SectionNode; option: OptionNode }[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: count`);
  actual.forEach((site, index) => {
    assert.equal(site.option, expected[index].option, `${what}: option ${index}`);
    assert.equal(site.section, expected[index].section, `${what}: section ${index}`);
  });
}

/** A copy of the document made of plain objects (not the parser's nodes): the index makes its own sites for it. */
function handMade(doc: ConfigDocument): ConfigDocument {
  const sections = doc.sections.map((section) => ({ ...JSON.parse(JSON.stringify(section)), options: section.options.map((option) => JSON.parse(JSON.stringify(option)) as OptionNode) }) as SectionNode);
  return { ...doc, sections };
}

/** userOptions reads only the document of its rule context. */
function contextOf(doc: ConfigDocument): RuleContext {
  return { doc } as unknown as RuleContext;
}

function checkIndex(doc: ConfigDocument, seed: number): void {
  const ctx = contextOf(doc);
  const all = plainSites(doc);
  assertSameSites(userOptions(ctx), all, 'all');
  const next = seededRandom(seed);
  for (let round = 0; round < 40; round++) {
    // one name, a few (merged), many (sorted or filtered), repeats and names the document lacks
    const count = pick(next, [1, 2, 3, 5, 8, 9, 12]);
    const names = Array.from({ length: count }, () => (next() < 0.1 ? 'missing' : pick(next, NAMES)));
    const wanted = new Set(names);
    assertSameSites(userOptions(ctx, names), all.filter((site) => wanted.has(site.option.name)), `names ${names.join(',')}`);
    assertSameSites(userOptions(ctx, wanted), all.filter((site) => wanted.has(site.option.name)), `set ${names.join(',')}`);
  }
  for (const name of [...NAMES, 'missing']) assertSameSites(sitesNamed(doc, name), all.filter((site) => site.option.name === name), `named ${name}`);
  for (const marker of ['%(', '#', ';'] as ValueMarker[]) {
    assertSameSites(sitesWithMarker(doc, marker), all.filter((site) => site.option.value.includes(marker)), `marker ${marker}`);
  }
}

describe("the rules' site index", () => {
  it('lists, names and marks the options of parsed documents as a plain walk does, in file order', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const doc = parseDocument(randomDocument(seed));
      checkIndex(doc, seed);
      // the parser's nodes are their own sites: no object made for each
      for (const site of userOptions(contextOf(doc))) assert.equal(site, site.option);
    }
  });

  it('does the same for documents made of plain objects', () => {
    for (let seed = 21; seed <= 26; seed++) {
      const doc = handMade(parseDocument(randomDocument(seed)));
      checkIndex(doc, seed);
      const [first] = userOptions(contextOf(doc));
      assert.notEqual(first, first.option);
    }
  });
});
