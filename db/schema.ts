// The database's shape as Kysely sees it. Migrations in db/migrations/ create it; this file
// must describe what they leave behind. SQLite has no boolean: flags are 0/1 integers.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export type Flag = 0 | 1;
/** ISO-8601 UTC timestamp, e.g. 2026-11-23T18:32:46.123Z. */
export type Timestamp = string;

export const ORGANISATION_KINDS = [
  "municipal_administration",
  "social_enterprise",
  "association",
  "company",
  "foundation",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const CHALLENGE_STATUSES = ["draft", "open", "in_dialogue", "closed", "solved"] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

export const SOLUTION_STATUSES = ["draft", "published", "archived"] as const;
export type SolutionStatus = (typeof SOLUTION_STATUSES)[number];

export const SOLUTION_STAGES = ["idea", "pilot", "running", "scaling"] as const;
export type SolutionStage = (typeof SOLUTION_STAGES)[number];

export const LANGUAGES = ["da", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const GLOBAL_ROLES = ["administrator", "community_manager"] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

export const MEMBERSHIP_ROLES = ["owner", "member"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const OUTBOX_STATUSES = ["pending", "done", "dead"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface MunicipalityTable {
  code: string;
  name_da: string;
  name_en: string;
  cvr: string | null;
  whole_city_da: string;
  whole_city_en: string;
}

export interface DistrictTable {
  code: string;
  name_da: string;
  name_en: string;
  sort_order: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface SdgGoalTable {
  goal: number;
  short_da: string;
  short_en: string;
  title_en: string;
}

export interface SdgTargetTable {
  id: string;
  goal: number;
  title_en: string;
  sort_order: number;
}

export interface TargetGroupTable {
  code: string;
  name_da: string;
  name_en: string;
  sort_order: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface ProcurementRouteTable {
  code: string;
  name_da: string;
  name_en: string;
  legal_ref: string | null;
  guidance_da: string;
  guidance_en: string;
  sort_order: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface ProcurementThresholdTable {
  id: Generated<number>;
  kind: string;
  name_da: string;
  name_en: string;
  amount_dkk: number;
  valid_from: string;
  valid_to: string | null;
}

export interface OrganisationTable {
  id: Generated<number>;
  kind: OrganisationKind;
  /** Reference code of a municipal administration (e.g. "SOF"); null for everyone else. */
  code: string | null;
  name: string;
  name_en: string | null;
  cvr: string | null;
  /** What the company register said: none (no CVR), pending, verified, not_found. */
  cvr_status: ColumnType<string, string | undefined, string>;
  rsv_registered: ColumnType<Flag, Flag | undefined, Flag>;
  rsv_confirmed_at: Timestamp | null;
  rsv_confirmed_by: number | null;
  website: string | null;
  description: string | null;
  district_code: string | null;
  /** A team or role mailbox the public may see, never a person's address. */
  contact_email: string | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTable {
  id: Generated<number>;
  /** Personal data: exported and erased on request. */
  email: string;
  /** Personal data. */
  name: string;
  password_hash: string | null;
  email_verified_at: Timestamp | null;
  locale: ColumnType<Language, Language | undefined, Language>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
  /** Set when a user's personal data was erased; the row stays so history keeps its shape. */
  erased_at: Timestamp | null;
  /** Set by an administrator: the account cannot sign in (audit_events says who and why). */
  deactivated_at: Timestamp | null;
}

export interface UserRoleTable {
  user_id: number;
  role: GlobalRole;
  granted_at: Timestamp;
  granted_by: number | null;
}

export interface MembershipTable {
  organisation_id: number;
  user_id: number;
  role: MembershipRole;
  created_at: Timestamp;
}

/** The districts a community manager covers. */
export interface CuratorDistrictTable {
  user_id: number;
  district_code: string;
}

/** The administrations a community manager covers. */
export interface CuratorAdministrationTable {
  user_id: number;
  organisation_id: number;
}

export interface ChallengeTable {
  id: Generated<number>;
  title: string;
  summary: string;
  /** Markdown. */
  description: string;
  language: Language;
  owner_organisation_id: number;
  whole_city: ColumnType<Flag, Flag | undefined, Flag>;
  outcome_hoped: string | null;
  outcome_measure: string | null;
  budget_min_dkk: number | null;
  budget_max_dkk: number | null;
  procurement_route_code: string | null;
  /** A calendar date, YYYY-MM-DD, in Copenhagen. */
  deadline: string | null;
  contact_team: string | null;
  contact_email: string | null;
  status: ChallengeStatus;
  published_at: Timestamp | null;
  moderated_at: Timestamp | null;
  moderated_by: number | null;
  moderation_reason: string | null;
  /** Personal link: who wrote it (shown only to signed-in users). */
  created_by: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SolutionTable {
  id: Generated<number>;
  title: string;
  summary: string;
  description: string;
  language: Language;
  organisation_id: number;
  whole_city: ColumnType<Flag, Flag | undefined, Flag>;
  stage: SolutionStage;
  evidence: string | null;
  price_model: string | null;
  status: SolutionStatus;
  published_at: Timestamp | null;
  moderated_at: Timestamp | null;
  moderated_by: number | null;
  moderation_reason: string | null;
  created_by: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChallengeCoOwnerTable {
  challenge_id: number;
  organisation_id: number;
}
export interface ChallengeDistrictTable {
  challenge_id: number;
  district_code: string;
}
export interface ChallengeSdgGoalTable {
  challenge_id: number;
  goal: number;
}
export interface ChallengeSdgTargetTable {
  challenge_id: number;
  target_id: string;
}
export interface ChallengeTargetGroupTable {
  challenge_id: number;
  target_group_code: string;
}
export interface SolutionDistrictTable {
  solution_id: number;
  district_code: string;
}
export interface SolutionSdgGoalTable {
  solution_id: number;
  goal: number;
}
export interface SolutionSdgTargetTable {
  solution_id: number;
  target_id: string;
}
export interface SolutionTargetGroupTable {
  solution_id: number;
  target_group_code: string;
}

export interface OutboxTable {
  id: Generated<number>;
  /** What to do, e.g. "search.index". */
  topic: string;
  /** The record the row is about, e.g. "challenge:12"; rows for the same record coalesce. */
  record_key: string;
  /** JSON. */
  payload: string;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  /** Bumped whenever a pending row is coalesced, so a worker never marks newer work done. */
  revision: ColumnType<number, number | undefined, number>;
  /** Global write order: a reindex replays every row written after its snapshot. */
  seq: number;
  attempts: ColumnType<number, number | undefined, number>;
  available_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: Timestamp | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  last_seen_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  /** The absolute end of the session; the idle limit is counted from last_seen_at. */
  expires_at: Timestamp;
  /** The browser's User-Agent, shortened, so a person can tell their sessions apart. */
  user_agent: string | null;
  /** When this session proved the second factor; null for accounts without one. */
  second_factor_at: Timestamp | null;
  /** 1 between a right password and the second factor: such a session opens nothing. */
  awaiting_second_factor: ColumnType<Flag, Flag | undefined, Flag>;
}

/** Every mailed token's purpose, and how long it lives (README: Security). */
export const TOKEN_PURPOSES = ["verify_email", "reset_password", "invitation", "introduction", "unsubscribe"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** One mailed token: only its hash, what it is for and about, and whom it was sent to. */
export interface TokenTable {
  id: Generated<number>;
  purpose: TokenPurpose;
  token_hash: string;
  /** What the token is about: "user:7", "invitation:3", "match:5:challenge", "subscription:9". */
  subject: string;
  /** The addressee's account, when there is one. */
  user_id: number | null;
  /** The address the mail went to (personal data, erased with the account). */
  email: string;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** One attempt that counts against a rate limit's bucket, e.g. "signin:address:10.0.0.7". */
export interface RateEventTable {
  id: Generated<number>;
  bucket: string;
  at: Timestamp;
}

/**
 * Append-only (triggers in 0005-trust): role grants and revocations, deactivations,
 * moderation, reference edits, confirmations, second factors. The workbench's history of
 * pairs is audit_log.
 */
export interface AuditEventTable {
  id: Generated<number>;
  at: ColumnType<Timestamp, Timestamp | undefined, never>;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  /** "user:7", "challenge:3", "organisation:2", "district:noerrebro". */
  subject: string;
  /** JSON object. */
  detail: ColumnType<string, string | undefined, never>;
  reason: string | null;
}

/** A TOTP second factor (RFC 6238). */
export interface SecondFactorTable {
  user_id: number;
  /** Base32; the portal must read it to check codes. */
  secret: string;
  /** Null while being set up. */
  enabled_at: Timestamp | null;
  /** The newest time step a code was accepted for, so no code works twice. */
  last_step: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface InvitationTable {
  id: Generated<number>;
  /** Personal data until accepted. */
  email: string;
  organisation_id: number | null;
  membership_role: MembershipRole | null;
  global_role: GlobalRole | null;
  /** JSON: {"districts": string[], "administrations": number[]} for a community manager. */
  scope: ColumnType<string, string | undefined, string>;
  invited_by: number | null;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: number | null;
}

export const PROPOSAL_STATUSES = ["sent", "accepted", "declined", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface ProposalTable {
  id: Generated<number>;
  challenge_id: number;
  solution_id: number;
  proposed_by: number | null;
  pitch: string;
  status: ColumnType<ProposalStatus, ProposalStatus | undefined, ProposalStatus>;
  answer: string | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  updated_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface FollowTable {
  user_id: number;
  challenge_id: number;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface ReportTable {
  id: Generated<number>;
  record_kind: "challenge" | "solution";
  record_id: number;
  reason: string;
  reporter_id: number | null;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  resolved_at: Timestamp | null;
  resolved_by: number | null;
  resolution: "unpublished" | "dismissed" | null;
}

export interface MatchModelTable {
  version: string;
  fitted_at: Timestamp;
  documents: number;
  meta: string;
  vectors: Buffer;
  is_current: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface MatchFeatureTable {
  record_kind: "challenge" | "solution";
  record_id: number;
  model_version: string;
  /** JSON, see search/matcher/records.ts. */
  terms: string;
  surface: string;
  /** Float32 little-endian, unit length. */
  embedding: Buffer;
  computed_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface MatchSuggestionTable {
  challenge_id: number;
  solution_id: number;
  score: number;
  /** JSON: the feature values. */
  features: string;
  /** JSON: MatchReason[]. */
  reasons: string;
  model_version: string;
  computed_at: Timestamp;
  for_challenge: ColumnType<Flag, Flag | undefined, Flag>;
  for_solution: ColumnType<Flag, Flag | undefined, Flag>;
}

export const MATCH_DECISIONS = ["accepted", "dismissed", "added"] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

/** A curator's judgement of a pair; recomputed suggestions never touch it. */
export interface MatchDecisionTable {
  id: Generated<number>;
  challenge_id: number;
  solution_id: number;
  decision: MatchDecision;
  reason: string | null;
  note: string | null;
  decided_by: number | null;
  decided_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export const MATCH_STAGES = ["accepted", "introduced", "meeting", "pilot", "agreement", "outcome", "ended"] as const;
export type MatchStage = (typeof MATCH_STAGES)[number];

export const MATCH_ORIGINS = ["suggestion", "proposal", "manual"] as const;
export type MatchOrigin = (typeof MATCH_ORIGINS)[number];

/** A pair a person decided should meet: one lifecycle whichever way it arose. */
export interface MatchTable {
  id: Generated<number>;
  challenge_id: number;
  solution_id: number;
  origin: MatchOrigin;
  proposal_id: number | null;
  stage: ColumnType<MatchStage, MatchStage | undefined, MatchStage>;
  ended_at_stage: MatchStage | null;
  end_reason: string | null;
  procurement_route_code: string | null;
  agreement_note: string | null;
  outcome_result: string | null;
  next_step: string | null;
  /** YYYY-MM-DD, Europe/Copenhagen. */
  next_step_due: string | null;
  score: number | null;
  /** JSON: MatchReason[] as the matcher gave them when the pair was accepted. */
  reasons: string | null;
  curator_id: number | null;
  introduced_at: Timestamp | null;
  version: Generated<number>;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  updated_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface MatchNoteTable {
  id: Generated<number>;
  match_id: number;
  author_id: number | null;
  body: string;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export type MatchParty = "challenge" | "solution";

export interface MatchConfirmationTable {
  match_id: number;
  party: MatchParty;
  email: string;
  language: Language;
  sent_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  confirmed_at: Timestamp | null;
}

/** Append-only: the database refuses UPDATE and DELETE (triggers in 0004-curation). */
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Timestamp, Timestamp | undefined, never>;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  challenge_id: number;
  solution_id: number;
  match_id: number | null;
  /** JSON object. */
  detail: ColumnType<string, string | undefined, never>;
  reason: string | null;
}

export const SUBSCRIPTION_TOPICS = ["matching_challenges", "matching_solutions", "followed_challenges"] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];
export const DELIVERIES = ["immediate", "weekly"] as const;
export type Delivery = (typeof DELIVERIES)[number];

export interface SubscriptionTable {
  id: Generated<number>;
  user_id: number;
  topic: SubscriptionTopic;
  delivery: Delivery;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface NotificationItemTable {
  subscription_id: number;
  item_key: string;
  /** JSON. */
  payload: string;
  created_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
  sent_period: string | null;
}

export interface NotificationSendTable {
  subscription_id: number;
  period: string;
  items: number;
  sent_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface ReminderSendTable {
  match_id: number;
  due: string;
  sent_at: ColumnType<Timestamp, Timestamp | undefined, Timestamp>;
}

export interface Database {
  municipality: MunicipalityTable;
  districts: DistrictTable;
  sdg_goals: SdgGoalTable;
  sdg_targets: SdgTargetTable;
  target_groups: TargetGroupTable;
  procurement_routes: ProcurementRouteTable;
  procurement_thresholds: ProcurementThresholdTable;
  organisations: OrganisationTable;
  users: UserTable;
  user_roles: UserRoleTable;
  memberships: MembershipTable;
  curator_districts: CuratorDistrictTable;
  curator_administrations: CuratorAdministrationTable;
  challenges: ChallengeTable;
  challenge_co_owners: ChallengeCoOwnerTable;
  challenge_districts: ChallengeDistrictTable;
  challenge_sdg_goals: ChallengeSdgGoalTable;
  challenge_sdg_targets: ChallengeSdgTargetTable;
  challenge_target_groups: ChallengeTargetGroupTable;
  solutions: SolutionTable;
  solution_districts: SolutionDistrictTable;
  solution_sdg_goals: SolutionSdgGoalTable;
  solution_sdg_targets: SolutionSdgTargetTable;
  solution_target_groups: SolutionTargetGroupTable;
  outbox: OutboxTable;
  sessions: SessionTable;
  tokens: TokenTable;
  rate_events: RateEventTable;
  audit_events: AuditEventTable;
  second_factors: SecondFactorTable;
  recovery_codes: RecoveryCodeTable;
  invitations: InvitationTable;
  proposals: ProposalTable;
  follows: FollowTable;
  reports: ReportTable;
  match_models: MatchModelTable;
  match_features: MatchFeatureTable;
  match_suggestions: MatchSuggestionTable;
  match_decisions: MatchDecisionTable;
  matches: MatchTable;
  match_notes: MatchNoteTable;
  match_confirmations: MatchConfirmationTable;
  audit_log: AuditLogTable;
  subscriptions: SubscriptionTable;
  notification_items: NotificationItemTable;
  notification_sends: NotificationSendTable;
  reminder_sends: ReminderSendTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Challenge = Selectable<ChallengeTable>;
export type NewChallenge = Insertable<ChallengeTable>;
export type ChallengeUpdate = Updateable<ChallengeTable>;
export type Solution = Selectable<SolutionTable>;
export type NewSolution = Insertable<SolutionTable>;
export type SolutionUpdate = Updateable<SolutionTable>;
export type OutboxRow = Selectable<OutboxTable>;
