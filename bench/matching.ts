/**
 * Matching benchmark: `npx tsx bench/matching.ts` (optionally followed by sizes, e.g. `500 1000`).
 *
 * For dense seeded pools of n juniors × n seniors it times our whole `matchPool` and our solver
 * alone against the `munkres` package solving the very same score matrix, checks both optima are
 * equal, and shows how much a greedy and a random valid pairing lose against the optimum.
 *
 * Timing (see `benchSize`): every contender runs once untimed at each size, then in rounds, in
 * an order that rotates from round to round; each figure is the median of its rounds. Memory
 * comes from one separate matchPool run, after a full garbage collection.
 *
 * munkres minimises a cost and must assign min(rows, cols) cells, so it gets cost = −score with
 * forbidden pairs at 0 (score 0): a forbidden cell then never beats an allowed one, and dropping
 * zero cells afterwards yields the best matching over allowed pairs, exactly as our solver does.
 * (±Infinity for forbidden cells would force infinite cells into the assignment whenever allowed
 * pairs alone cannot cover every row.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { munkres } from 'munkres';
import { solveAssignment } from '../src/domain/matching/assignment.js';
import {
  DEFAULT_WEIGHTS,
  matchPool,
  type Cadence,
  type Candidate,
  type Format,
  type MatchingOptions,
} from '../src/domain/matching/index.js';
import { buildScoreMatrix, type ScoreMatrix } from '../src/domain/matching/matrix.js';
import { splitPool } from '../src/domain/matching/pool.js';
import { compileProfiles } from '../src/domain/matching/profiles.js';
import { createFold } from '../src/domain/matching/text.js';

const DEFAULT_SIZES = [500, 1000, 3000];
const SEED = 20_240_601;

// ---------------------------------------------------------------- seeded pool generation

/** Marsaglia's xorshift32: tiny, fast and identical on every machine; quality is plenty for test data. */
function createRandom(seed: number): Random {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

type Random = () => number;

const DIGITAL_SKILLS = [
  'LinkedIn', 'Instagram', 'TikTok', 'YouTube', 'Podcasting', 'IA générative', 'ChatGPT', 'Prompt engineering',
  'Notion', 'Slack workflows', 'Canva', 'Figma', 'Video editing', 'No-code automation', 'Personal branding',
  'Cybersecurity hygiene', 'Data visualisation', 'Spreadsheets tips', 'Remote collaboration', 'Emojis & memes',
];
const BUSINESS_SKILLS = [
  'Negotiation', 'Public speaking', 'Stakeholder management', 'Budgeting', 'Strategy', 'Leadership',
  'Customer relations', 'Company history', 'Internal networks', 'Project governance', 'Hiring', 'Feedback',
  'Conflict resolution', 'Sales', 'Procurement', 'Risk management', 'Board reporting', 'Mentoring',
  'Career planning', 'Change management',
];
const LANGUAGES = ['English', 'Français', 'Deutsch', 'Español'];
const DEPARTMENTS = Array.from({ length: 20 }, (_, k) => `Department ${k + 1}`);
const FORMAT_CHOICES: readonly Format[] = ['either', 'either', 'video', 'video', 'in_person'];
const CADENCE_CHOICES: readonly Cadence[] = ['weekly', 'biweekly', 'biweekly', 'triweekly', 'monthly'];
/** Mostly European offices, some Americas and Asia. */
const OFFSETS = [0, 60, 60, 60, 120, 60, -300, -240, -420, 330, 480, 540];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen;
}

function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Most people speak English; 1–3 languages each. */
function languagesFor(random: Random): string[] {
  const count = between(random, 1, 3);
  const first = random() < 0.85 ? 'English' : pick(random, LANGUAGES);
  return [first, ...sample(random, LANGUAGES.filter((l) => l !== first), count - 1)];
}

function candidate(random: Random, role: 'junior' | 'senior', index: number): Candidate {
  const [teaches, wants] = role === 'junior' ? [DIGITAL_SKILLS, BUSINESS_SKILLS] : [BUSINESS_SKILLS, DIGITAL_SKILLS];
  const id = `${role === 'junior' ? 'j' : 's'}${String(index).padStart(5, '0')}`;
  return {
    id,
    userId: `U${id.toUpperCase()}`,
    role,
    name: id,
    department: pick(random, DEPARTMENTS),
    managerUserId: null,
    languages: languagesFor(random),
    shares: sample(random, teaches, between(random, 1, 4)),
    learns: sample(random, wants, between(random, 1, 3)),
    format: pick(random, FORMAT_CHOICES),
    cadence: pick(random, CADENCE_CHOICES),
    utcOffsetMinutes: pick(random, OFFSETS),
    available: true,
  };
}

interface BenchPool {
  readonly candidates: Candidate[];
  readonly options: MatchingOptions;
}

