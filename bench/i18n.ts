/**
 * Message formatting benchmark: `npx tsx bench/i18n.ts`.
 *
 * t() runs about a dozen times per reply and for every line of a dashboard. This formats every
 * message of both catalogues (each argument given a value of its type) in rounds, after one warm-up
 * round that parses them all, and reports the median cost of one call and the cost of the first
 * parse of the whole catalogue.
 */
import { performance } from 'node:perf_hooks';
import { argumentTypes, catalogues, compile, locales, t, type Locale, type MessageKey, type Vars } from '../src/i18n/index.js';

const sample = { number: 3, string: 'other', date: new Date('2027-06-09T12:00:00Z'), text: 'Alice' } as const;
const calls: { locale: Locale; key: MessageKey; vars: Vars }[] = [];
for (const locale of locales) {
  for (const [key, message] of Object.entries(catalogues[locale]) as [MessageKey, string][]) {
    const vars: Vars = {};
    for (const [name, type] of argumentTypes(compile(locale, message).getAst())) vars[name] = sample[type];
    calls.push({ locale, key, vars });
  }
}

const start = performance.now();
for (const { locale, key, vars } of calls) t(locale, key, vars);
const firstRound = performance.now() - start;

const ROUNDS = 41;
const perCall: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const begin = performance.now();
  for (const { locale, key, vars } of calls) t(locale, key, vars);
  perCall.push(((performance.now() - begin) * 1000) / calls.length);
}
perCall.sort((a, b) => a - b);
const median = perCall[Math.floor(ROUNDS / 2)] ?? 0;
console.log(`i18n: ${calls.length} messages; first round (parse + format) ${firstRound.toFixed(1)} ms; t() median ${median.toFixed(2)} µs per call (min ${perCall[0]?.toFixed(2)}, max ${perCall[ROUNDS - 1]?.toFixed(2)})`);
