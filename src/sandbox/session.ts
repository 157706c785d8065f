/**
 * What a visitor of the sandbox page does, as the person they act as: run /tandem, click, fill and
 * submit modals, open the Home tab, move the clock. Every act becomes the signed request Slack would
 * send (through the driver, into the app's /slack/events), and what the page shows is read back
 * from what the app sent to the stand-in. Requests naming a person, conversation, message or view
 * that does not exist, or that the person cannot see, are refused with a SandboxRefusal, before
 * anything is sent.
 */
import { sql } from 'kysely';
import { isRecord } from './block-kit-limits.js';
import { DEMO_COMPANY, DEMO_PEOPLE, demoPerson, type DemoPerson } from './demo-company.js';
import type { SlackDriver } from './driver.js';
import { BOT_USER_ID, type Channel, type StoredMessage } from './fake-workspace.js';
import type { FieldValue, ViewValues } from './payloads.js';
import { renderBlocks, renderMessage, type RenderContext } from './render/blocks.js';
import { escapeHtml, plainText, type Viewer } from './render/mrkdwn.js';
import type { SlackStandIn } from './slack-stand-in.js';
import type { Tandem } from '../tandem.js';
import { runPass } from '../jobs/pass.js';
import { en } from '../i18n/en.js';
import { localeFromSlack, t, type Locale } from '../i18n/index.js';

type Json = Record<string, unknown>;

/** A page request that names something unknown or out of the person's reach: nothing was sent. */
export class SandboxRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The simulated time: real time plus an offset the visitor moves forward. The app's `now` reads it. */
export class SandboxClock {
  private offsetMs: number;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** `startAt`: the simulated instant at start (a test's screenshot shows the same dates each run). */
  constructor(startAt?: Date) {
    this.offsetMs = startAt ? startAt.getTime() - Date.now() : 0;
  }

  advanceTo(at: Date): void {
    this.offsetMs = Math.max(this.offsetMs, at.getTime() - Date.now());
  }

  advanceBy(ms: number): void {
    this.offsetMs += ms;
  }
}

export type ClockStep = 'checkin' | 'day' | 'week';
export type Where = { channel: string; ts: string } | { view: string };

const DAY_MS = 86_400_000;

export interface Snapshot {
  company: string;
  me: PersonCard;
  people: PersonCard[];
  strings: Record<string, string>;
  clock: { now: string; label: string };
  conversations: { id: string; name: string; kind: 'channel' | 'private' | 'app' | 'group' }[];
  /** The conversation shown (the app's Messages tab when it is the DM with Tandem). */
  conversation: { id: string; name: string; messages: MessageCard[] };
  /** The Tandem Home tab, as last published for this person. */
  home: { id: string; html: string } | null;
  modals: ModalCard[];
}

export interface PersonCard {
  id: string;
  name: string;
  title: string;
  department: string;
  manager: string | null;
  facilitator: boolean;
  tz: string;
  locale: string;
}

export interface MessageCard {
  key: string;
  ts: string;
  author: string;
  bot: boolean;
  time: string;
  ephemeral: boolean;
  edited: boolean;
  html: string;
  files: { id: string; name: string; title: string; mimetype: string; image: boolean }[];
}

export interface ModalCard {
  id: string;
  hash: string;
  title: string;
  submit: string | null;
  close: string;
  html: string;
  errors: Record<string, string>;
}

export class SandboxSession {
  /** trigger_id → the person it was given to: a modal opened with it is theirs. */
  private readonly triggers = new Map<string, string>();
  private readonly closedViews = new Set<string>();
  private readonly viewErrors = new Map<string, Record<string, string>>();
  /** When a message was first seen, on the simulated clock (the stand-in's ts are not times). */
  private readonly seenAt = new Map<string, Date>();

  constructor(
    private readonly standIn: SlackStandIn,
    private readonly driver: SlackDriver,
    private readonly tandem: Tandem,
    readonly clock: SandboxClock,
  ) {}

  person(id: unknown): DemoPerson {
    const person = typeof id === 'string' ? demoPerson(id) : undefined;
    if (!person) throw new SandboxRefusal(404, `There is no person "${String(id)}" in the demo company.`);
    return person;
  }

  /** Runs `/tandem …` as `personId` in `channelId` (their DM with Tandem by default). */
  async command(personId: string, text: string, channelId?: string): Promise<void> {
    const person = this.person(personId);
    const channel = channelId === undefined ? this.standIn.workspace.openDm(person.id).id : this.visibleConversation(person, channelId).id;
    const match = /^\/tandem(?:\s+([\s\S]*))?$/.exec(text.trim());
    if (!match) throw new SandboxRefusal(400, 'The sandbox composer runs /tandem commands only.');
    const payload = this.driver.commandPayload(person.id, (match[1] ?? '').trim(), { channelId: channel });
    this.remember(payload.trigger_id, person.id);
    const res = await this.driver.sendCommand(payload);
    if (res.status !== 200) throw new SandboxRefusal(400, `Tandem answered ${res.status} to the command.`);
    await this.settle();
  }