/** n juniors and n seniors; 10 % of juniors report to a senior of the pool; n/2 previous pairs. */
function generatePool(size: number, seed: number): BenchPool {
  const random = createRandom(seed);
  const juniors = Array.from({ length: size }, (_, k) => candidate(random, 'junior', k));
  const seniors = Array.from({ length: size }, (_, k) => candidate(random, 'senior', k));
  for (const junior of juniors) if (random() < 0.1) junior.managerUserId = pick(random, seniors).userId;
  for (const senior of seniors) if (random() < 0.3) senior.managerUserId = pick(random, seniors.slice(0, 20)).userId;
  const excludedPairs = new Set<string>();
  while (excludedPairs.size < size / 2) excludedPairs.add(`${pick(random, juniors).id}:${pick(random, seniors).id}`);
  return {
    candidates: [...juniors, ...seniors],
    options: { allowSameDepartment: false, weights: DEFAULT_WEIGHTS, excludedPairs },
  };
}

// ---------------------------------------------------------------- measuring

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Timed<T> {
  readonly value: T;
  readonly ms: number;
  /** Growth of the process's peak resident set during the call (MB). */
  readonly peakRssMb: number;
  /** Heap + array buffers still reachable or not yet collected right after the call (MB). */
  readonly heapMb: number;
}

/** Memory and time of one call, from a freshly collected heap. */
function measure<T>(run: () => T): Timed<T> {
  collectGarbage();
  const peakBefore = process.resourceUsage().maxRSS;
  const memoryBefore = process.memoryUsage();
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  const memoryAfter = process.memoryUsage();
  const heap = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers;
  return {
    value,
    ms,
    peakRssMb: (process.resourceUsage().maxRSS - peakBefore) / 1024,
    heapMb: (heap(memoryAfter) - heap(memoryBefore)) / 2 ** 20,
  };
}

function assignedTotal(matrix: ScoreMatrix, pairs: Iterable<readonly [number, number]>): number {
  let total = 0;
  for (const [row, col] of pairs) total += matrix.scores[row * matrix.cols + col]!;
  return total;
}

function* rowPairs(rowCol: Int32Array): Generator<[number, number]> {
  for (let row = 0; row < rowCol.length; row++) yield [row, rowCol[row]!];
}

function toMunkresCosts(matrix: ScoreMatrix): number[][] {
  const costs: number[][] = [];
  for (let row = 0; row < matrix.rows; row++) {
    const line = new Array<number>(matrix.cols);
    for (let col = 0; col < matrix.cols; col++) line[col] = -matrix.scores[row * matrix.cols + col]!;
    costs.push(line);
  }
  return costs;
}

/**
 * Best remaining pair first. Scores are multiples of 2⁻²⁰ no greater than 1, so score·2²⁰
 * and the cell index pack exactly into one double, and one native typed-array sort orders all cells.
 */
function greedyTotal(matrix: ScoreMatrix): number {
  const cells = matrix.rows * matrix.cols;
  const cellSpan = 2 ** Math.ceil(Math.log2(cells + 1));
  const keys = new Float64Array(cells);
  for (let cell = 0; cell < cells; cell++) keys[cell] = matrix.scores[cell]! * 2 ** 20 * cellSpan + cell;
  keys.sort();
  const rowUsed = new Uint8Array(matrix.rows);
  const colUsed = new Uint8Array(matrix.cols);
  let total = 0;
  for (let k = cells - 1; k >= 0; k--) {
    const cell = keys[k]! % cellSpan;
    const score = matrix.scores[cell]!;
    if (score <= 0) break;
    const row = Math.floor(cell / matrix.cols);
    const col = cell % matrix.cols;
    if (rowUsed[row] || colUsed[col]) continue;
    rowUsed[row] = 1;
    colUsed[col] = 1;
    total += score;
  }
  return total;
}

function shuffled(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, k) => k);
  for (let k = count - 1; k > 0; k--) {
    const other = Math.floor(random() * (k + 1));
    [order[k], order[other]] = [order[other]!, order[k]!];
  }
  return order;
}

/** A random valid pairing: rows in random order, each takes a random still-free allowed column. */
function randomTotal(matrix: ScoreMatrix, random: Random): number {
  const colUsed = new Uint8Array(matrix.cols);
  let total = 0;
  for (const row of shuffled(matrix.rows, random)) {
    const offset = Math.floor(random() * matrix.cols);
    for (let step = 0; step < matrix.cols; step++) {
      const col = (offset + step) % matrix.cols;
      const score = matrix.scores[row * matrix.cols + col]!;
      if (colUsed[col] || score <= 0) continue;
      colUsed[col] = 1;
      total += score;
      break;
    }
  }
  return total;
}

// ---------------------------------------------------------------- one size

interface Row {
  size: string;
  matchPoolMs: number;
  solverMs: number;
  munkresMs: number;
  ratio: number;
  sameOptimum: boolean;
  optimum: number;
  proposals: number;
  peakRssMb: number;
  heapMb: number;
  greedy: number;
  random: number;
}

