import type { ModalView } from '@slack/types';
import type { Logger } from '@slack/bolt';
import type { ViewsOpenResponse, ViewsUpdateResponse, WebClient } from '@slack/web-api';
import { loadingModal, noticeModal } from '../features/home/views.js';
import type { Locale } from '../i18n/index.js';
import { type People, type Person, PATIENT_WAIT_MS } from './people.js';

/** A "Loading…" modal opened on a trigger, waiting for its real content. */
interface Held {
  id: string;
  hash: string;
}

/**
 * Modals opened within the trigger's 3 seconds even when their data is slow to come (who the
 * person is, asked of Slack): the caller first `hold`s the trigger with a light "Loading…" modal,
 * and the real view given to `open` with the same trigger then replaces it by `views.update`, with
 * the hash Slack gave, so a newer view (the person went on) is never overwritten.
 */
export class Modals {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly slack: WebClient,
    private readonly logger: Logger,
  ) {}

  /** Opens the loading modal on this trigger; false when Slack would not (the real one then opens as usual). */
  async hold(triggerId: string, locale: Locale): Promise<boolean> {
    try {
      const opened = await this.slack.views.open({ trigger_id: triggerId, view: loadingModal(locale) });
      if (!opened.view?.id || !opened.view.hash) return false;
      this.held.set(triggerId, { id: opened.view.id, hash: opened.view.hash });
      return true;
    } catch (error) {
      this.logger.warn('Could not open a loading modal', error);
      return false;
    }
  }

  /** True while a loading modal waits on this trigger. */
  isHeld(triggerId: string): boolean {
    return this.held.has(triggerId);
  }

  /**
   * Shows a modal for this trigger: in place of its loading modal when there is one, else opened
   * with the trigger. Fails as `views.open` does.
   */
  async open(args: { trigger_id: string; view: ModalView }): Promise<ViewsOpenResponse | ViewsUpdateResponse> {
    const held = this.held.get(args.trigger_id);
    if (!held) return this.slack.views.open(args);
    this.held.delete(args.trigger_id);
    return this.slack.views.update({ view_id: held.id, hash: held.hash, view: args.view });
  }

  /**
   * The path is done: a loading modal still waiting shows `text` (a refusal, an error), so nobody
   * is left before "Loading…". Never fails.
   */
  async settle(triggerId: string, locale: Locale, text: string): Promise<void> {
    if (!this.held.has(triggerId)) return;
    try {
      await this.open({ trigger_id: triggerId, view: noticeModal(locale, text) });
    } catch (error) {
      this.logger.warn('Could not replace a loading modal', error);
    }
  }
}

/**
 * How long a path that opens a modal waits for its data before it holds the trigger with a
 * "Loading…" modal (as long as a request used to wait before it went on with defaults): an answer
 * within it opens the real modal directly, as usual, still well within the trigger's 3 s.
 */
export const HOLD_AFTER_MS = 1000;

const LATE = Symbol('late');

/**
 * The data a modal needs, and the trigger kept alive meanwhile: when `load` is not done within
 * HOLD_AFTER_MS of `startedAt` (the request's start, so that waits one after the other count
 * together), a "Loading…" modal opens (in `locale()`, what is known at once), and the modal the
 * path then opens with this trigger fills it.
 */
export async function loadWhileHolding<T>(modals: Modals, triggerId: string, locale: () => Locale, load: Promise<T>, startedAt = Date.now()): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, startedAt + HOLD_AFTER_MS - Date.now()));
  });
  const first = await Promise.race([load, late]).finally(() => clearTimeout(timer));
  if (first !== LATE) return first as T;
  // Held already (a command whose sub-command looks again): one loading modal is enough.
  if (!modals.isHeld(triggerId)) await modals.hold(triggerId, locale());
  return load;
}

/** Waits for what a modal needs, holding the trigger with "Loading…" once the request has waited HOLD_AFTER_MS in all. */
export type Hold = <T>(load: Promise<T>) => Promise<T>;

/** The hold of one request that opens a modal, counted from now (call it when the request comes in). */
export function holding(deps: { people: People; modals: Modals }, userId: string, triggerId: string): Hold {
  const startedAt = Date.now();
  return (load) => loadWhileHolding(deps.modals, triggerId, () => deps.people.atOnce(userId).locale, load, startedAt);
}

/** Who the person is, for a path that opens a modal: known already, or Slack's real answer, patiently (the trigger being held). */
export function patientPerson(people: People, userId: string): Promise<Person> {
  const known = people.peek(userId);
  return known ? Promise.resolve(known) : people.get(userId, PATIENT_WAIT_MS);
}

/**
 * The person and the data a modal needs (read from the database meanwhile, which may wait for a
 * connection): the trigger is held with "Loading…" when both together take longer than HOLD_AFTER_MS.
 */
export function personAndData<T>(deps: { people: People; modals: Modals }, userId: string, triggerId: string, data: Promise<T>): Promise<[Person, T]> {
  return holding(deps, userId, triggerId)(Promise.all([patientPerson(deps.people, userId), data]));
}
