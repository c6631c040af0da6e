// Node flags the language server runs with (the extension passes them as execArgv; `npm run bench` measures
// with them). Without them V8 lets the heap of a server checking a 12k-line file grow to 200–550 MB RSS although
// its live heap stays near 15 MB; a smaller young generation and a capped old space keep it near 130 MB at the
// same edit latency. 384 MB is far above what any real config needs (a 1 MB file holds about 50 MB live).
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--max-old-space-size=384'];