/** Rounds per size: odd, for a plain median; small sizes are cheap to repeat. */
function roundsFor(size: number): number {
  return size <= 500 ? 31 : size <= 1000 ? 15 : 5;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/**
 * Rounds run the three contenders back to back, starting one place later each round, so none
 * of them always runs right after another. The median of each contender's rounds is its
 * figure: on a shared machine, a busy moment shifts a few rounds, not the median.
 *
 * No collection is forced between timed runs: each contender meets the collections its own
 * allocations cause, as in real use. A forced full collection before each run (as this bench
 * once did, for its memory figures) left matchPool's next run, which reads thousands of small
 * objects, up to twice as slow on a shared 2-core machine (11 ms vs 12–22 ms medians at
 * 500×500 in the same minutes) and munkres, which reads a few big arrays, as fast: it
 * measured the collection more than the code.
 */
function benchSize(size: number): Row {
  const { candidates, options } = generatePool(size, SEED + size);
  const pool = splitPool(candidates);
  const matrix = buildScoreMatrix(compileProfiles(pool.juniors, pool.seniors, createFold()), options);
  const costs = toMunkresCosts(matrix);
  // Each contender's run is timed alone; the total of its pairing is taken afterwards, and only
  // totals are kept between runs (results held for the whole size would slow every collection).
  const contenders: (() => { total: number; ms: number })[] = [
    () => {
      const { value, ms } = timed(() => matchPool(candidates, options));
      return { total: value.totalScore, ms };
    },
    () => {
      const { value, ms } = timed(() => solveAssignment(matrix.scores, matrix.rows, matrix.cols));
      return { total: assignedTotal(matrix, rowPairs(value)), ms };
    },
    () => {
      const { value, ms } = timed(() => munkres(costs));
      return { total: assignedTotal(matrix, value), ms };
    },
  ];
  const memory = measure(() => matchPool(candidates, options));
  for (const run of contenders) run();
  const runs = contenders.map(() => [] as { total: number; ms: number }[]);
  for (let round = 0; round < roundsFor(size); round++) {
    for (let step = 0; step < contenders.length; step++) {
      const which = (round + step) % contenders.length;
      runs[which]!.push(contenders[which]!());
    }
  }
  const [wholeRuns, solverRuns, munkresRuns] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
  const optimum = memory.value.totalScore;
  const totals = runs.flat().map((r) => r.total);
  const wholeMs = median(wholeRuns.map((r) => r.ms));
  const munkresMs = median(munkresRuns.map((r) => r.ms));
  return {
    size: `${size}×${size}`,
    matchPoolMs: wholeMs,
    solverMs: median(solverRuns.map((r) => r.ms)),
    munkresMs,
    ratio: wholeMs / munkresMs,
    sameOptimum: totals.every((total) => total === optimum),
    optimum,
    proposals: memory.value.proposals.length,
    peakRssMb: memory.peakRssMb,
    heapMb: memory.heapMb,
    greedy: greedyTotal(matrix) / optimum,
    random: randomTotal(matrix, createRandom(SEED)) / optimum,
  };
}

function printTable(rows: readonly Row[]): void {
  const header = [
    'pool', 'matchPool ms', 'our solver ms', 'munkres ms', 'matchPool/munkres', 'same optimum', 'optimum',
    'pairs', 'peak RSS +MB', 'heap+buffers +MB', 'greedy/opt', 'random/opt',
  ];
  const lines = rows.map((r) => [
    r.size, r.matchPoolMs.toFixed(0), r.solverMs.toFixed(0), r.munkresMs.toFixed(0), `${r.ratio.toFixed(2)}×`,
    r.sameOptimum ? 'yes' : 'NO', r.optimum.toFixed(4), String(r.proposals), r.peakRssMb.toFixed(0),
    r.heapMb.toFixed(0), `${(r.greedy * 100).toFixed(2)} %`, `${(r.random * 100).toFixed(2)} %`,
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  const format = (cells: readonly string[]): string => cells.map((c, k) => c.padStart(widths[k]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

/** Compiles the hot paths of both contenders before anything is timed, so no size pays for the JIT. */
function warmUp(): void {
  const { candidates, options } = generatePool(300, SEED);
  const pool = splitPool(candidates);
  const matrix = buildScoreMatrix(compileProfiles(pool.juniors, pool.seniors, createFold()), options);
  for (let run = 0; run < 8; run++) {
    matchPool(candidates, options);
    solveAssignment(matrix.scores, matrix.rows, matrix.cols);
    munkres(toMunkresCosts(matrix));
  }
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  warmUp();
  const rows: Row[] = [];
  for (const size of sizes.length > 0 ? sizes : DEFAULT_SIZES) {
    const row = benchSize(size);
    rows.push(row);
    console.log(`measured ${row.size}`);
  }
  console.log(
    `\nNode ${process.version}, seed ${SEED}, default weights, same department not allowed; ` +
      `times are medians of rounds in rotating order (31 up to 500, 15 up to 1,000, 5 above), memory is from a separate matchPool run\n`,
  );
  printTable(rows);
  if (rows.some((r) => !r.sameOptimum)) process.exitCode = 1;
}

main();
