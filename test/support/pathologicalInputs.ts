// Input shapes that would expose a parser doing more than linear work: long lines, many lines, long values,
// lines that never close. Used by the deterministic linearity test (test/unit/parser/pathological.test.ts,
// counting work) and by the timing figures of `npm run bench` (bench/linearity.ts).

export interface PathologicalShape {
  title: string;
  /** The input at `size` (characters or lines, as the shape defines it). */
  makeInput: (size: number) => string;
  /** The size of the LARGE input. */
  size: number;
}

function realisticJailFile(lineCount: number): string {
  const block = '[jail]\nenabled = true\nmode = extra ; note\nfailregex = ^a <HOST>\n            ^b <HOST>\n\n# c\nmaxretry = 3\n';
  const blockLines = 8;
  let text = '';
  for (let i = 0; i * blockLines < lineCount; i++) text += block.replace('[jail]', `[jail${i}]`);
  return text;
}

export const PATHOLOGICAL_SHAPES: readonly PathologicalShape[] = [
  { title: '1 MB of [', makeInput: (n) => '['.repeat(n), size: 1_000_000 },
  { title: 'a 100k-character line of ;-separated values (no inline comment)', makeInput: (n) => '[a]\nx = ' + 'a;'.repeat(n / 2), size: 100_000 },
  { title: 'a 100k-character header that never closes', makeInput: (n) => '[' + 'x'.repeat(n), size: 100_000 },
  { title: 'a 100k-character line of ] after [', makeInput: (n) => '[a]\n[' + ']'.repeat(n), size: 100_000 },
  { title: 'a key followed by 100k spaces', makeInput: (n) => '[a]\nk' + ' '.repeat(n) + '= v', size: 100_000 },
  { title: '100k delimiters', makeInput: (n) => '[a]\nk' + '='.repeat(n), size: 100_000 },
  { title: 'a 12k-line realistic file', makeInput: realisticJailFile, size: 12_000 },
  { title: 'one value with 50k continuation lines', makeInput: (n) => '[a]\nx = 1\n' + '  y\n'.repeat(n), size: 50_000 },
  { title: '50k blank lines inside a value', makeInput: (n) => '[a]\nx = 1\n' + '\n'.repeat(n) + '  y\n', size: 50_000 },
  { title: '20k invalid lines (one problem each)', makeInput: (n) => '[a]\n' + 'bad line\n'.repeat(n), size: 20_000 },
  { title: '20k duplicate options and sections', makeInput: (n) => '[a]\n' + 'x = 1\n[a]\n'.repeat(n / 2), size: 20_000 },
];
