/**
 * Sandbox benchmark: `npx tsx bench/sandbox.ts`.
 *
 * 1. Ready time: from launching `tandem sandbox` (a new process, on a new database, so the demo
 *    company is seeded through the real enrolment modal) to the address printed as its last line;
 *    then the same on the existing database (a second start, nothing to seed). Then startSandbox()
 *    alone, in this process (modules loaded): the sandbox's own share of that time.
 * 2. Click-to-update in the page, in headless Chromium: a click on the Home tab's button that opens
 *    the enrolment modal, until the modal is drawn; and `/tandem status` typed in the composer, until
 *    its reply (only visible to you) is drawn. Each is the whole round trip a visitor waits for:
 *    page → sandbox → signed request to the bot → Web API call to the stand-in → page.
 * Reports the median and the 95th percentile of each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/logger.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import { launchChromium } from '../test/support/browser.js';

const ROUNDS = 25;
const cli = join(process.cwd(), 'src', 'cli.ts');
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

interface Started {
  url: string;
  ms: number;
  stop(): Promise<void>;
}

function startProcess(cwd: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(tsx, [cli, 'sandbox'], { cwd, env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'error' } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const last = out.trimEnd().split('\n').at(-1) ?? '';
      if (out.endsWith('\n') && /^http:\/\/localhost:\d+$/.test(last)) {
        resolve({
          url: last,
          ms: performance.now() - t0,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${out}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'tandem-bench-sandbox-'));
  try {
    const first = await startProcess(cwd);
    await first.stop();
    const second = await startProcess(cwd);
    console.log(`sandbox ready: ${ms(first.ms)} on a new database (demo company seeded), ${ms(second.ms)} on the existing one (process start to address printed, tsx included)`);
    const fresh: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const databasePath = join(cwd, `in-process-${i}.sqlite`);
      for (const into of [fresh, again]) {
        const t0 = performance.now();
        const sandbox = await startSandbox({ env: {}, port: 0, databasePath, logger: createLogger('error', 'bench') });
        into.push(performance.now() - t0);
        await sandbox.close();
      }
    }
    console.log(`startSandbox() in process: median ${ms(median(fresh))} on a new database (seeding included), ${ms(median(again))} on an existing one (5 rounds)`);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${second.url}/?as=U0AMELIE`);
      const join = page.locator('#home [data-bk-action="open_enrolment"]');
      await join.waitFor();
      const clicks: number[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const t0 = performance.now();
        await join.click();
        await page.locator('.modal[data-view]').waitFor();
        clicks.push(performance.now() - t0);
        await page.locator('.modal-x').click();
        await page.locator('.modal[data-view]').waitFor({ state: 'detached' });
      }
      await page.locator('[data-tab="messages"]').click();
      const replies: number[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const before = await page.locator('.message.ephemeral').count();
        const t0 = performance.now();
        await page.fill('#composer-input', '/tandem status');
        await page.press('#composer-input', 'Enter');
        await page.locator('.message.ephemeral').nth(before).waitFor();
        replies.push(performance.now() - t0);
      }
      console.log(`click to modal drawn (Home tab button → views.open): median ${ms(median(clicks))}, p95 ${ms(p95(clicks))} over ${ROUNDS}`);
      console.log(`command to reply drawn (/tandem status → ephemeral reply): median ${ms(median(replies))}, p95 ${ms(p95(replies))} over ${ROUNDS}`);
    } finally {
      await browser.close();
      await second.stop();
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

await main();
