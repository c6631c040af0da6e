// Node flags the language server runs with (the extension passes them as execArgv; `npm run bench` measures
// with them). Without them V8 lets the heap of a server checking a 12k-line file grow to 200–550 MB RSS although
// its live heap stays near 15 MB; a smaller young generation and a capped old space keep it near 130 MB at the
// same edit latency. The old-space cap is sized for the worst shape below the size cap (server/src/sizeCap.ts): 100k
// two-line sections need about 410 MB of heap to be answered (measured: 400 MB aborts, 416 MB answers), so 576 MB
// leaves 40% headroom; real configs stay far below (a 1 MB file holds about 50 MB live).
// Young generation 2 MB per semi-space (was 8): the checks' short-lived objects die young either way, and the
// server with the 12k-line file open after edits and completions sits ~10 MB lower (~108 → ~97 MB RSS) at the same
// CPU time per edit (npm run bench, issue 12).
// --v8-pool-size=1 (one V8 worker thread for concurrent marking and optimising compiles instead of four): with the
// 12k-line file open after the edits and completions the server sits ~5–7 MB lower (~91 → ~85 MB RSS, medians of
// interleaved runs) at a lower CPU time per edit (threads that each keep their own malloc arena and a share of the
// work). Measured alternatives (issue 12): adding --single-threaded-gc ~1–2 MB less again, within the noise, but
// then marking and scavenges run on the main thread only (edit latency on an idle multi-core machine); --single-
// threaded ~83 MB but optimising compiles run on the main thread too (completion and edit worst cases up to ~20 and
// ~190 ms); --optimize-for-size ~76 MB but +50% CPU per edit; --heap-growing-percent=20 and --max-semi-space-size=1
// within the noise; 4 or 8 MB semi-spaces +5/+13 MB. The 100k-section file below is still answered, also under a
// 416 MB old space (peak RSS ~410 MB). --v8-pool-size is a Node option: Electron's node (ELECTRON_RUN_AS_NODE, how
// VS Code forks the server) takes Node's options except the OpenSSL/FIPS ones.
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=576', '--v8-pool-size=1'];
