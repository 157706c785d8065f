import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import { formatList, type Locale, t, type MessageKey } from '../../i18n/index.js';
import type { Database } from '../../store/database.js';
import type { OutboxRow } from '../../store/outbox.js';

/** Outbox keys of the summaries of lost messages: one pending at a time. */
export const LOST_SUMMARY_PREFIX = 'lost:summary:';

/** What kind of message a key names, in words a facilitator reads (keys are the features' own). */
const CATEGORY_BY_PREFIX: Record<string, MessageKey> = {
  run: 'workspace.lost.category.matching',
  intro: 'workspace.lost.category.introduction',
  contract: 'workspace.lost.category.contract',
  prompt: 'workspace.lost.category.checkin',
  checkin: 'workspace.lost.category.checkin',
  reminder: 'workspace.lost.category.checkin',
  escalation: 'workspace.lost.category.escalation',
  pair: 'workspace.lost.category.pair',
  direct: 'workspace.lost.category.pair',
  left: 'workspace.lost.category.left',
  deactivated: 'workspace.lost.category.left',
  forgotten: 'workspace.lost.category.left',
  pause: 'workspace.lost.category.pause',
  resume: 'workspace.lost.category.pause',
  programme: 'workspace.lost.category.settings',
};

function categoryOf(key: string): MessageKey {
  return CATEGORY_BY_PREFIX[key.split(':')[0] ?? ''] ?? 'workspace.lost.category.other';
}

/** Who a lost message was for, as a facilitator reads it. */
function recipientOf(deps: Deps, locale: Locale, request: string): string {
  try {
    const parsed = JSON.parse(request) as { kind?: string; channel?: string; users?: string[]; user?: string };
    if (Array.isArray(parsed.users)) return formatList(locale, Array.from(parsed.users, (u) => `<@${u}>`));
    if (parsed.kind === 'ephemeral' && parsed.user) return `<@${parsed.user}>`;
    if (parsed.channel === deps.config.facilitatorChannelId) return t(locale, 'workspace.lost.thisChannel');
    if (parsed.channel && /^[UW]/.test(parsed.channel)) return `<@${parsed.channel}>`;
    return t(locale, 'workspace.lost.aConversation');
  } catch {
    return t(locale, 'workspace.lost.aConversation');
  }
}

/** The summary's text: how many messages were given up, by kind, and for whom. */
export function lostSummaryText(deps: Deps, locale: Locale, rows: readonly Pick<OutboxRow, 'key' | 'request'>[]): string {
  const byCategory = new Map<MessageKey, Set<string>>();
  const counts = new Map<MessageKey, number>();
  for (const row of rows) {
    const category = categoryOf(row.key);
    counts.set(category, (counts.get(category) ?? 0) + 1);
    const recipients = byCategory.get(category) ?? new Set<string>();
    recipients.add(recipientOf(deps, locale, row.request));
    byCategory.set(category, recipients);
  }
  const lines = [...counts].map(([category, count]) => {
    const recipients = [...(byCategory.get(category) ?? [])];
    const more = recipients.length - 5;
    const shown = more > 0 ? [...recipients.slice(0, 5), t(locale, 'workspace.lost.others', { count: more })] : recipients;
    return `• ${t(locale, category, { count })} ${t(locale, 'workspace.lost.for', { recipients: formatList(locale, shown) })}`;
  });
  return `${t(locale, 'workspace.lost.summary', { count: rows.length })}\n${lines.join('\n')}`;
}

/**
 * A message Slack would not take for a day (or ever) is not lost silently, but a long outage must
 * not end in one notice per message: the losses join one summary to the facilitators, rewritten as
 * long as it waits to be sent, and a new one starts only once it went.
 */
export async function reportLostMessage(deps: Deps, row: OutboxRow): Promise<void> {
  if (row.key.startsWith('lost:')) return;
  const locale = deps.config.defaultLocale;
  await deps.store.db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('outbox')
      .select('key')
      .where('key', 'like', `${LOST_SUMMARY_PREFIX}%`)
      .where('status', '=', 'pending')
      .where('lease_owner', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const summary = async (key: string) => {
      await trx.updateTable('outbox').set({ lost_notice: key }).where('id', '=', row.id).execute();
      const covered = await trx.selectFrom('outbox').select(['key', 'request']).where('lost_notice', '=', key).orderBy('id').execute();
      return { kind: 'post' as const, channel: deps.config.facilitatorChannelId, message: { text: lostSummaryText(deps, locale, covered) } };
    };
    if (pending && (await rewrite(trx, pending.key, JSON.stringify(await summary(pending.key))))) return;
    // None waiting (or it was just taken for delivery): this loss starts a new summary.
    const key = `${LOST_SUMMARY_PREFIX}${row.id}`;
    await deps.outbox.enqueue(trx, key, await summary(key));
  });
}

/** Rewrites a summary still waiting (not taken by a delivery); false when it was taken meanwhile. */
async function rewrite(db: Kysely<Database>, key: string, request: string): Promise<boolean> {
  const result = await db.updateTable('outbox').set({ request }).where('key', '=', key).where('status', '=', 'pending').where('lease_owner', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
