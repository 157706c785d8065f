import { type Generated, Kysely, type Migration, type Selectable, sql } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { recordingDeliveries } from './deliveries.js';

import type { Cadence, Format, Role } from '../domain/profile.js';
import type { CalendarCancellationTable, ContractCalendarTable, ContractSignatureTable, ContractTable } from './contracts.js';
import type { EscalationReasonTable, EscalationTable, StallCheckTable } from './escalations.js';
import type { CheckinPromptTable, CheckinTable, ClosingSurveyTable, FollowupTable, PromptAnswerTable } from './followup.js';
import type { HomeTabTable } from './home.js';
import type { OutboxTable } from './outbox.js';
import type { SlackPaceTable } from './pace.js';
import type SQLite from 'better-sqlite3';
import { type Engine, engineOf, type OpenOptions, openDialect, parseDatabaseUrl, withAdvisoryLock, withPatientTransactions } from './engine.js';

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
  engine: Engine;
  /** Where the database is, never with its password: for logs and messages. */
  description: string;
  /** Called with a problem when the database stops answering, and with null once it answers again. */
  onHealth(listener: (problem: string | null) => void): void;
  /** The SQLite connection itself, on SQLite only: for what has no SQL (backups, file pragmas in tests). */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

/**
 * Opens the database DATABASE_URL names: a SQLite file (created with its folder if missing) or a
 * PostgreSQL server (reached at the first query). Throws DatabaseUrlError for a malformed URL.
 */
export function openStore(url: string, options: OpenOptions = {}): Store {
  const { engine, dialect, description, health, sqlite } = openDialect(parseDatabaseUrl(url), options);
  const db = withPatientTransactions(new Kysely<Database>({ dialect: recordingDeliveries(dialect) }));
  return { db, engine, description, onHealth: (listener) => health.on(listener), ...(sqlite ? { sqlite } : {}), close: () => db.destroy() };
}

export interface MigrationOutcome {
  applied: string[];
  error?: unknown;
}

/** The database carries migrations this version of Tandem does not know: a newer Tandem migrated it. */
export class NewerDatabaseError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `the database was migrated by a newer version of Tandem (it has ${unknownMigrations.join(', ')}, which this version does not know): run that newer version, or restore the backup taken before the upgrade`,
    );
    this.name = 'NewerDatabaseError';
  }
}

const MIGRATION_LOCK = 'tandem:migrate';

/**
 * Applies the migrations this version lists, under a lock every instance on the database shares:
 * several instances starting at once apply each migration once, the others waiting their turn.
 */
export async function migrate(db: Kysely<Database>, list: Readonly<Record<string, Migration>> = migrations): Promise<MigrationOutcome> {
  return withAdvisoryLock(db, MIGRATION_LOCK, async (locked) => {
    const recorded = await recordedMigrations(locked);
    const state = stateOf(recorded, list);
    if (state === 'newer') return { applied: [], error: new NewerDatabaseError(recorded.filter((name) => !(name in list))) };
    if (state === 'current') return { applied: [] };
    return applyMissing(locked, list, new Set(recorded));
  });
}

/**
 * Applies, in order, each migration not yet recorded, with its record: on PostgreSQL in a
 * transaction of its own, on SQLite in a savepoint of the lock's transaction. One that fails leaves
 * nothing of itself behind, and those before it stay applied. The table of applied migrations is
 * Kysely's own (same name and columns), so databases migrated by earlier versions read the same;
 * Kysely's migrator itself is not used: before anything, it looked through every table of every
 * schema of the database, which failed whenever another schema was dropped meanwhile.
 */
async function applyMissing(db: Kysely<Database>, list: Readonly<Record<string, Migration>>, recorded: ReadonlySet<string>): Promise<MigrationOutcome> {
  const pending = Object.keys(list)
    .sort()
    .filter((name) => !recorded.has(name));
  // Written for the schema as it was before the ones after it: applied after them, it would meet another.
  const last = [...recorded].sort().at(-1);
  const late = last === undefined ? [] : pending.filter((name) => name < last);
  if (late.length > 0) return { applied: [], error: new Error(`migration ${late.join(', ')} sorts before ${last}, which is applied already: give it a name that sorts after the last migration`) };

  const postgres = engineOf(db) === 'postgres';
  await sql`create table if not exists kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(db);
  const applied: string[] = [];
  for (const name of pending) {
    await sql.raw(postgres ? 'begin' : 'savepoint migration').execute(db);
    try {
      await list[name]!.up(db);
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(db);
      await sql.raw(postgres ? 'commit' : 'release savepoint migration').execute(db);
    } catch (cause) {
      const error = new Error(`migration ${name} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      try {
        if (postgres) await sql`rollback`.execute(db);
        else {
          await sql`rollback to savepoint migration`.execute(db);
          await sql`release savepoint migration`.execute(db);
        }
      } catch {
        // The failure took the transaction with it (a full disk, a lost connection): nothing of this
        // migration stays either way, and its error is the one to see.
        throw error;
      }
      return { applied, error };
    }
    applied.push(name);
  }
  return { applied };
}

/**
 * The migrations recorded in the database (none for a new one), read from Kysely's own table
 * directly: asking Kysely's migrator would first look through every table of every schema of the
 * database, a cost (on each /readyz) and, on a server whose other schemas come and go, a race.
 */
async function recordedMigrations(db: Kysely<Database>): Promise<string[]> {
  try {
    const result = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    return result.rows.map((row) => row.name);
  } catch (error) {
    // A new database has no table of migrations yet; any other failure is the caller's to see.
    if (/kysely_migration/.test(error instanceof Error ? error.message : '')) return [];
    throw error;
  }
}

export type SchemaState = 'current' | 'behind' | 'newer';

function stateOf(recorded: readonly string[], list: Readonly<Record<string, Migration>> = migrations): SchemaState {
  if (recorded.some((name) => !(name in list))) return 'newer';
  const done = new Set(recorded);
  return Object.keys(list).every((name) => done.has(name)) ? 'current' : 'behind';
}

/** Whether the database has exactly this version's migrations, misses some, or has some it does not know. */
export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
  return stateOf(await recordedMigrations(db));
}
