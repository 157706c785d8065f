/**
 * The sandbox page in a real browser (headless Chromium): a visitor takes a pair through the whole
 * programme, acting as each person in turn, and every message and modal Tandem sends on the way
 * renders without an "unsupported" placeholder. The screenshot in the README is taken here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { renderBlocks, renderMessage, UNSUPPORTED_CLASS } from '../../src/sandbox/render/blocks.js';
import { demoPerson } from '../../src/sandbox/demo-company.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { launchChromium } from '../support/browser.js';

/** Kept in the repository: the README shows it. */
const SCREENSHOT = fileURLToPath(new URL('./sandbox-screenshot.png', import.meta.url));
const AMELIE = 'U0AMELIE';
const HENRI = 'U0HENRI';
const CAMILLE = 'U0CAMILLE';

describe('the sandbox page in a browser', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-journey-'));
    // A fixed start, so that the screenshot shows the same dates at each run and stays unchanged in git.
    sandbox = await startSandbox({ env: { LOG_LEVEL: 'error' }, port: 0, databasePath: join(dir, 'sandbox.sqlite'), logger: createLogger('error', 'test'), startAt: new Date('2027-03-01T08:00:00Z') });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${sandbox.url}/?as=${AMELIE}`);
    await page.locator('#home').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const modal = () => page.locator('.modal[data-view]');

  async function nothingUnsupported(): Promise<void> {
    expect(await page.locator(`.${UNSUPPORTED_CLASS}`).count()).toBe(0);
  }

  async function actAs(personId: string): Promise<void> {
    await page.selectOption('#person', personId);
    // The card under the switcher shows the person once the page has their snapshot.
    await page.locator('#me', { hasText: demoPerson(personId)?.title ?? personId }).waitFor();
  }

  async function open(name: string): Promise<void> {
    await page.locator('nav a', { hasText: name }).first().click();
    await page.locator('#title', { hasText: name.split(',')[0] ?? name }).waitFor();
  }

  /** Runs a command from the Tandem app's Messages tab, as Slack users do in the app's DM. */
  async function run(text: string): Promise<void> {
    await page.locator('nav a', { hasText: 'Tandem' }).last().click();
    await page.locator('[data-tab="messages"]').click();
    await page.fill('#composer-input', text);
    await page.press('#composer-input', 'Enter');
  }

  /** Sets a modal field by action id, whatever element renders it. */
  async function choose(actionId: string, values: string | string[]): Promise<void> {
    const element = modal().locator(`[data-bk-action="${actionId}"]`).first();
    const list = Array.isArray(values) ? values : [values];
    const tag = await element.evaluate((el) => el.tagName);
    if (tag === 'SELECT') await element.selectOption(list);
    else if (tag === 'INPUT' || tag === 'TEXTAREA') await element.fill(list[0] ?? '');
    else for (const value of list) await element.locator(`input[value="${value}"]`).check();
  }

  async function submit(): Promise<void> {
    await modal().locator('[data-submit]').click();
  }

  /** Submits the last step of a form: Tandem closes the modal, or shows a last view to close. */
  async function submitLast(): Promise<void> {
    const id = await modal().getAttribute('data-view');
    await submit();
    await page.locator(`.modal[data-view="${id}"] [data-bk-action]`).first().waitFor({ state: 'detached' });
    if ((await modal().count()) > 0) {
      expect(await modal().locator('.bk-error').count()).toBe(0);
      await nothingUnsupported();
      await modal().locator('.modal-x').click();
    }
    await modal().waitFor({ state: 'detached' });
  }

  async function enrol(person: string, role: 'junior' | 'senior', values: { shares: string[]; learns: string[]; department: string }): Promise<void> {
    await actAs(person);
    await run('/tandem join');
    await modal().waitFor();
    await choose('role', role);
    await choose('shares', values.shares);
    await choose('learns', values.learns);
    await choose('department', values.department);
    await choose('languages', ['fr']);
    await choose('motivation', role === 'junior' ? 'Comprendre comment on négocie un grand compte.' : 'Je veux enfin comprendre les réseaux sociaux.');
    await choose('consent', 'yes');
    await submitLast();
    await nothingUnsupported();
  }

  it('shows a modal error next to its field, as Slack does, and keeps what was typed', async () => {
    await run('/tandem join');
    await modal().waitFor();
    await nothingUnsupported();
    await choose('role', 'junior');
    await choose('department', 'Marketing');
    await choose('motivation', 'x'.repeat(10));
    await submit();
    const error = modal().locator('.bk-input .bk-error').first();
    await error.waitFor();
    // The error sits in the block of the field it is about, under that field.
    const block = error.locator('xpath=ancestor::div[contains(@class, "bk-input")][1]');
    expect(await block.locator('.bk-label').textContent()).not.toBe('');
    expect(await block.locator('.bk-has-error').count()).toBe(1);
    expect(await modal().locator('[data-bk-action="department"]').inputValue()).toBe('Marketing');
    await modal().locator('.modal-x').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('takes a pair from enrolment to a logged meeting, acting as each person in turn', async () => {
    try {
      await journey();
    } catch (error) {
      await page.screenshot({ path: join(dir, '..', 'tandem-journey-failure.png') });
      throw error;
    }
  }, 120_000);

  async function journey(): Promise<void> {
    await enrol(AMELIE, 'junior', { shares: ['social_media', 'generative_ai'], learns: ['negotiation', 'client_relations'], department: 'Marketing' });
    await enrol(HENRI, 'senior', { shares: ['negotiation', 'client_relations'], learns: ['social_media', 'generative_ai'], department: 'Sales' });

    // The facilitator runs matching; the proposals reach the private facilitators' channel.
    await actAs(CAMILLE);
    await run('/tandem match');
    await open('tandem-facilitators');
    const ids = await sandbox.store.db.selectFrom('participant').select(['id', 'slack_user_id']).where('slack_user_id', 'in', [AMELIE, HENRI]).execute();
    const proposed = await sandbox.store.db
      .selectFrom('pair')
      .select('id')
      .where('junior_id', '=', ids.find((p) => p.slack_user_id === AMELIE)?.id ?? 0)
      .where('senior_id', '=', ids.find((p) => p.slack_user_id === HENRI)?.id ?? 0)
      .executeTakeFirstOrThrow();
    const approve = page.locator(`[data-bk-block="proposal:${proposed.id}"] [data-bk-action="proposal_approve"], [data-bk-block="proposal:${proposed.id}"][data-bk-action="proposal_approve"]`);
    await approve.waitFor();
    expect(await page.locator('.message', { has: approve }).textContent()).toContain('Henri');
    await nothingUnsupported();
    await approve.click();

    // Both partners accept in their group DM.
    for (const [person, partner] of [
      [AMELIE, 'Henri'],
      [HENRI, 'Amélie'],
    ] as const) {
      await actAs(person);
      await open(`${partner}, Tandem`);
      const accept = page.locator('[data-bk-action="introduction_accept"]').last();
      await accept.waitFor();
      await nothingUnsupported();
      await accept.click();
    }

    // Henri writes the contract, and rates his starting levels.
    await page.locator('[data-bk-action="contract_open"]').last().waitFor();
    await page.locator('[data-bk-action="contract_open"]').last().click();
    await modal().waitFor();
    await nothingUnsupported();
    await choose('senior_objectives', 'Publier sur LinkedIn chaque semaine\nUtiliser une IA pour résumer un appel d’offres');
    await choose('junior_objectives', 'Préparer une négociation\nConduire un rendez-vous client');
    await choose('means', 'Pratique sur de vrais dossiers, et un rendez-vous client observé chaque mois');
    await choose('ground_rules', 'agreed');
    await submit();
    await modal().locator('[data-bk-action^="level_"]').first().waitFor();
    await nothingUnsupported();
    for (const level of await modal().locator('[data-bk-action^="level_"]').all()) await choose((await level.getAttribute('data-bk-action')) ?? '', '2');
    await submitLast();

    // Amélie signs.
    await actAs(AMELIE);
    await open('Henri, Tandem');
    await page.locator('[data-bk-action="contract_sign"]').last().waitFor();
    await page.locator('[data-bk-action="contract_sign"]').last().click();
    await modal().waitFor();
    await nothingUnsupported();
    for (const level of await modal().locator('[data-bk-action^="level_"]').all()) await choose((await level.getAttribute('data-bk-action')) ?? '', '1');
    await submitLast();
    const contract = await sandbox.store.db.selectFrom('pair').select('status').where('status', '=', 'active').execute();
    expect(contract.length).toBe(1);

    // The calendar file arrives in her DM with Tandem, to download.
    await page.locator('nav a', { hasText: 'Tandem' }).last().click();
    await page.locator('[data-tab="messages"]').click();
    await page.locator('.file', { hasText: '.ics' }).first().waitFor();

    // The clock moves to the check-in: the prompt reaches the pair, and Amélie answers "We met".
    await page.click('#clock-checkin');
    await open('Henri, Tandem');
    const met = page.locator('[data-bk-action="followup_met"]').last();
    await met.waitFor();
    await nothingUnsupported();
    await met.click();
    await modal().waitFor();
    await nothingUnsupported();
    await choose('topics', 'Mon premier post LinkedIn, et la préparation du rendez-vous Durand');
    for (const progress of await modal().locator('[data-bk-action^="progress_"]').all()) {
      const options = await progress.locator('option').evaluateAll((els) => els.map((e) => e.getAttribute('value') ?? '').filter(Boolean));
      await progress.selectOption(options[1] ?? options[0] ?? '');
    }
    await choose('rating', '5');
    await choose('flow', 'both');
    await submitLast();
    const checkins = await sandbox.store.db.selectFrom('checkin').select('id').execute();
    expect(checkins.length).toBe(1);

    // The Home tabs show it: Amélie's names her partner and the meeting.
    await page.locator('nav a', { hasText: 'Tandem' }).last().click();
    await page.locator('[data-tab="home"]').click();
    await page.locator('#home', { hasText: 'Henri' }).waitFor();
    await nothingUnsupported();
    await open('Henri, Tandem');
    await page.locator('.message').last().scrollIntoViewIfNeeded();
    await page.locator('#toast').waitFor({ state: 'hidden' });
    await page.screenshot({ path: SCREENSHOT });

    // The facilitator's Home tab has the programme dashboard.
    await actAs(CAMILLE);
    await page.locator('[data-tab="home"]').click();
    await page.locator('#home [data-bk-action="home_run_matching"]').waitFor();
    await nothingUnsupported();
  }

  it('renders every message and view Tandem sent, in every command, without an unsupported placeholder', async () => {
    async function reply(text: string): Promise<void> {
      const before = await page.locator('.message.ephemeral').count();
      await run(text);
      await page.locator('.message.ephemeral').nth(before).waitFor();
      await nothingUnsupported();
    }
    async function modalOf(text: string): Promise<void> {
      await run(text);
      await modal().waitFor();
      await nothingUnsupported();
      await modal().locator('.modal-x').click();
      await modal().waitFor({ state: 'detached' });
    }

    await actAs(CAMILLE);
    for (const text of ['/tandem', '/tandem escalations', '/tandem nonsense']) await reply(text);
    await modalOf('/tandem program');
    // The stats, and their chart posted as a PNG to the facilitators' channel, shown in the page.
    await reply('/tandem stats');
    await page.locator('[data-bk-action="stats_post_chart"]').last().click();
    await open('tandem-facilitators');
    const chart = page.locator('img.file-image').last();
    await chart.waitFor();
    await page.waitForFunction((img) => img !== null && 'naturalWidth' in img && Number(img.naturalWidth) > 0, await chart.elementHandle());

    await actAs(AMELIE);
    for (const text of ['/tandem status', '/tandem export']) await reply(text);
    for (const text of ['/tandem concern', '/tandem checkin', '/tandem contract']) await modalOf(text);
    // The export is a JSON file to download, from her DM with Tandem only.
    const download = page.locator('.file', { hasText: '.json' }).last().locator('a[download]');
    await download.waitFor();
    const href = (await download.getAttribute('href')) ?? '';
    const file = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(JSON.parse(file)).toBeTypeOf('object');
    const someoneElse = (await fetch(`${sandbox.url}${href.replace(AMELIE, 'U0MARC')}`)).status;
    expect(someoneElse).toBe(404);

    // Everything the stand-in received, whoever it was for, through the same renderer.
    const viewer = { locale: 'en-US', timeZone: 'Europe/Paris', now: new Date(), userName: () => 'someone', channelName: () => 'somewhere' };
    const ctx = { viewer, optional: '(optional)', people: [], channels: [] };
    let rendered = 0;
    for (const call of sandbox.standIn.calls) {
      const view = call.args.view as { blocks?: unknown } | undefined;
      const html = view ? renderBlocks(view.blocks, ctx) : ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url', 'command_ack'].includes(call.method) ? renderMessage(call.args, ctx) : '';
      if (html.includes(UNSUPPORTED_CLASS)) throw new Error(`${call.method} renders with an unsupported part: ${html.slice(html.indexOf(UNSUPPORTED_CLASS) - 100, html.indexOf(UNSUPPORTED_CLASS) + 100)}`);
      if (html) rendered += 1;
    }
    expect(rendered).toBeGreaterThan(40);
    expect(sandbox.standIn.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
