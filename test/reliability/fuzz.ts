/**
 * The fuzzer: generated requests, validly signed, against the real app over HTTP. Each request is
 * a recipe drawn by fast-check from a seed (so a run is reproduced from its seed), resolved against
 * what the app has rendered so far (messages, modals, Home tabs): slash commands with random
 * arguments, clicks with tampered values, unknown ids and other people's ids, forms with malformed
 * or oversize state and forged metadata, events of every subscribed type with odd fields.
 *
 * After each request the app is let settle; then nothing may have answered 5xx, nothing may have
 * crashed or rejected unhandled, nothing may have logged at error level, and a request that must be
 * refused must have left every table of the database as it was, row by row.
 */
import { type Logger, LogLevel } from '@slack/bolt';
import fc from 'fast-check';
import { sql } from 'kysely';
import manifest from '../../manifest.json' with { type: 'json' };
import { interactiveElements, type LocatedElement } from '../../src/sandbox/payloads.js';
import { activePair, passAt } from '../support/followup-flows.js';
import { command } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, type Harness, startTandem } from '../support/tandem-harness.js';
import { tableNames } from '../support/test-database.js';

type Json = Record<string, unknown>;

export const OUTSIDER = 'U0OUTSIDE';
/** Never seen by Slack's stand-in either: users.info fails for it. */
export const UNKNOWN = 'U0NOBODY9';
const PEOPLE = ['U0J1', 'U0S1', 'U0J3', 'U0S3', FACILITATOR, OUTSIDER, UNKNOWN] as const;

const SUB_COMMANDS = ['', 'help', 'join', 'status', 'contract', 'checkin', 'pause', 'resume', 'leave', 'concern', 'export', 'forget', 'match', 'pair', 'unpair', 'stats', 'escalations', 'program', 'HELP', 'fuzz'];
const FACILITATOR_ONLY = new Set(['match', 'pair', 'unpair', 'stats', 'escalations', 'program']);

/** Strings people and attackers type: empty, long, unicode, markup, SQL, JSON, ids, dates. */
const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '<@U0J1|j>', '<@U0NOBODY9>', '<!channel>', "'; drop table participant; --", '{"pairId":1}', '{"escalationId":999999}', '2027-02-30', '1970-01-01', '9999-12-31', 'NaN', '-1', '1e309', '__proto__', '{"__proto__":{"admin":true}}', '*bold* _it_ `code`'),
  fc.integer({ min: 3001, max: 12_000 }).map((n) => 'x'.repeat(n)),
);

export type Recipe =
  | { kind: 'command'; user: number; sub: number; args: string[] }
  | { kind: 'click'; user: number; pick: number; element: number; tamper: 'none' | 'garbage' | 'unknown-ids' | 'other-ids'; garbage: string }
  | { kind: 'form'; user: number; pick: number; fields: { choose: number; text: string; mode: 'keep' | 'valid' | 'text' }[]; malform: 'none' | 'oversize' | 'bad-option' | 'metadata' | 'unknown-ids'; garbage: string }
  | { kind: 'event'; type: number; user: number; odd: number; text: string; eventId: number };

const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.record({ kind: fc.constant('command' as const), user: fc.nat(), sub: fc.nat(), args: fc.array(oddText, { maxLength: 3 }) }),
  fc.record({
    kind: fc.constant('click' as const),
    user: fc.nat(),
    pick: fc.nat(),
    element: fc.nat(),
    tamper: fc.constantFrom('none' as const, 'garbage' as const, 'unknown-ids' as const, 'other-ids' as const),
    garbage: oddText,
  }),
  fc.record({
    kind: fc.constant('form' as const),
    user: fc.nat(),
    pick: fc.nat(),
    fields: fc.array(fc.record({ choose: fc.nat(), text: oddText, mode: fc.constantFrom('keep' as const, 'valid' as const, 'text' as const) }), { minLength: 12, maxLength: 12 }),
    malform: fc.constantFrom('none' as const, 'oversize' as const, 'bad-option' as const, 'metadata' as const, 'unknown-ids' as const),
    garbage: oddText,
  }),
  fc.record({ kind: fc.constant('event' as const), type: fc.nat(), user: fc.nat(), odd: fc.nat({ max: 9 }), text: oddText, eventId: fc.nat({ max: 50 }) }),
);

export interface FuzzReport {
  seed: number;
  requests: number;
  /** 5xx answers, requests that got no answer, unhandled rejections, error-level log lines. */
  crashes: number;
  unauthorisedChanges: number;
  /** The first problems, described, to reproduce from the seed. */
  problems: string[];
  byKind: Record<string, number>;
  seconds: number;
}

