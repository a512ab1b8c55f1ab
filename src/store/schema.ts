/**
 * The SQLite schema. Requests are stored once, by a key built only from what changes
 * the output (target identity, messages, parameters, sample index), so an identical
 * request is never sent twice and a rerun resumes exactly where it stopped.
 * Version 2 added typed columns (run kind and roles, placements, step roles, warnings);
 * upgrade.ts brings a version 1 database up to it in place.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS suites (
  hash TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  -- the suite as JSON, without its items (they are rows of \`items\`)
  definition TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
  suite_hash TEXT NOT NULL REFERENCES suites(hash),
  item_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (suite_hash, item_id)
);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  suite_hash TEXT NOT NULL REFERENCES suites(hash),
  suite_id TEXT NOT NULL,
  target TEXT NOT NULL,
  target_identity TEXT NOT NULL,
  arm TEXT NOT NULL,
  arm_prompt TEXT,
  samples INTEGER NOT NULL,
  -- settings beyond the columns that identify the run (JSON, validated when read)
  config TEXT NOT NULL DEFAULT '{}',
  tool_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- the experiment kind, and the models by role: {target, judges, contextualizer?, client?}
  kind TEXT NOT NULL DEFAULT '',
  roles TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS requests (
  key TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  sample INTEGER NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  text TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finish_reason TEXT,
  model TEXT,
  latency_ms REAL,
  attempts INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  updated_at TEXT NOT NULL,
  -- what the target changed to send the request (JSON array), null when nothing
  warnings TEXT
);
-- The target's answer to each item of a run; placed stimuli say where they sit.
CREATE TABLE IF NOT EXISTS run_items (
  run_id TEXT NOT NULL REFERENCES runs(id),
  item_id TEXT NOT NULL,
  sample INTEGER NOT NULL,
  request_key TEXT NOT NULL,
  stimulus_id TEXT,
  transcript TEXT,
  transcript_position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, item_id, sample)
);
CREATE INDEX IF NOT EXISTS run_items_request ON run_items(request_key);
-- Requests a run item needs besides the target's answer: a contextualization bridge, each
-- judge's answer to each check, a conversation's turns. \`step\` is a name derived from
-- the typed columns (unique per item and sample); meta is JSON, validated when read.
CREATE TABLE IF NOT EXISTS run_steps (
  run_id TEXT NOT NULL REFERENCES runs(id),
  item_id TEXT NOT NULL,
  sample INTEGER NOT NULL,
  step TEXT NOT NULL,
  request_key TEXT NOT NULL,
  meta TEXT NOT NULL DEFAULT '{}',
  role TEXT NOT NULL DEFAULT '',
  turn INTEGER,
  check_index INTEGER,
  judge_index INTEGER,
  PRIMARY KEY (run_id, item_id, sample, step)
);
-- People's labels of a stored response: a rater's answer to one of its checks.
CREATE TABLE IF NOT EXISTS labels (
  request_key TEXT NOT NULL,
  check_index INTEGER NOT NULL,
  rater TEXT NOT NULL,
  label TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (request_key, check_index, rater)
);
-- A reviewer's optional note beside a label (careprobe view).
CREATE TABLE IF NOT EXISTS label_notes (
  request_key TEXT NOT NULL,
  check_index INTEGER NOT NULL,
  rater TEXT NOT NULL,
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (request_key, check_index, rater)
);
-- Replies typed or pasted by people, turn by turn, before they become a run's answer:
-- target human:<name> (Answer) or manual:<app> (Capture); identity is the app's version.
CREATE TABLE IF NOT EXISTS captures (
  target TEXT NOT NULL,
  identity TEXT NOT NULL,
  suite_hash TEXT NOT NULL,
  item_id TEXT NOT NULL,
  turn INTEGER NOT NULL,
  reply TEXT NOT NULL,
  captured_at TEXT NOT NULL,
  PRIMARY KEY (target, identity, suite_hash, item_id, turn)
);
`;
