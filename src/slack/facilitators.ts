import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Kysely } from 'kysely';
import { bumpCacheVersion, readCacheVersion } from '../store/cache-version.js';
import type { Database } from '../store/database.js';

const TTL_MS = 60 * 1000;
/** A listing where someone's standing could not be read is kept only briefly, then asked again. */
const INCOMPLETE_TTL_MS = 10 * 1000;

/** What Slack said of the facilitator channel at the last listing. */
export type ChannelStanding = 'private' | 'public' | 'unreachable';

interface Members {
  ids: Set<string>;
  expires: number;
  /** The list's version in the database when it was fetched (see src/store/cache-version.ts). */
  version: number;
  standing: ChannelStanding;
}

/** The fields of a Slack user that decide whether they may be a facilitator. */
export interface SlackUserFlags {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
}

/** Guests (multi- or single-channel) and deactivated accounts never hold facilitator rights. */
export function mayFacilitate(user: SlackUserFlags): boolean {
  return user.deleted !== true && user.is_bot !== true && user.is_restricted !== true && user.is_ultra_restricted !== true;
}

/**
 * Who may act as a facilitator: the full members (no guests) of the facilitator channel when it is
 * private, plus FACILITATOR_USER_IDS. A public channel gives no rights: anyone could join it and
 * read confidences. The member list is cached for a minute, and dropped as soon as Slack says someone joined or left;
 * Slack tells one instance only, so that instance bumps the list's version in the database and
 * every instance drops its copy at its next request.
 */
export class Facilitators {
  private members: Members | undefined;
  private pending: Promise<Members> | undefined;
  private bot: Promise<string | undefined> | undefined;
  private lastStanding: ChannelStanding | undefined;

  constructor(
    private readonly slack: WebClient,
    private readonly db: Kysely<Database>,
    readonly channelId: string,
    private readonly extraUserIds: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isFacilitator(userId: string): Promise<boolean> {
    return (await this.peek(userId)) ?? (await this.channelMembers()).ids.has(userId);
  }

  /**
   * The answer without asking Slack, or undefined when Slack would have to be asked. A list just
   * past its minute still answers while a fresh one is fetched behind it; a list another instance
   * marked stale does not.
   */
  async peek(userId: string): Promise<boolean | undefined> {
    if (this.extraUserIds.includes(userId)) return true;
    if (!this.members) return undefined;
    const version = await readCacheVersion(this.db, 'facilitators');
    if (!this.members || this.members.version !== version) return undefined;
    const now = this.now().getTime();
    if (this.members.expires <= now) {
      if (this.members.expires + TTL_MS <= now) return undefined;
      void this.channelMembers();
    }
    return this.members.ids.has(userId);
  }

  /** Everyone who is a facilitator (the bot itself excluded by the caller where it matters). */
  async all(): Promise<string[]> {
    const ids = new Set([...(await this.channelMembers()).ids, ...this.extraUserIds]);
    return [...ids].sort();
  }

  /** Lists the channel now and says whether its members count (start logs a public channel as a problem). */
  async standing(): Promise<ChannelStanding> {
    return (await this.channelMembers()).standing;
  }

  /**
   * The facilitators other than this person: who can act where they may not (their own pair). The
   * bot is a member of the channel, not a facilitator.
   */
  async othersThan(userId: string): Promise<string[]> {
    const [all, bot] = await Promise.all([this.all(), this.botUserId()]);
    return all.filter((id) => id !== userId && id !== bot);
  }

  /** The bot's own user id, asked once; undefined while Slack cannot say (asked again next time). */
  private botUserId(): Promise<string | undefined> {
    this.bot ??= this.slack.auth.test().then(
      (res) => res.user_id,
      (error: unknown) => {
        this.bot = undefined;
        this.logger.warn('Could not ask Slack who the bot is; run "npx tandem doctor".', error);
        return undefined;
      },
    );
    return this.bot;
  }

  /** Someone joined or left the channel: every instance lists it again at its next request. */
  async invalidate(): Promise<void> {
    this.members = undefined;
    await bumpCacheVersion(this.db, 'facilitators');
  }

  private async channelMembers(): Promise<Members> {
    const version = await readCacheVersion(this.db, 'facilitators');
    if (this.members && this.members.version === version && this.members.expires > this.now().getTime()) return this.members;
    // Concurrent requests share one listing rather than each paging through the channel.
    this.pending ??= this.fetchMembers(version).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchMembers(version: number): Promise<Members> {
    const ids = new Set<string>();
    try {
      const info = await this.slack.conversations.info({ channel: this.channelId });
      const name = info.channel?.name ? `#${info.channel.name}` : this.channelId;
      if (info.channel?.is_private !== true) {
        this.report('public', `The facilitator channel ${name} is public: anyone could join it, so its members get no facilitator rights (only FACILITATOR_USER_IDS do). Make ${name} private or use a private channel.`);
        this.members = { ids, expires: this.now().getTime() + TTL_MS, version, standing: 'public' };
        return this.members;
      }
      const members: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await this.slack.conversations.members({ channel: this.channelId, limit: 200, ...(cursor ? { cursor } : {}) });
        members.push(...(res.members ?? []));
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
      // A facilitators' channel is small: one look-up per member, to leave guests out.
      const standing = await Promise.all(members.map((id) => this.slack.users.info({ user: id }).then((r) => (r.user ? mayFacilitate(r.user) : false), () => undefined)));
      members.forEach((id, i) => {
        if (standing[i] === true) ids.add(id);
      });
      this.report('private');
      const complete = standing.every((s) => s !== undefined);
      // Read before the listing: a change that lands meanwhile makes the next request list again.
      this.members = { ids, expires: this.now().getTime() + (complete ? TTL_MS : INCOMPLETE_TTL_MS), version, standing: 'private' };
      return this.members;
    } catch (error) {
      // Refuse rather than guess: without the list only FACILITATOR_USER_IDS count, and nothing is cached.
      this.logger.warn(`Could not list the facilitator channel ${this.channelId}; run "npx tandem doctor".`, error);
      this.lastStanding = 'unreachable';
      return { ids, expires: 0, version, standing: 'unreachable' };
    }
  }

  /** Logs a change of the channel's standing once, not at every listing. */
  private report(standing: ChannelStanding, problem?: string): void {
    if (standing === this.lastStanding) return;
    this.lastStanding = standing;
    if (problem) this.logger.error(problem);
  }
}
