// The CLI's build-time stock documents (dist/stock-documents.json): each reads, field for field, as parseDocument's
// result, a check reads none of the fields the file leaves to a parse, and it reports what a check that parses reports.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  readStockDocuments,
  serializeStockDocuments,
  stockDocumentLookup,
  stockFiles,
  storedDocumentsParsedInFull,
} from '../../../server/src/cli/stockDocuments';
import { usePrebuiltStockDocuments } from '../../../server/src/context/sources';
import { checkDocument } from '../../../server/src/engine';
import { parseDocument } from '../../../server/src/parser/parse';
import { dmsJailLocal } from '../../../server/src/knowledge/dms';
import type { ConfigDocument } from '../../../server/src/parser/model';

/** `actual` read through every field `expected` has (getters included), as plain data to compare with `expected`. */
function readAs(actual: unknown, expected: unknown): unknown {
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) return actual;
  if (Array.isArray(expected)) return Array.isArray(actual) ? expected.map((item, index) => readAs(actual[index], item)) : actual;
  const source = actual as Record<string, unknown>;
  return Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, readAs(source[key], value)]));
}

describe('stock documents parsed at build time', () => {
  const files = stockFiles();
  const lookup = stockDocumentLookup(serializeStockDocuments(files));

  it('cover jail.conf of every modelled fail2ban version and DMS jail.local', () => {
    const paths = new Set(files.map((file) => file.path));
    for (const path of ['/etc/fail2ban/jail.conf', '/etc/fail2ban/paths-common.conf', '/etc/fail2ban/jail.local', '/etc/fail2ban/fail2ban.conf']) {
      assert.ok(paths.has(path), path);
    }
    assert.ok(files.filter((file) => file.path === '/etc/fail2ban/jail.conf').length >= 2);
  });

  it('read, field for field, as what parseDocument gives for each path and text', () => {
    assert.ok(lookup);
    for (const { path, text } of files) {
      // the model's plain shape (parse nodes are classes whose toJSON gives it): the fields a reader sees
      const expected: unknown = JSON.parse(JSON.stringify(parseDocument(text, { fail2banPath: path })));
      assert.deepStrictEqual(readAs(lookup(path, text), expected), expected, path);
    }
  });

  it('hold the section and option names and values without a parse; any other field parses the text once', () => {
    assert.ok(lookup);
    const jailConf = files.find((file) => file.path === '/etc/fail2ban/jail.conf');
    assert.ok(jailConf);
    const expected = parseDocument(jailConf.text, { fail2banPath: jailConf.path });
    const before = storedDocumentsParsedInFull();
    const doc = lookup(jailConf.path, jailConf.text);
    assert.ok(doc);
    const namesAndValues = (d: ConfigDocument) => d.sections.map((s) => [s.name, s.options.map((o) => [o.name, o.value])]);
    assert.deepStrictEqual(namesAndValues(doc), namesAndValues(expected));
    assert.equal(doc.text, jailConf.text);
    assert.equal(storedDocumentsParsedInFull(), before);
    assert.deepStrictEqual(doc.sections[1].options[2].range, expected.sections[1].options[2].range);
    assert.deepStrictEqual(doc.lines, expected.lines);
    assert.equal(storedDocumentsParsedInFull(), before + 1);
  });

  it('have nothing for a text they do not hold, even of the same path and length', () => {
    assert.ok(lookup);
    const jailLocal = dmsJailLocal('v15.1.0');
    const changed = jailLocal.replace('bantime = 1w', 'bantime = 2w');
    assert.notEqual(changed, jailLocal);
    assert.equal(changed.length, jailLocal.length);
    assert.equal(lookup('/etc/fail2ban/jail.local', changed), undefined);
    assert.equal(lookup('/etc/fail2ban/jail.d/other.local', jailLocal), undefined);
  });

  it('read from the file give what the bytes give', () => {
    const bytes = serializeStockDocuments(files);
    const dir = mkdtempSync(join(tmpdir(), 'dms-stock-docs-'));
    const file = join(dir, 'stock-documents.json');
    writeFileSync(file, bytes);
    const fromFile = readStockDocuments(file);
    assert.ok(fromFile && lookup);
    for (const { path, text } of files) assert.deepStrictEqual(fromFile(path, text), lookup(path, text), path);
    // a file cut short: the documents past its end are not found (they are then parsed), the ones before still are
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
    const cut = readStockDocuments(truncated);
    assert.ok(cut);
    const last = files[files.length - 1];
    assert.equal(cut(last.path, last.text), undefined);
    assert.deepStrictEqual(cut(files[0].path, files[0].text), lookup(files[0].path, files[0].text));
    assert.equal(readStockDocuments(join(dir, 'missing.json')), undefined);
  });

  it('are not a lookup when the bytes are not such a file', () => {
    assert.equal(stockDocumentLookup(Buffer.from('not json\n{}')), undefined);
    assert.equal(stockDocumentLookup(Buffer.from('')), undefined);
  });

  it('are what the engine asks for before it parses a stock file', () => {
    const served: string[] = [];
    const parsedBefore = storedDocumentsParsedInFull();
    usePrebuiltStockDocuments((path, text) => {
      const doc: ConfigDocument | undefined = lookup?.(path, text);
      if (doc) served.push(path);
      return doc;
    });
    try {
      // the engine parses each stock text once per process: a combination no other test here checks
      const diagnostics = checkDocument('[postfix]\nmaxretry = x\n', { kind: 'dms-jail', fail2banVersion: '1.1.1', dmsVersion: 'v16' });
      assert.ok(diagnostics.some((d) => d.range.start.line === 1), JSON.stringify(diagnostics));
      assert.deepEqual(served.sort(), ['/etc/fail2ban/jail.conf', '/etc/fail2ban/jail.local', '/etc/fail2ban/paths-common.conf', '/etc/fail2ban/paths-debian.conf']);
      // the context and the rules read no field of a stock document the file leaves to a parse
      assert.equal(storedDocumentsParsedInFull(), parsedBefore);
    } finally {
      usePrebuiltStockDocuments(undefined);
    }
  });
});