  /** A click (or a selection) on an element of a message or a view the person can see. */
  async action(personId: string, where: Where, actionId: string, blockId: string, value: FieldValue | undefined, values: ViewValues | undefined): Promise<void> {
    const person = this.person(personId);
    let payload: Json;
    try {
      if ('view' in where) {
        const view = this.ownedView(person, where.view);
        payload = this.driver.blockActionPayload(person.id, { actionId, blockId, view, ...(value !== undefined ? { value } : {}), ...(values ? { values } : {}) });
      } else {
        const message = this.visibleMessage(person, where.channel, where.ts);
        payload = this.driver.blockActionPayload(person.id, { actionId, blockId, channelId: message.channel, messageTs: message.ts, ...(value !== undefined ? { value } : {}) });
      }
    } catch (error) {
      if (error instanceof SandboxRefusal) throw error;
      // The driver refuses elements and option values the app never rendered.
      throw new SandboxRefusal(400, error instanceof Error ? error.message : String(error));
    }
    this.remember(payload.trigger_id, person.id);
    const res = await this.driver.postInteraction(payload, {});
    if (res.status !== 200) throw new SandboxRefusal(400, `Tandem answered ${res.status} to the click.`);
    await this.settle();
  }

  /** Submits a modal; the errors Tandem answers are kept to show next to their fields. */
  async submit(personId: string, viewId: string, values: ViewValues): Promise<{ errors: Record<string, string> }> {
    const person = this.person(personId);
    const view = this.ownedView(person, viewId);
    let payload: Json;
    try {
      payload = this.driver.viewSubmissionPayload(person.id, view, values);
    } catch (error) {
      throw new SandboxRefusal(400, error instanceof Error ? error.message : String(error));
    }
    this.remember(payload.trigger_id, person.id);
    const res = await this.driver.sendViewSubmission(payload);
    if (res.status !== 200) throw new SandboxRefusal(400, `Tandem answered ${res.status} to the form.`);
    await this.settle();
    const ack = res.json ?? {};
    if (ack.response_action === 'errors' && isRecord(ack.errors)) {
      const errors = Object.fromEntries(Object.entries(ack.errors).map(([k, v]) => [k, String(v)]));
      this.viewErrors.set(viewId, errors);
      return { errors };
    }
    this.viewErrors.delete(viewId);
    if (ack.response_action === 'clear') for (const modal of this.modalsOf(person)) this.closedViews.add(String(modal.id));
    else if (ack.response_action !== 'update' && ack.response_action !== 'push') this.closedViews.add(viewId);
    return { errors: {} };
  }

  /** The close button: Slack tells the app when the view asked for it (notify_on_close). */
  async close(personId: string, viewId: string): Promise<void> {
    const person = this.person(personId);
    const view = this.ownedView(person, viewId);
    this.closedViews.add(viewId);
    this.viewErrors.delete(viewId);
    if (view.notify_on_close === true) await this.driver.viewClosed(person.id, view);
  }

  /** Opening the Home tab sends app_home_opened, as Slack does; Tandem publishes it then. */
  async openHome(personId: string): Promise<void> {
    const person = this.person(personId);
    const dm = this.standIn.workspace.openDm(person.id).id;
    const res = await this.driver.event({ type: 'app_home_opened', user: person.id, channel: dm, tab: 'home' });
    if (res.status !== 200) throw new SandboxRefusal(400, `Tandem answered ${res.status} to app_home_opened.`);
    await this.settle();
  }

  /** Moves the simulated clock, then runs the scheduled pass as of the new instant. */
  async advance(step: ClockStep): Promise<{ moved: boolean }> {
    const deps = this.tandem.deps;
    if (step === 'day' || step === 'week') {
      this.clock.advanceBy(step === 'day' ? DAY_MS : 7 * DAY_MS);
      await runPass(deps, this.clock.now());
      await this.settle(100, 3000);
      return { moved: true };
    }
    // The stored instant can be the earliest the date could fall due anywhere; the pass then
    // stores the exact one, so a second step may be needed to reach the prompt itself.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const next = await this.nextCheckin();
      if (!next) return { moved: attempt > 0 };
      const before = await this.promptCount();
      this.clock.advanceTo(new Date(next.getTime() + 60_000));
      await runPass(deps, this.clock.now());
      if ((await this.promptCount()) > before) {
        await this.settle(100, 3000);
        return { moved: true };
      }
    }
    await this.settle(100, 3000);
    return { moved: true };
  }

