import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, Migrator, SqliteDialect, type SqliteDialectConfig, type Selectable } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { recordingDeliveries } from './deliveries.js';

import type { Cadence, Format, Role } from '../domain/profile.js';
import type { CalendarCancellationTable, ContractCalendarTable, ContractSignatureTable, ContractTable } from './contracts.js';
import type { EscalationReasonTable, EscalationTable, StallCheckTable } from './escalations.js';
import type { CheckinPromptTable, CheckinTable, ClosingSurveyTable, FollowupTable, PromptAnswerTable } from './followup.js';
import type { HomeTabTable } from './home.js';
import type { OutboxTable } from './outbox.js';
import type { SlackPaceTable } from './pace.js';

export type ParticipantStatus = 'enrolled' | 'matched' | 'paired' | 'paused' | 'completed' | 'left';

export interface ParticipantTable {
  id: Generated<number>;
  slack_user_id: string;
  role: Role;
  status: ParticipantStatus;
  shares: string;
  learns: string;
  department: string;
  manager_user_id: string | null;
  languages: string;
  format: Format;
  cadence: Cadence;
  motivation: string;
  consent_at: string;
  time_zone: string;
  locale: string;
  display_name: string;
  created_at: string;
  updated_at: string;
  left_at: string | null;
  /** Set once the person's personal data is erased (src/features/privacy). */
  forgotten_at: string | null;
  /** The last day of a dated pause of someone not in an active pair (waiting, or before signing). */
  paused_until: string | null;
  /** When that person's last pause ended. */
  resumed_at: string | null;
}

export interface ProgrammeTable {
  id: number;
  checkin_hour: number;
  default_cadence: Cadence;
  allow_same_department: number;
  allow_guests: number;
  matching_weights: string;
  contract_unsigned_days: number;
  introduction_unanswered_days: number;
  starts_on: string | null;
  ends_on: string | null;
  updated_at: string;
  // Since 006_programme_settings.
  first_meeting_days: number;
  missed_cadence_factor: number;
  low_rating: number;
  unanswered_prompts_in_a_row: number;
  escalation_reraise_working_days: number;
  retention_months: number;
  version: number;
}

export interface ProcessedEventTable {
  event_id: string;
  processed_at: string;
}

/** The version of a list that processes keep in memory (see 015_fleet): bumped when it goes stale. */
export interface CacheVersionTable {
  name: string;
  version: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: string;
  action: string;
  subject: string;
  details: string;
}

export type PairStatus = 'proposed' | 'introduced' | 'accepted' | 'active' | 'completed' | 'ended' | 'rejected' | 'declined' | 'withdrawn';
export type Answer = 'accepted' | 'declined';

export interface PairTable {
  id: Generated<number>;
  junior_id: number;
  senior_id: number;
  status: PairStatus;
  score: number;
  reasons: string;
  run_id: number | null;
  batch: number | null;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  junior_answer: Answer | null;
  senior_answer: Answer | null;
  introduced_at: string | null;
  accepted_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
  end_reason: string | null;
  updated_at: string;
  /** Set once the pair's free text is erased past the retention period (src/features/privacy). */
  anonymised_at: string | null;
}

export interface MatchingRunTable {
  id: Generated<number>;
  started_by: string;
  started_at: string;
  juniors: number;
  seniors: number;
  proposals: number;
  unmatched: number;
  total_score: number;
}

export interface Database {
  participant: ParticipantTable;
  pair: PairTable;
  matching_run: MatchingRunTable;
  programme: ProgrammeTable;
  processed_event: ProcessedEventTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  contract: ContractTable;
  contract_signature: ContractSignatureTable;
  contract_calendar: ContractCalendarTable;
  calendar_cancellation: CalendarCancellationTable;
  followup: FollowupTable;
  checkin_prompt: CheckinPromptTable;
  checkin: CheckinTable;
  prompt_answer: PromptAnswerTable;
  closing_survey: ClosingSurveyTable;
  home_tab: HomeTabTable;
  escalation: EscalationTable;
  escalation_reason: EscalationReasonTable;
  stall_check: StallCheckTable;
  slack_pace: SlackPaceTable;
  cache_version: CacheVersionTable;
}

export type ParticipantRow = Selectable<ParticipantTable>;
export type ProgrammeRow = Selectable<ProgrammeTable>;
export type PairRow = Selectable<PairTable>;

export interface Store {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/** Opens the SQLite file (created with its folder if missing) with WAL and foreign keys on. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the bot beside `tandem jobs run`) may hold the write lock for a moment; past
  // 1 s the write fails as a storage fault, so that a person still hears "try again" within Slack's
  // 3 s (and since better-sqlite3 waits synchronously, the bot is not frozen for longer).
  sqlite.pragma('busy_timeout = 1000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: recordingDeliveries(new SqliteDialect({ database: withStatementCache(sqlite) })) });
  return { db, sqlite, close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing is a good part of a simple lookup's cost, so the
 * prepared statements are kept by their SQL text (the queries are few shapes with parameters).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      // Transactions take the write lock as they begin: a deferred one that read first could not
      // write once another process (the bot beside `tandem jobs run`) had committed in between,
      // and would fail at once instead of waiting its turn (busy_timeout).
      const sql = text === 'begin' ? 'begin immediate' : text;
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export interface MigrationOutcome {
  applied: string[];
  error?: unknown;
}

export async function migrate(db: Kysely<Database>): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return error === undefined ? { applied } : { applied, error };
}

/** True when every migration listed in code has been applied. */
export async function isMigrated(db: Kysely<Database>): Promise<boolean> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
