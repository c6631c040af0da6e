// What the in-process figures time, bundled by bench/shippedEngine.ts as the CLI and the language server ship it.
export { userFilePath } from '../server/src/context';
export { checkDocument, checkParsed } from '../server/src/engine';
export { IncrementalChecker } from '../server/src/incremental';
export { reparse } from '../server/src/incrementalParse';
export { dmsJailLocal } from '../server/src/knowledge/dms';
export { parseDocument } from '../server/src/parser/parse';
