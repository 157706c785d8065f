/**
 * Chart benchmark: `npx tsx bench/chart.ts` — renders the 36-month, four-series activity chart
 * many times and prints the median and 95th percentile per stage (layout, paint, PNG encoding),
 * after a warm-up, with the PNG's size.
 */
import { layoutActivityChart, SERIES_COLOURS, type ActivityChartInput } from '../src/domain/chart/layout.js';
import { monthLabels } from '../src/domain/chart/months.js';
import { paintActivityChart } from '../src/domain/chart/render.js';

const MONTHS = 36;
const RUNS = 300;
const WARM_UP = 50;

const months = Array.from({ length: MONTHS }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
const labels = ['meetings logged', 'pairs active', 'check-ins answered', 'escalations'];
const input: ActivityChartInput = {
  title: 'Activité du programme, 36 derniers mois',
  months: monthLabels(months, 'fr'),
  series: labels.map((label, s) => ({
    label,
    colour: SERIES_COLOURS[s]!,
    values: months.map((_, i) => ((i + 1) * (s * 7 + 3)) % 41),
  })),
  emptyText: 'Pas encore d’activité',
  locale: 'fr',
};

const stages = { layout: [] as number[], paint: [] as number[], encode: [] as number[], total: [] as number[] };
let bytes = 0;
for (let run = 0; run < WARM_UP + RUNS; run++) {
  const t0 = performance.now();
  const layout = layoutActivityChart(input);
  const t1 = performance.now();
  const canvas = paintActivityChart(layout);
  const t2 = performance.now();
  bytes = canvas.toPng().length;
  const t3 = performance.now();
  if (run < WARM_UP) continue;
  stages.layout.push(t1 - t0);
  stages.paint.push(t2 - t1);
  stages.encode.push(t3 - t2);
  stages.total.push(t3 - t0);
}

const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]!;
console.log(`${MONTHS} months × ${labels.length} series, ${RUNS} runs, PNG ${bytes} bytes`);
for (const [stage, values] of Object.entries(stages)) {
  console.log(`${stage.padEnd(7)} median ${quantile(values, 0.5).toFixed(2)} ms   p95 ${quantile(values, 0.95).toFixed(2)} ms`);
}
