import type { WebClient } from '@slack/web-api';
import { isValidTimeZone } from '../domain/time.js';
import { type Locale, localeFromSlack } from '../i18n/index.js';

export interface Person {
  userId: string;
  locale: Locale;
  timeZone: string;
  name: string;
  /** A multi- or single-channel guest of the workspace. */
  guest: boolean;
  /** False when Slack could not be asked: the defaults stand in and are not remembered. */
  known: boolean;
}

interface Entry {
  person: Person;
  expires: number;
  /** When Slack gave this answer (ms). */
  learnedAt: number;
}

const TTL_MS = 60 * 60 * 1000;
/** How long a request waits for Slack to say who someone is before it goes on with what is known. */
const WAIT_MS = 1000;
/**
 * How long a request waits once a loading modal holds its trigger: Slack's own answer, as long as
 * the interactive client takes (its timeout and one retry).
 */
export const PATIENT_WAIT_MS = 6000;

/** Who a Slack user is for Tandem (language, time zone, name), asked of Slack once an hour at most. */
export class People {
  private readonly cache = new Map<string, Entry>();
  /** Slack's answer on its way for each person (undefined when Slack could not say). */
  private readonly asking = new Map<string, Promise<Person | undefined>>();

  /**
   * `onLearned` hears every fresh answer from Slack, so that what is saved of a participant (their
   * language and time zone, which scheduled messages use) follows Slack at their next request.
   */
  constructor(
    private readonly slack: WebClient,
    private readonly defaults: { locale: Locale; timeZone: string },
    private readonly now: () => Date = () => new Date(),
    private readonly onLearned?: (person: Person) => Promise<void>,
  ) {}

  /**
   * Who the person is, asking Slack when the last answer is over an hour old. A slow or busy Slack
   * never holds a request past WAIT_MS (the trigger of a modal lives 3 s): the last answer known,
   * or the defaults, stand in, and Slack's answer is kept for the next request when it comes.
   */
  async get(userId: string, waitMs = WAIT_MS): Promise<Person> {
    const hit = this.cache.get(userId);
    if (hit && hit.expires > this.now().getTime()) return hit.person;
    const asking = this.asking.get(userId) ?? this.startAsking(userId);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    // Slack being slow, busy or down must not stop a reply: the last answer known, or the defaults.
    const answer = await Promise.race([asking, late]).finally(() => clearTimeout(timer));
    return answer ?? this.cache.get(userId)?.person ?? this.fallback(userId);
  }

  /**
   * Who the person is now, for a scheduled message about to be written to them: Slack is asked
   * again when its last answer is older than `maxAgeMs`, and waited for. Undefined when Slack could
   * not say (busy, down): the values Tandem stored stand.
   */
  async fresh(userId: string, maxAgeMs: number): Promise<Person | undefined> {
    const hit = this.cache.get(userId);
    if (hit && hit.learnedAt + maxAgeMs > this.now().getTime()) return hit.person;
    return this.asking.get(userId) ?? this.startAsking(userId);
  }

  private startAsking(userId: string): Promise<Person | undefined> {
    const asking = this.ask(userId).finally(() => this.asking.delete(userId));
    this.asking.set(userId, asking);
    return asking;
  }

  /** At once, without asking Slack: the last answer known (however old), else the defaults. For replies due before any call to Slack. */
  atOnce(userId: string): Person {
    return this.cache.get(userId)?.person ?? this.fallback(userId);
  }

  private async ask(userId: string): Promise<Person | undefined> {
    try {
      const res = await this.slack.users.info({ user: userId, include_locale: true });
      const user = res.user;
      const person: Person = {
        userId,
        locale: localeFromSlack(user?.locale) ?? this.defaults.locale,
        timeZone: user?.tz && isValidTimeZone(user.tz) ? user.tz : this.defaults.timeZone,
        name: user?.profile?.display_name || user?.real_name || user?.name || userId,
        guest: user?.is_restricted === true || user?.is_ultra_restricted === true,
        known: true,
      };
      const learnedAt = this.now().getTime();
      this.cache.set(userId, { person, expires: learnedAt + TTL_MS, learnedAt });
      // Not awaited: saving it must not delay a reply due within Slack's 3 seconds.
      void this.onLearned?.(person).catch(() => undefined);
      return person;
    } catch {
      return undefined;
    }
  }

  /** What is already known without asking Slack: for replies that must be sent within Slack's 3 seconds. */
  peek(userId: string): Person | undefined {
    const hit = this.cache.get(userId);
    return hit && hit.expires > this.now().getTime() ? hit.person : undefined;
  }

  /** Slack said this person changed: the next request asks Slack again. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  fallback(userId: string): Person {
    return { userId, locale: this.defaults.locale, timeZone: this.defaults.timeZone, name: userId, guest: false, known: false };
  }
}
