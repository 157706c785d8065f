import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

const TTL_MS = 60 * 1000;

/**
 * Who may act as a facilitator: members of the facilitator channel, plus FACILITATOR_USER_IDS.
 * The member list is cached for a minute, and dropped as soon as Slack says someone joined or left.
 */
export class Facilitators {
  private members: { ids: Set<string>; expires: number } | undefined;
  private pending: Promise<Set<string>> | undefined;
  private bot: Promise<string | undefined> | undefined;

  constructor(
    private readonly slack: WebClient,
    readonly channelId: string,
    private readonly extraUserIds: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isFacilitator(userId: string): Promise<boolean> {
    if (this.extraUserIds.includes(userId)) return true;
    return (await this.channelMembers()).has(userId);
  }

  /**
   * The answer from the cache alone, or undefined when Slack would have to be asked. A list just
   * past its minute still answers while a fresh one is fetched behind it.
   */
  peek(userId: string): boolean | undefined {
    if (this.extraUserIds.includes(userId)) return true;
    if (!this.members) return undefined;
    if (this.members.expires <= this.now().getTime()) {
      if (this.members.expires + TTL_MS <= this.now().getTime()) return undefined;
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

  invalidate(): void {
    this.members = undefined;
  }

  private async channelMembers(): Promise<Set<string>> {
    if (this.members && this.members.expires > this.now().getTime()) return this.members.ids;
    // Concurrent requests share one listing rather than each paging through the channel.
    this.pending ??= this.fetchMembers().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchMembers(): Promise<Set<string>> {
    const ids = new Set<string>();
    try {
      let cursor: string | undefined;
      do {
        const res = await this.slack.conversations.members({ channel: this.channelId, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const id of res.members ?? []) ids.add(id);
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
      this.members = { ids, expires: this.now().getTime() + TTL_MS };
      return ids;
    } catch (error) {
      // Refuse rather than guess: without the list only FACILITATOR_USER_IDS count, and nothing is cached.
      this.logger.warn(`Could not list the facilitator channel ${this.channelId}; run "npx tandem doctor".`, error);
      return ids;
    }
  }
}
