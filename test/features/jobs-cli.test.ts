import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readable } from '../support/flows.js';
import { activePair, postsWith, waitForPosts } from '../support/followup-flows.js';
import { FACILITATOR_CHANNEL, type Harness, SIGNING_SECRET, useTandem } from '../support/tandem-harness.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npx tandem jobs run …` as a process of its own, on the harness's database and stand-in. */
async function jobsRun(h: Harness, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: h.standIn.apiUrl,
    FACILITATOR_CHANNEL_ID: FACILITATOR_CHANNEL,
    DATABASE_URL: h.config.databaseUrl,
    LOG_LEVEL: 'error',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'jobs', 'run', ...args], { cwd: root, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npx tandem jobs run', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('makes one pass as of the instant given, delivers what it queued, and sends nothing twice beside the bot or another run', async () => {
    const pair = await activePair(h);
    // The test programme lives in 2027: its instants are in the future, which needs saying.
    const refused = await jobsRun(h, '--at', '2027-03-15T09:00:00Z');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is in the future');
    expect(await h.store.db.selectFrom('checkin_prompt').selectAll().execute()).toEqual([]);
    const before = await jobsRun(h, '--at', '2027-03-15T08:59:00Z', '--future');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('0 check-in prompts or closing surveys');
    // Two runs at once, while the bot (this process) runs the same pass.
    const { runPass } = await import('../../src/jobs/pass.js');
    h.clock.now = new Date('2027-03-15T09:00:00Z');
    const [a, b] = await Promise.all([jobsRun(h, '--at', '2027-03-15T09:00:00Z', '--future'), jobsRun(h, '--future', '--at', '2027-03-15T10:00:00+01:00'), runPass(h.tandem.deps, h.clock.now)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/Delivered \d+ message/);
    await waitForPosts(h, pair, 'followup_met');
    await new Promise((r) => setTimeout(r, 200));
    expect(postsWith(h, pair, 'followup_met')).toHaveLength(1);
    expect(await h.store.db.selectFrom('checkin_prompt').selectAll().execute()).toHaveLength(1);
    expect(readable(postsWith(h, pair, 'followup_met')[0] as never)).toContain('Check-in time');
  }, 90_000);

  it('refuses an instant that is not ISO-8601, saying what to give', async () => {
    const bad = await jobsRun(h, '--at', 'tomorrow');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an ISO-8601 instant');
    const dateOnly = await jobsRun(h, '--at', '2027-03-15');
    expect(dateOnly.code).toBe(2);
    expect(await h.store.db.selectFrom('checkin_prompt').selectAll().execute()).toEqual([]);
  }, 60_000);
});
