// The CLI's build-time stock documents (dist/stock-documents.json): each is exactly parseDocument's result, and a
// check that uses them reports what a check that parses reports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serializeStockDocuments, stockDocumentLookup, stockFiles } from '../../../server/src/cli/stockDocuments';
import { usePrebuiltStockDocuments } from '../../../server/src/context/sources';
import { checkDocument } from '../../../server/src/engine';
import { parseDocument } from '../../../server/src/parser/parse';
import { dmsJailLocal } from '../../../server/src/knowledge/dms';
import type { ConfigDocument } from '../../../server/src/parser/model';

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

  it('give back exactly what parseDocument gives for each path and text', () => {
    assert.ok(lookup);
    for (const { path, text } of files) assert.deepStrictEqual(lookup(path, text), parseDocument(text, { fail2banPath: path }), path);
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

  it('are not a lookup when the bytes are not such a file', () => {
    assert.equal(stockDocumentLookup(Buffer.from('not json\n{}')), undefined);
    assert.equal(stockDocumentLookup(Buffer.from('')), undefined);
  });

  it('are what the engine asks for before it parses a stock file', () => {
    const served: string[] = [];
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
    } finally {
      usePrebuiltStockDocuments(undefined);
    }
  });
});