  /**
   * Tandem acks first and answers after (a modal, a reply, a message updated): the page's request
   * waits until the stand-in has heard nothing new for a moment, so the next snapshot shows the
   * answer. Bounded: a slow answer still shows at the page's next poll.
   */
  private async settle(quietMs = 40, maxMs = 1500): Promise<void> {
    const end = Date.now() + maxMs;
    let seen = -1;
    while (Date.now() < end) {
      const calls = this.standIn.calls;
      const busy = calls.some((c) => c.status === undefined);
      if (!busy && calls.length === seen) return;
      seen = calls.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  private async nextCheckin(): Promise<Date | undefined> {
    const row = await this.tandem.deps.store.db
      .selectFrom('followup')
      .select((eb) => eb.fn.min<string>('next_at').as('next'))
      .where('paused_at', 'is', null)
      .where('next_at', 'is not', null)
      .executeTakeFirst();
    return row?.next ? new Date(row.next) : undefined;
  }

  private async promptCount(): Promise<number> {
    const row = await this.tandem.deps.store.db.selectFrom('checkin_prompt').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Everything the page shows to `personId`, with `open` the conversation in view. */
  snapshot(personId: string, open?: string): Snapshot {
    const person = this.person(personId);
    const locale = this.localeOf(person);
    const viewer = this.viewer(person);
    const ctx: RenderContext = {
      viewer,
      optional: t(locale, 'sandbox.optional'),
      people: DEMO_PEOPLE.map((p) => ({ id: p.id, name: p.name })),
      channels: this.standIn.workspace.conversationsOf(person.id).filter((c) => c.kind === 'channel').map((c) => ({ id: c.id, name: c.name })),
    };
    const dm = this.standIn.workspace.openDm(person.id).id;
    const conversation = this.visibleConversation(person, open ?? dm);
    const homeView = this.standIn.workspace.homeView(person.id);
    const now = this.clock.now();
    return {
      company: DEMO_COMPANY,
      me: this.card(person),
      people: DEMO_PEOPLE.map((p) => this.card(p)),
      strings: strings(locale),
      clock: { now: now.toISOString(), label: new Intl.DateTimeFormat(person.locale, { timeZone: person.tz, dateStyle: 'full', timeStyle: 'short' }).format(now) },
      conversations: this.standIn.workspace.conversationsOf(person.id).map((c) => ({ id: c.id, name: this.conversationName(c, person), kind: kindOf(c) })),
      conversation: {
        id: conversation.id,
        name: this.conversationName(conversation, person),
        messages: this.standIn.workspace
          .messagesIn(conversation.id)
          .filter((m) => !m.ephemeral || m.visibleTo === undefined || m.visibleTo === person.id)
          .map((m) => this.messageCard(m, ctx, person)),
      },
      home: homeView ? { id: String(homeView.id), html: renderBlocks(homeView.blocks, ctx) } : null,
      modals: this.modalsOf(person).map((view) => this.modalCard(view, ctx, locale)),
    };
  }

  /** The ids of the files in the messages `personId` can see. */
  snapshotFiles(personId: string): Set<string> {
    const person = this.person(personId);
    const ids = new Set<string>();
    for (const c of this.standIn.workspace.conversationsOf(person.id)) {
      for (const m of this.standIn.workspace.messagesIn(c.id)) {
        if (m.ephemeral && m.visibleTo !== undefined && m.visibleTo !== person.id) continue;
        for (const f of Array.isArray(m.message.files) ? m.message.files : []) if (isRecord(f)) ids.add(String(f.id));
      }
    }
    return ids;
  }

  private remember(triggerId: unknown, personId: string): void {
    if (typeof triggerId === 'string') this.triggers.set(triggerId, personId);
  }

  private card(p: DemoPerson): PersonCard {
    return {
      id: p.id,
      name: p.name,
      title: p.title,
      department: p.department,
      manager: p.managerId ? (demoPerson(p.managerId)?.name ?? null) : null,
      facilitator: p.facilitator === true,
      tz: p.tz,
      locale: p.locale,
    };
  }

  private localeOf(person: DemoPerson): Locale {
    return localeFromSlack(person.locale) ?? 'en';
  }

  private viewer(person: DemoPerson): Viewer {
    return {
      locale: person.locale,
      timeZone: person.tz,
      now: this.clock.now(),
      userName: (id) => (id === BOT_USER_ID ? 'Tandem' : demoPerson(id)?.name),
      channelName: (id) => {
        const c = this.standIn.workspace.conversation(id);
        return c ? this.conversationName(c, person) : undefined;
      },
    };
  }

  private conversationName(c: Channel, viewer: DemoPerson): string {
    if (c.kind === 'im') return 'Tandem';
    if (c.kind === 'mpim') {
      const names = c.members.filter((m) => m !== viewer.id && m !== BOT_USER_ID).map((m) => demoPerson(m)?.name.split(' ')[0] ?? m);
      return [...names, 'Tandem'].join(', ');
    }
    return c.name;
  }

  private visibleConversation(person: DemoPerson, id: unknown): Channel {
    const found = typeof id === 'string' ? this.standIn.workspace.conversation(id) : undefined;
    if (!found || !found.members.includes(person.id)) throw new SandboxRefusal(404, `${person.name} has no conversation "${String(id)}".`);
    return found;
  }

  private visibleMessage(person: DemoPerson, channel: string, ts: string): StoredMessage {
    this.visibleConversation(person, channel);
    const message = this.standIn.workspace.messagesIn(channel).find((m) => m.ts === ts);
    if (!message || (message.ephemeral && message.visibleTo !== undefined && message.visibleTo !== person.id)) {
      throw new SandboxRefusal(404, `There is no message ${ts} that ${person.name} can see in that conversation.`);
    }
    return message;
  }

  /** A modal of the person's that is still open, or their Home tab. */
  private ownedView(person: DemoPerson, viewId: unknown): Json {
    const home = this.standIn.workspace.homeView(person.id);
    if (home && home.id === viewId) return home;
    const modal = this.modalsOf(person).find((v) => v.id === viewId);
    if (!modal) throw new SandboxRefusal(404, `${person.name} has no open view "${String(viewId)}".`);
    return modal;
  }

  /** The person's open modals, the one on top last. */
  private modalsOf(person: DemoPerson): Json[] {
    const all = [...this.standIn.workspace.viewsNewestFirst()].reverse();
    return all.filter((v) => v.type === 'modal' && !this.closedViews.has(String(v.id)) && this.ownerOf(v) === person.id);
  }

  private ownerOf(view: Json, depth = 0): string | undefined {
    const trigger = this.standIn.workspace.viewTrigger(String(view.id));
    if (trigger) return this.triggers.get(trigger);
    // Pushed by a submission's ack: the person who had the view beneath it.
    const previous = typeof view.previous_view_id === 'string' ? this.standIn.workspace.view(view.previous_view_id) : undefined;
    return previous && depth < 10 ? this.ownerOf(previous, depth + 1) : undefined;
  }

  private modalCard(view: Json, ctx: RenderContext, locale: Locale): ModalCard {
    const id = String(view.id);
    const errors = this.viewErrors.get(id) ?? {};
    const words = (text: unknown) => (isRecord(text) && typeof text.text === 'string' ? text.text : undefined);
    return {
      id,
      hash: String(view.hash),
      title: escapeHtml(words(view.title) ?? ''),
      submit: view.submit ? escapeHtml(words(view.submit) ?? t(locale, 'sandbox.modal.submit')) : null,
      close: escapeHtml(words(view.close) ?? t(locale, 'sandbox.modal.close')),
      html: renderBlocks(view.blocks, { ...ctx, errors }),
      errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, plainText(v)])),
    };
  }

