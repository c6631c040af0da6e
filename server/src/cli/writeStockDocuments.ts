// Build step (scripts/build.mjs bundles and runs it): writes the CLI's parsed stock documents to the path given.
import { writeFileSync } from 'node:fs';
import { serializeStockDocuments } from './stockDocuments';

writeFileSync(process.argv[2], serializeStockDocuments());