/** A logger that keeps error-level lines (and passes nothing to the terminal). */
function capturingLogger(errors: string[]): Logger {
  const keep = (...parts: unknown[]) => errors.push(parts.map((p) => (p instanceof Error ? (p.stack ?? p.message) : typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  const ignore = () => undefined;
  return { debug: ignore, info: ignore, warn: ignore, error: keep, setLevel: ignore, getLevel: () => LogLevel.ERROR, setName: ignore };
}

/** Every row of every table, to compare before and after a request that must change nothing. */
async function snapshot(h: Harness, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table)} order by 1`.execute(h.store.db);
    parts.push(`${table}:${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

function firstDifference(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  const table = (a[index] ?? b[index] ?? '').split(':')[0];
  return `table ${table} changed`;
}

/** Replaces every number in a JSON value's text (ids) with `by(n)`. */
const replaceIds = (text: string, by: (n: number) => number) => text.replace(/\d+/g, (n) => String(by(Number(n))));

/** The world the fuzzer starts from: an active pair with a prompt and an escalation, enrolled people waiting, modals open. */
async function buildWorld(h: Harness): Promise<void> {
  await activePair(h);
  await seed(h, junior('U0J3'), senior('U0S3'));
  h.standIn.setUser(OUTSIDER, { name: 'outsider' });
  await passAt(h, '2027-03-15T09:00:00Z');
  for (const [user, text] of [['U0J1', 'checkin'], ['U0S1', 'contract'], ['U0J3', 'join'], ['U0S1', 'concern'], [FACILITATOR, 'program'], [OUTSIDER, 'join']] as const) {
    await command(h, user, text).catch(() => undefined);
  }
  await h.tandem.slackApp.settled();
  await h.driver.event({ type: 'app_home_opened', user: 'U0J1', channel: 'D0J1', tab: 'home' });
  await h.driver.event({ type: 'app_home_opened', user: FACILITATOR, channel: 'D0FACIL', tab: 'home' });
  await h.tandem.slackApp.settled();
}

interface Target {
  located: LocatedElement;
  messageTs?: string;
  channelId?: string;
  view?: Json;
}

/** Every button or select a person could press, in messages and views the app rendered. */
function targets(h: Harness): Target[] {
  const out: Target[] = [];
  for (const m of h.standIn.workspace.messagesNewestFirst().slice(0, 60)) {
    for (const located of interactiveElements(m.message.blocks)) out.push({ located, messageTs: m.ts, channelId: m.channel });
  }
  for (const view of h.standIn.workspace.viewsNewestFirst().slice(0, 30)) {
    for (const located of interactiveElements(view.blocks)) out.push({ located, view });
  }
  return out;
}

/** What a person must never read: a stack trace, SQL, a database or JavaScript error. */
const INTERNALS = /\bat \S+ \([^)]*:\d+:\d+\)|SQLITE_\w+|\bselect \S+ from\b|\binsert into\b|\bupdate \S+ set\b|TypeError|ReferenceError|SqliteError|Cannot read properties/i;

const at = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

interface Built {
  describe: string;
  mustRefuse: boolean;
  send(): Promise<number>;
}

function signedForm(h: Harness, body: string): Promise<number> {
  return h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' }).then((r) => r.status);
}

const interaction = (h: Harness, payload: Json) => signedForm(h, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

function buildCommand(h: Harness, r: Extract<Recipe, { kind: 'command' }>): Built {
  const user = PEOPLE[r.user % PEOPLE.length] as string;
  const sub = SUB_COMMANDS[r.sub % SUB_COMMANDS.length] as string;
  const text = [sub, ...r.args].join(' ').slice(0, 4000);
  return {
    describe: `/tandem ${text.slice(0, 60)} by ${user}`,
    mustRefuse: FACILITATOR_ONLY.has(sub) && user !== FACILITATOR,
    send: () => signedForm(h, new URLSearchParams(h.driver.commandPayload(user, text)).toString()),
  };
}

function buildClick(h: Harness, r: Extract<Recipe, { kind: 'click' }>): Built | undefined {
  const target = at(targets(h), r.pick);
  if (!target) return undefined;
  const user = PEOPLE[r.user % PEOPLE.length] as string;
  const actionId = String(target.located.element.action_id);
  const options = target.located.element.options as Json[] | undefined;
  let payload: Json;
  try {
    payload = h.driver.blockActionPayload(user, {
      actionId,
      blockId: target.located.blockId,
      ...(target.messageTs ? { messageTs: target.messageTs, channelId: target.channelId } : {}),
      ...(target.view ? { view: target.view } : {}),
      ...(Array.isArray(options) && options.length > 0 && target.located.element.type !== 'button' ? { value: String((at(options, r.element) as Json).value) } : {}),
    });
  } catch {
    return undefined;
  }
  const [action] = payload.actions as Json[];
  const original = typeof action?.value === 'string' ? action.value : undefined;
  if (action && original !== undefined && r.tamper !== 'none') {
    if (r.tamper === 'garbage') action.value = r.garbage;
    else if (r.tamper === 'unknown-ids') action.value = replaceIds(original, () => 999_999);
    else action.value = replaceIds(original, (n) => (n % 5) + 1);
  }
  const tampered = action?.value !== original;
  // An outsider presses nothing of anyone's; a value made up (or with ids nobody has) acts on nothing.
  const mustRefuse = user === OUTSIDER || user === UNKNOWN || (tampered && r.tamper !== 'other-ids' && /\d/.test(original ?? ''));
  return { describe: `click ${actionId} by ${user} (${r.tamper}: ${String(action?.value).slice(0, 60)})`, mustRefuse, send: () => interaction(h, payload) };
}

/** A modal the app opened and has not closed, to submit. */
function buildForm(h: Harness, r: Extract<Recipe, { kind: 'form' }>): Built | undefined {
  const modals = h.standIn.workspace.viewsNewestFirst().filter((v) => v.type === 'modal' && typeof v.callback_id === 'string' && v.callback_id !== '').slice(0, 20);
  const view = at(modals, r.pick);
  if (!view) return undefined;
  const callbackId = String(view.callback_id);
  const drawn = PEOPLE[r.user % PEOPLE.length] as string;
  // The outsiders stay outsiders: they never enrol, so that all they do must be refused.
  const user = callbackId.startsWith('enrol') && (drawn === OUTSIDER || drawn === UNKNOWN) ? 'U0J3' : drawn;
  const inputs = interactiveElements(view.blocks).filter((e) => !['button', 'overflow', 'workflow_button'].includes(String(e.element.type)));
  const values: Record<string, string | string[] | null> = {};
  inputs.forEach((e, i) => {
    const field = r.fields[i % r.fields.length];
    if (!field || field.mode === 'keep') return;
    const key = inputs.filter((o) => o.element.action_id === e.element.action_id).length > 1 ? `${e.blockId}/${String(e.element.action_id)}` : String(e.element.action_id);
    const options = [...((e.element.options as Json[] | undefined) ?? []), ...(((e.element.option_groups as Json[] | undefined) ?? []).flatMap((g) => (g.options as Json[]) ?? []))];
    const type = String(e.element.type);
    if (['plain_text_input', 'number_input', 'email_text_input', 'url_text_input', 'datepicker', 'timepicker', 'users_select', 'conversations_select', 'channels_select'].includes(type)) {
      values[key] = field.mode === 'text' ? field.text.slice(0, 3000) : type === 'datepicker' ? '2027-04-01' : type === 'users_select' ? 'U0S3' : field.text.slice(0, 100);
    } else if (options.length > 0) {
      const picked = String((at(options, field.choose) as Json).value);
      values[key] = type.startsWith('multi') || type === 'checkboxes' ? [picked] : picked;
    }
  });
  let payload: Json;
  try {
    payload = h.driver.viewSubmissionPayload(user, view, values);
  } catch {
    payload = h.driver.viewSubmissionPayload(user, view, {});
  }
  const submitted = payload.view as Json & { state: { values: Record<string, Record<string, Json>> }; private_metadata?: string };
  let malformed = false;
  const states = Object.values(submitted.state.values).flatMap((block) => Object.values(block));
  if (r.malform === 'oversize') {
    for (const state of states) if ('value' in state) ((state.value = 'y'.repeat(5000 + (r.garbage.length % 7000))), (malformed = true));
  } else if (r.malform === 'bad-option') {
    for (const state of states) {
      if (state.selected_option) ((state.selected_option = { text: { type: 'plain_text', text: 'x' }, value: `${r.garbage}-not-an-option` }), (malformed = true));
      if (Array.isArray(state.selected_options) && state.selected_options.length > 0) ((state.selected_options = [{ text: { type: 'plain_text', text: 'x' }, value: `${r.garbage}-nope` }]), (malformed = true));
      if (typeof state.selected_date === 'string') ((state.selected_date = `${r.garbage}-13-45`), (malformed = true));
    }
  } else if (r.malform === 'metadata' && submitted.private_metadata) {
    submitted.private_metadata = r.garbage.slice(0, 3000);
    malformed = submitted.private_metadata !== (view.private_metadata as string);
  } else if (r.malform === 'unknown-ids' && submitted.private_metadata && /\d/.test(submitted.private_metadata)) {
    submitted.private_metadata = replaceIds(submitted.private_metadata, () => 999_999);
    malformed = true;
  }
  // An outsider submits nothing of anyone's, and a malformed form is refused field by field.
  const mustRefuse = malformed || user === OUTSIDER || user === UNKNOWN;
  return { describe: `form ${callbackId} by ${user} (${r.malform})`, mustRefuse, send: () => interaction(h, payload) };
}

const EVENT_TYPES = [...manifest.settings.event_subscriptions.bot_events, 'message', 'app_uninstalled', 'user_change'];

function buildEvent(h: Harness, r: Extract<Recipe, { kind: 'event' }>): Built {
  const type = EVENT_TYPES[r.type % EVENT_TYPES.length] as string;
  const user = PEOPLE[r.user % PEOPLE.length] as string;
  const base: Json = { type, user, channel: r.user % 2 === 0 ? 'C0FACIL' : `D${user}`, tab: 'home', event_ts: '1805101200.000100' };
  // Odd fields: missing, of the wrong type, oversize, or another tab.
  const odd: Json[] = [{}, { user: undefined }, { user: 42 }, { user: { id: user } }, { tab: 'messages' }, { tab: r.text }, { channel: r.text }, { channel: null }, { user: r.text }, { view: { id: r.text, type: 'home' } }];
  const event = { ...base, ...(odd[r.odd] as Json) };
  // A few event ids recur: Slack's retries of the same event.
  const eventId = `Ev0FUZZ${r.eventId}`;
  return { describe: `event ${type} (${r.odd}) ${eventId}`, mustRefuse: false, send: () => h.driver.event(event, { eventId }).then((res) => res.status) };
}

function build(h: Harness, r: Recipe): Built | undefined {
  switch (r.kind) {
    case 'command':
      return buildCommand(h, r);
    case 'click':
      return buildClick(h, r);
    case 'form':
      return buildForm(h, r);
    case 'event':
      return buildEvent(h, r);
  }
}

export async function fuzz(options: { seed: number; runs: number; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const errors: string[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  const h = await startTandem({ logger: capturingLogger(errors) });
  const report: FuzzReport = { seed: options.seed, requests: 0, crashes: 0, unauthorisedChanges: 0, problems: [], byKind: {}, seconds: 0 };
  const problem = (text: string) => {
    if (report.problems.length < 20) report.problems.push(text);
  };
  try {
    await buildWorld(h);
    // The bot's own delivery loops would move rows between a request and its check: only requests act.
    await h.tandem.deps.outbox.stop();
    await h.tandem.deps.home.stop();
    errors.splice(0);
    const tables = await tableNames(h.store.db);
    const recipes = fc.sample(recipe, { seed: options.seed, numRuns: options.runs });
    const started = Date.now();
    for (const r of recipes) {
      const built = build(h, r);
      if (!built) continue;
      const before = built.mustRefuse ? await snapshot(h, tables) : '';
      const errorsBefore = errors.length;
      const callsBefore = h.standIn.calls.length;
      let status: number;
      try {
        status = await built.send();
      } catch (error) {
        status = 0;
        problem(`${built.describe}: no answer (${String(error)})`);
      }
      await h.tandem.slackApp.settled();
      report.requests += 1;
      report.byKind[r.kind] = (report.byKind[r.kind] ?? 0) + 1;
      const crashed = status === 0 || status >= 500 || errors.length > errorsBefore || rejections.length > 0;
      if (crashed) {
        report.crashes += 1;
        if (status >= 500) problem(`${built.describe}: answered ${status}`);
        for (const line of errors.slice(errorsBefore)) problem(`${built.describe}: logged ${line.split('\n').slice(0, 3).join(' | ')}`);
        for (const reason of rejections.splice(0)) problem(`${built.describe}: unhandled rejection ${String(reason)}`);
      }
      for (const call of h.standIn.calls.slice(callsBefore)) {
        const shown = JSON.stringify(call.args);
        if (INTERNALS.test(shown)) {
          report.crashes += 1;
          problem(`${built.describe}: ${call.method} showed internals: ${shown.match(INTERNALS)?.[0]}`);
        }
      }
      if (built.mustRefuse) {
        const after = await snapshot(h, tables);
        if (after !== before) {
          report.unauthorisedChanges += 1;
          problem(`${built.describe}: ${firstDifference(before, after)}`);
        }
      }
      options.onProgress?.(report.requests);
    }
    report.seconds = (Date.now() - started) / 1000;
    for (const violation of h.standIn.violations) problem(`Block Kit limit: ${violation}`);
    report.crashes += h.standIn.violations.length;
  } finally {
    process.off('unhandledRejection', onRejection);
    await h.close();
  }
  return report;
}

export function summary(report: FuzzReport): string {
  return `fuzz: ${report.requests} requests, ${report.crashes} crashes, ${report.unauthorisedChanges} unauthorised changes`;
}