  private messageCard(m: StoredMessage, ctx: RenderContext, person: DemoPerson): MessageCard {
    const key = `${m.channel}/${m.ts}`;
    if (!this.seenAt.has(key)) this.seenAt.set(key, this.clock.now());
    const bot = m.message.user === BOT_USER_ID || m.message.bot_id !== undefined;
    const files = (Array.isArray(m.message.files) ? m.message.files : []).filter(isRecord).map((f) => {
      const stored = this.standIn.file(String(f.id));
      const mimetype = stored?.contentType ?? String(f.mimetype ?? 'application/octet-stream');
      return { id: String(f.id), name: String(f.name ?? f.id), title: String(f.title ?? f.name ?? f.id), mimetype, image: mimetype.startsWith('image/') };
    });
    return {
      key,
      ts: m.ts,
      author: bot ? 'Tandem' : (demoPerson(String(m.message.user))?.name ?? String(m.message.user)),
      bot,
      time: new Intl.DateTimeFormat(person.locale, { timeZone: person.tz, hour: 'numeric', minute: '2-digit' }).format(this.seenAt.get(key)),
      ephemeral: m.ephemeral,
      edited: isRecord(m.message.edited),
      html: files.length > 0 && !m.message.blocks ? (String(m.message.text ?? '') ? renderMessage(m.message, ctx) : '') : renderMessage(m.message, ctx),
      files,
    };
  }
}

function kindOf(c: Channel): 'channel' | 'private' | 'app' | 'group' {
  if (c.kind === 'im') return 'app';
  if (c.kind === 'mpim') return 'group';
  return c.isPrivate ? 'private' : 'channel';
}

/** The page's own strings in the person's language. */
function strings(locale: Locale): Record<string, string> {
  const keys = Object.keys(en).filter((k): k is keyof typeof en => k.startsWith('sandbox.'));
  return Object.fromEntries(keys.map((k) => [k.slice('sandbox.'.length), t(locale, k)]));
}
