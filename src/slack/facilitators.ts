import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Kysely } from 'kysely';
import { bumpCacheVersion, readCacheVersion } from '../store/cache-version.js';
import type { Database } from '../store/database.js';

const TTL_MS = 60 * 1000;

interface Members {
  ids: Set<string>;
  expires: number;
  /** The list's version in the database when it was fetched (see src/store/cache-version.ts). */
  version: number;
}

/**
 * Who may act as a facilitator: members of the facilitator channel, plus FACILITATOR_USER_IDS.
 * The member list is cached for a minute, and dropped as soon as Slack says someone joined or left;
 * Slack tells one instance only, so that instance bumps the list's version in the database and
 * every instance drops its copy at its next request.
 */
export class Facilitators {
  private members: Members | undefined;
  private pending: Promise<Set<string>> | undefined;
  private bot: Promise<string | undefined> | undefined;

  constructor(
    private readonly slack: WebClient,
    private readonly db: Kysely<Database>,
    readonly channelId: string,
    private readonly extraUserIds: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isFacilitator(userId: string): Promise<boolean> {
    return (await this.peek(userId)) ?? (await this.channelMembers()).has(userId);
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
    const ids = new Set([...(await this.channelMembers()), ...this.extraUserIds]);
    return [...ids].sort();
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

  private async channelMembers(): Promise<Set<string>> {
    const version = await readCacheVersion(this.db, 'facilitators');
    if (this.members && this.members.version === version && this.members.expires > this.now().getTime()) return this.members.ids;
    // Concurrent requests share one listing rather than each paging through the channel.
    this.pending ??= this.fetchMembers(version).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchMembers(version: number): Promise<Set<string>> {
    const ids = new Set<string>();
    try {
      let cursor: string | undefined;
      do {
        const res = await this.slack.conversations.members({ channel: this.channelId, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const id of res.members ?? []) ids.add(id);
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
      // Read before the listing: a change that lands meanwhile makes the next request list again.
      this.members = { ids, expires: this.now().getTime() + TTL_MS, version };
      return ids;
    } catch (error) {
      // Refuse rather than guess: without the list only FACILITATOR_USER_IDS count, and nothing is cached.
      this.logger.warn(`Could not list the facilitator channel ${this.channelId}; run "npx tandem doctor".`, error);
      return ids;
    }
  }
}
