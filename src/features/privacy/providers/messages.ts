import type { Kysely } from 'kysely';
import { holdsName, holdsUserId, replaceName, replaceUserId } from '../../../domain/erasure.js';
import type { Database } from '../../../store/database.js';
import type { OutboxRow } from '../../../store/outbox.js';
import type { DataSubject, PersonalDataProvider } from '../registry.js';

/** What a message's stored request is replaced with once its words are erased (it is never sent again). */
export const ERASED_REQUEST = '{"erased":true}';
const ERASED_NOTE = 'erased at the person’s request';

interface StoredRequest {
  kind?: string;
  channel?: string;
  user?: string;
  users?: string[];
  message?: { text?: string };
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

const asRequest = (value: unknown): StoredRequest => (typeof value === 'object' && value !== null ? (value as StoredRequest) : {});

/** Every string inside a stored request, changed by `change` (keys and structure untouched). */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, change));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]));
  return value;
}

/** Sent to the person: in their direct messages, their pair's group DM, or visible to them alone. */
function conversationWith(request: StoredRequest, userId: string): 'direct' | 'group' | undefined {
  if (request.users?.includes(userId)) return 'group';
  if (request.channel === userId || (request.kind === 'ephemeral' && request.user === userId)) return 'direct';
  return undefined;
}

const holdsPerson = (text: string, subject: DataSubject) => holdsUserId(text, subject.userId) || holdsName(text, subject.displayName);

/** The outbox rows that name the person, by Slack id or display name. */
async function rowsNaming(db: Kysely<Database>, subject: DataSubject, byName: boolean): Promise<OutboxRow[]> {
  const patterns = [`%${subject.userId}%`, ...(byName && subject.displayName.trim() !== '' ? [`%${subject.displayName.trim()}%`] : [])];
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where((eb) => eb.or(patterns.flatMap((p) => [eb('request', 'like', p), eb('channel_hint', 'like', p)])))
    .orderBy('id')
    .execute();
  return rows.filter((r) => (byName ? holdsPerson(r.request, subject) : holdsUserId(r.request, subject.userId)) || holdsUserId(r.channel_hint, subject.userId));
}

/**
 * The messages Tandem sent (or is about to send) to the person, and those about them. Their words
 * stay in the outbox after delivery, so they are personal data like any other record.
 * `formerParticipant` names the person, in messages still to be sent to others, once they are forgotten.
 */
export function messageData(formerParticipant: string): PersonalDataProvider {
  return {
    name: 'messages',

    async export(db, subject) {
      const rows = await rowsNaming(db, subject, false);
      return rows.flatMap((r) => {
        const request = asRequest(parse(r.request));
        const conversation = conversationWith(request, subject.userId);
        if (!conversation || r.kind === 'update') return [];
        return [{ queuedAt: r.created_at, sentAt: r.sent_at, status: r.status, conversation, text: request.message?.text ?? '' }];
      });
    },

    /**
     * Messages to the person lose their words, and those not sent yet are not sent. Messages about
     * them to others (the facilitators, their partner) lose their words once sent; those still to be
     * sent (such as the partner's notice that the pair ended) go, naming them only as a former
     * participant. The rows stay, so that no message is ever sent twice.
     */
    async forget(trx, subject, anonymousId) {
      const cancelled: string[] = [];
      for (const row of await rowsNaming(trx, subject, true)) {
        const stored = parse(row.request);
        const conversation = conversationWith(asRequest(stored), subject.userId);
        const hint = replaceUserId(row.channel_hint, subject.userId, anonymousId);
        if (conversation !== undefined || row.status !== 'pending' || stored === undefined) {
          await trx
            .updateTable('outbox')
            .set({
              request: ERASED_REQUEST,
              channel_hint: hint,
              // A group DM's message may still be edited for the partner: it keeps where it landed.
              ...(conversation === 'direct' ? { result_channel: null, result_ts: null } : {}),
              ...(row.status === 'pending' ? { status: 'dead', last_error: ERASED_NOTE, lease_owner: null, lease_until: null } : {}),
            })
            .where('id', '=', row.id)
            .execute();
          if (row.status === 'pending') cancelled.push(row.key);
          continue;
        }
        const cleaned = mapStrings(stored, (text) => replaceName(replaceUserId(text, subject.userId, anonymousId, formerParticipant), subject.displayName, formerParticipant));
        await trx.updateTable('outbox').set({ request: JSON.stringify(cleaned), channel_hint: hint }).where('id', '=', row.id).execute();
      }
      // Slack's pace of the posts to the person's DMs is kept under the same lane names: forgotten
      // with them (a lane only ever holds a second or a Retry-After).
      const lanes = await trx.selectFrom('slack_pace').select('lane').where('lane', 'like', `%${subject.userId}%`).execute();
      const naming = lanes.map((l) => l.lane).filter((lane) => holdsUserId(lane, subject.userId));
      if (naming.length > 0) await trx.deleteFrom('slack_pace').where('lane', 'in', naming).execute();
      // Edits of a message that will now never be posted would only fail later and be reported as lost.
      if (cancelled.length > 0) {
        await trx
          .updateTable('outbox')
          .set({ request: ERASED_REQUEST, status: 'dead', last_error: ERASED_NOTE, lease_owner: null, lease_until: null })
          .where('after_key', 'in', cancelled)
          .where('status', '=', 'pending')
          .execute();
      }
    },
  };
}
