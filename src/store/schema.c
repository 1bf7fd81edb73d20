/* schema.c — the database schema as a list of migrations (PRAGMA user_version counts
 * them).  A released migration is never edited: a change is a new entry. */
#include "schema.h"

/* Version 1: messages and their custody, threads, the full-text index.  Later versions add
 * the tables their issues need (notes, referrals, events, outbox, audit, holds) as further
 * entries of migrations[]; a migration is never edited once released. */
const char *const schema_migrations[] = {
	/* 1 */
	"CREATE TABLE mailboxes ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  troop TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  enrolled_at INTEGER NOT NULL);"
	/* One row per distinct content (SHA-256); the bytes live in message_raw so that listing
	 * never walks a large blob's overflow pages. */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  size INTEGER NOT NULL,"
	"  message_id TEXT,"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  from_addr TEXT NOT NULL DEFAULT '',"
	"  from_name TEXT,"
	"  from_text TEXT NOT NULL DEFAULT '',"
	"  to_text TEXT NOT NULL DEFAULT '',"
	"  date INTEGER NOT NULL DEFAULT 0,"
	"  body TEXT NOT NULL DEFAULT '',"
	"  attachments TEXT NOT NULL DEFAULT '',"
	"  quarantine_reason TEXT,"
	"  stored_at INTEGER NOT NULL);"
	"CREATE INDEX messages_message_id ON messages (message_id);"
	"CREATE TABLE message_raw ("
	"  message_id INTEGER PRIMARY KEY REFERENCES messages (id),"
	"  raw BLOB NOT NULL);"
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  ordinal INTEGER NOT NULL,"
	"  filename TEXT,"
	"  content_type TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  UNIQUE (message_id, ordinal));"
	/* Every arrival: which mailbox and folder, from where (IMAP UID or file), when. */
	"CREATE TABLE custody ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),"
	"  folder TEXT NOT NULL,"
	"  uidvalidity INTEGER,"
	"  uid INTEGER,"
	"  source TEXT,"
	"  internal_date INTEGER,"
	"  arrived_at INTEGER NOT NULL,"
	/* arrival: it came in; duplicate: the same bytes came again into the same folder
	 * (counted, not stored again); resync: seen again under a new UIDVALIDITY. */
	"  kind TEXT NOT NULL DEFAULT 'arrival' CHECK (kind IN ('arrival', 'duplicate', 'resync')),"
	"  UNIQUE (mailbox_id, folder, source),"
	"  UNIQUE (mailbox_id, folder, uidvalidity, uid));"
	"CREATE INDEX custody_message ON custody (message_id, mailbox_id, folder);"
	"CREATE TABLE threads ("
	"  id INTEGER PRIMARY KEY,"
	"  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),"
	"  ref TEXT NOT NULL UNIQUE,"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  correspondent TEXT NOT NULL DEFAULT '',"
	"  correspondent_name TEXT,"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  base_subject TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL CHECK (kind IN ('person', 'machine')),"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'waiting', 'closed')),"
	"  assignee TEXT,"
	"  category TEXT,"
	"  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('urgent', 'high', 'normal')),"
	"  confidential INTEGER NOT NULL DEFAULT 0,"
	"  reportable INTEGER NOT NULL DEFAULT 0,"
	"  first_at INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL,"
	"  message_count INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX threads_subject ON threads (mailbox_id, correspondent, base_subject, last_at);"
	"CREATE INDEX threads_last ON threads (last_at);"
	"CREATE TABLE thread_counters ("
	"  troop TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  last_seq INTEGER NOT NULL,"
	"  PRIMARY KEY (troop, year));"
	/* Message-IDs seen in a mailbox (its messages' own and those they reference) → thread:
	 * the JWZ containers, flattened to the thread they belong to. */
	"CREATE TABLE thread_ids ("
	"  mailbox_id INTEGER NOT NULL,"
	"  msgid TEXT NOT NULL,"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  PRIMARY KEY (mailbox_id, msgid)) WITHOUT ROWID;"
	"CREATE TABLE thread_indexes ("
	"  mailbox_id INTEGER NOT NULL,"
	"  prefix TEXT NOT NULL,"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  PRIMARY KEY (mailbox_id, prefix)) WITHOUT ROWID;"
	"CREATE TABLE thread_participants ("
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  addr TEXT NOT NULL,"
	"  PRIMARY KEY (thread_id, addr)) WITHOUT ROWID;"
	/* A message as filed in one mailbox: the same bytes in two troop mailboxes are one
	 * message with two placements, each in its own mailbox's thread. */
	"CREATE TABLE placements ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  kind TEXT NOT NULL CHECK (kind IN ('person', 'machine')),"
	"  reason TEXT,"
	"  date INTEGER NOT NULL,"
	"  UNIQUE (mailbox_id, message_id));"
	"CREATE INDEX placements_thread ON placements (thread_id, date);"
	"CREATE VIRTUAL TABLE messages_fts USING fts5 ("
	"  subject, body, from_text, to_text, attachments,"
	"  content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');",
	/* 2: polling, auto-replies and routing. */
	/* Per IMAP folder: the UIDVALIDITY and the highest UID stored, advanced only in the
	 * transaction that stores the messages up to it. */
	"CREATE TABLE folders ("
	"  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),"
	"  name TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (mailbox_id, name));"
	/* Everything liaison sends, durable: claimed before sending, marked after the server's
	 * answer; a claimed row found at start-up is resolved, never sent blindly again. */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('autoreply', 'autoreply-urgent', 'notice', 'reply')),"
	"  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),"
	"  thread_id INTEGER REFERENCES threads (id),"
	"  answers INTEGER REFERENCES messages (id),"
	"  recipient TEXT NOT NULL,"
	/* Whom the reply window counts: the From address of the message answered (a
	 * Return-Path may change with every message: BATV, SRS). */
	"  correspondent TEXT,"
	"  envelope_from TEXT NOT NULL DEFAULT '',"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  in_reply_to TEXT,"
	"  raw BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'queued' "
	"    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'uncertain')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  claimed_at INTEGER,"
	/* Set just before the end of DATA is written: until then the server cannot have
	 * accepted the message, and an interrupted row may safely be sent again. */
	"  data_complete INTEGER NOT NULL DEFAULT 0,"
	"  sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox (status, next_attempt_at);"
	"CREATE INDEX outbox_window ON outbox (mailbox_id, correspondent, kind, created_at);"
	/* What the poller decided for each incoming message, and what routing found. */
	"ALTER TABLE placements ADD COLUMN autoreply TEXT;"
	"ALTER TABLE placements ADD COLUMN language TEXT;"
	"ALTER TABLE placements ADD COLUMN categories TEXT;"
	"ALTER TABLE placements ADD COLUMN rules TEXT;"
	"ALTER TABLE placements ADD COLUMN priority TEXT;"
	"CREATE TABLE thread_suggestions ("
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  service TEXT NOT NULL,"
	"  suggested_at INTEGER NOT NULL,"
	"  PRIMARY KEY (thread_id, service)) WITHOUT ROWID;",
	/* 3: liaisons working the threads, and the audit trail. */
	/* Every operation on a thread and every note, in order: the thread's history. */
	"CREATE TABLE thread_history ("
	"  id INTEGER PRIMARY KEY,"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  at INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  details TEXT);"
	"CREATE INDEX thread_history_thread ON thread_history (thread_id, id);"
	"ALTER TABLE threads ADD COLUMN rms_number TEXT;"
	"ALTER TABLE threads ADD COLUMN not_reportable_reason TEXT;"
	"ALTER TABLE threads ADD COLUMN closed_at INTEGER;"
	/* A hash chain: each entry's hash covers its content and the previous entry's hash, so
	 * an entry altered, removed or moved breaks every link after it.  Inserts only. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL DEFAULT '',"
	"  details TEXT NOT NULL DEFAULT '',"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail accepts only inserts'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail accepts only inserts'); END;"
	/* The chain's head, kept apart: an entry removed from the end leaves the chain whole
	 * but no longer reaching the head. */
	"CREATE TABLE audit_head ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  last_id INTEGER NOT NULL,"
	"  last_hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_head_advance AFTER INSERT ON audit BEGIN "
	"  UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash; "
	"  INSERT OR IGNORE INTO audit_head (one, last_id, last_hash) VALUES (1, NEW.id, NEW.hash); "
	"END;"
	"CREATE TRIGGER audit_head_guard BEFORE UPDATE ON audit_head "
	"  WHEN NEW.last_id IS NOT (SELECT max(id) FROM audit) "
	"  BEGIN SELECT RAISE(ABORT, 'the audit head follows the audit trail only'); END;"
	"CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
	"  BEGIN SELECT RAISE(ABORT, 'the audit head follows the audit trail only'); END;"
	/* Referrals to services: who, when, which service, and whether the person was sent
	 * its contact details. */
	"CREATE TABLE referrals ("
	"  id INTEGER PRIMARY KEY,"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  service TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  note TEXT,"
	"  sent INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX referrals_thread ON referrals (thread_id);"
	/* The response clock: when the first incoming message from a person came, and when
	 * the troop first answered it in a message a person wrote (placements.response marks
	 * those: outgoing, no Auto-Submitted, not an auto-reply or notice of the outbox). */
	"ALTER TABLE placements ADD COLUMN response INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE threads ADD COLUMN first_in_at INTEGER;"
	"ALTER TABLE threads ADD COLUMN first_response_at INTEGER;"
	/* CAD "Community Engagement Activity": requested, approved or denied by the
	 * coordinator, then done (sub-type CTL Event or Community Contact) or unable to
	 * fulfil (CTL Unable to Fulfill, with a narrative). */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  thread_id INTEGER REFERENCES threads (id),"
	"  troop TEXT NOT NULL,"
	"  requested_by TEXT NOT NULL,"
	"  requested_at INTEGER NOT NULL,"
	"  date TEXT NOT NULL,"
	"  place TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  private INTEGER NOT NULL DEFAULT 0,"
	"  duration TEXT,"
	"  contact TEXT,"
	"  media INTEGER NOT NULL DEFAULT 0,"
	"  media_consent TEXT CHECK (media_consent IN ('yes', 'no')),"
	"  status TEXT NOT NULL DEFAULT 'requested' "
	"    CHECK (status IN ('requested', 'approved', 'denied', 'done', 'unable')),"
	"  decided_by TEXT,"
	"  decided_at INTEGER,"
	"  deny_reason TEXT,"
	"  subtype TEXT,"
	"  primary_unit TEXT,"
	"  attended_by TEXT,"
	"  visited TEXT,"
	"  notes TEXT,"
	"  narrative TEXT,"
	"  closed_by TEXT,"
	"  closed_at INTEGER);"
	"CREATE INDEX events_date ON events (date);"
	/* Monthly reports marked submitted (liaison report monthly --submit). */
	"CREATE TABLE report_submissions ("
	"  officer TEXT NOT NULL,"
	"  month TEXT NOT NULL,"
	"  submitted_by TEXT NOT NULL,"
	"  submitted_at INTEGER NOT NULL,"
	"  PRIMARY KEY (officer, month)) WITHOUT ROWID;",
	/* 4: records and public-records (FOIA) requests. */
	/* A request, its legal clock (4 business days after receipt, Conn. Gen. Stat. 1-206)
	 * and its frozen responsive set; the set holds its messages until the request closes. */
	"CREATE TABLE foia_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  requester TEXT NOT NULL,"
	"  contact TEXT,"
	"  description TEXT NOT NULL,"
	"  received TEXT NOT NULL,"
	"  due TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),"
	"  created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  closed_at INTEGER,"
	"  UNIQUE (year, seq));"
	"CREATE TABLE foia_items ("
	"  request_id INTEGER NOT NULL REFERENCES foia_requests (id),"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  PRIMARY KEY (request_id, message_id)) WITHOUT ROWID;"
	/* Litigation holds outside FOIA: named, placed on messages, released as a whole. */
	"CREATE TABLE holds ("
	"  name TEXT NOT NULL,"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  reason TEXT NOT NULL,"
	"  placed_by TEXT NOT NULL,"
	"  placed_at INTEGER NOT NULL,"
	"  released_by TEXT,"
	"  released_at INTEGER,"
	"  PRIMARY KEY (name, message_id)) WITHOUT ROWID;"
	/* Review: a message withheld whole, or spans redacted, each under an exemption and
	 * with who decided (the withholding log, a Vaughn index). */
	"CREATE TABLE foia_withholdings ("
	"  request_id INTEGER NOT NULL REFERENCES foia_requests (id),"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  exemption TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  decided_by TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL,"
	"  PRIMARY KEY (request_id, message_id)) WITHOUT ROWID;"
	"CREATE TABLE foia_redactions ("
	"  id INTEGER PRIMARY KEY,"
	"  request_id INTEGER NOT NULL REFERENCES foia_requests (id),"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('text', 'pattern')),"
	"  value TEXT NOT NULL,"
	"  exemption TEXT NOT NULL,"
	"  reason TEXT,"
	"  decided_by TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL);",
	/* 5: productions (Bates ranges) and disposal; placements found by message (search and
	 * every listing join them that way: without it each hit scanned them all). */
	"CREATE INDEX placements_message ON placements (message_id);"
	"CREATE INDEX placements_date ON placements (date);"
	/* A production package as made: the same request with the same decisions (fingerprint)
	 * gets the same Bates numbers again, so a re-export is byte-identical; a new one takes
	 * the next numbers of its prefix. */
	"CREATE TABLE foia_productions ("
	"  id INTEGER PRIMARY KEY,"
	"  request_id INTEGER NOT NULL REFERENCES foia_requests (id),"
	"  fingerprint TEXT NOT NULL,"
	"  bates_prefix TEXT NOT NULL,"
	"  bates_first INTEGER NOT NULL,"
	"  bates_last INTEGER NOT NULL,"
	"  produced_by TEXT NOT NULL,"
	"  produced_at INTEGER NOT NULL,"
	"  UNIQUE (request_id, fingerprint));"
	"CREATE INDEX foia_productions_bates ON foia_productions (bates_prefix, bates_last);"
	/* Disposal under a records schedule: the approval, and a tombstone per message whose
	 * bytes and text were deleted (its hash, dates and custodians stay). */
	"CREATE TABLE disposals ("
	"  id INTEGER PRIMARY KEY,"
	"  approval TEXT NOT NULL,"
	"  disposed_by TEXT NOT NULL,"
	"  disposed_at INTEGER NOT NULL,"
	"  threads INTEGER NOT NULL,"
	"  messages INTEGER NOT NULL);"
	"CREATE TABLE tombstones ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  disposal_id INTEGER NOT NULL REFERENCES disposals (id),"
	"  custodians TEXT NOT NULL,"
	/* the same bytes arrived again (a mailbox enrolled later): a record again, its bytes
	 * and text stored anew; the tombstone stays as history */
	"  revived_at INTEGER);"
	"CREATE UNIQUE INDEX tombstones_active ON tombstones (message_id) WHERE revived_at IS NULL;",
	/* 6: the reply window counts where replies went too (a forged Return-Path must not
	 * draw one reply per From address), and auto-replies per domain per hour are capped. */
	"CREATE INDEX outbox_recipient ON outbox (mailbox_id, recipient, kind, created_at);"
	"CREATE INDEX outbox_created ON outbox (created_at);"
	/* A message that claims the troop's own address without coming from its server. */
	"ALTER TABLE threads ADD COLUMN suspicious INTEGER NOT NULL DEFAULT 0;",
	/* 7: who wrote a queued message (a reply's author may preview and cancel it). */
	"ALTER TABLE outbox ADD COLUMN created_by TEXT;",
	/* 8: a submitted monthly report keeps its figures as submitted (report_snapshot.c's
	 * JSON), so that reassigning a thread afterwards cannot change what was handed in;
	 * NULL for a submission made before this migration. */
	"ALTER TABLE report_submissions ADD COLUMN figures TEXT;",
	/* 9: a decision on a request is revoked, never erased (who and when); a redaction keeps
	 * the preset it came from and how many passages it matched when decided; a withholding
	 * has a number of its own, and one in force per message and request. */
	"ALTER TABLE foia_redactions ADD COLUMN preset TEXT;"
	"ALTER TABLE foia_redactions ADD COLUMN passages INTEGER;"
	"ALTER TABLE foia_redactions ADD COLUMN revoked_by TEXT;"
	"ALTER TABLE foia_redactions ADD COLUMN revoked_at INTEGER;"
	"CREATE TABLE foia_withholdings_new ("
	"  id INTEGER PRIMARY KEY,"
	"  request_id INTEGER NOT NULL REFERENCES foia_requests (id),"
	"  message_id INTEGER NOT NULL REFERENCES messages (id),"
	"  exemption TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  decided_by TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL,"
	"  revoked_by TEXT,"
	"  revoked_at INTEGER);"
	"INSERT INTO foia_withholdings_new (request_id, message_id, exemption, reason, decided_by, "
	"  decided_at) SELECT request_id, message_id, exemption, reason, decided_by, decided_at "
	"  FROM foia_withholdings ORDER BY decided_at, request_id, message_id;"
	"DROP TABLE foia_withholdings;"
	"ALTER TABLE foia_withholdings_new RENAME TO foia_withholdings;"
	"CREATE UNIQUE INDEX foia_withholdings_in_force ON foia_withholdings (request_id, message_id) "
	"  WHERE revoked_at IS NULL;",
	/* 10: signing in to the web console.  A user's password (an Argon2id hash) and TOTP
	 * enrolment, with the last step taken so that no code is good twice. */
	"CREATE TABLE web_accounts ("
	"  user TEXT PRIMARY KEY,"
	"  password_hash TEXT,"
	"  totp_secret TEXT,"
	"  totp_enrolled_at INTEGER,"
	"  totp_last_step INTEGER,"
	"  updated_at INTEGER NOT NULL) WITHOUT ROWID;"
	/* A session keeps the SHA-256 of its token, never the token: a copy of the database
	 * signs nobody in.  'password' is half signed in (a code or an enrolment to come, with
	 * the secret being enrolled); expires_at is absolute, however busy the session. */
	"CREATE TABLE web_sessions ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT," /* never a number twice: the audit names it */
	"  token_hash TEXT UNIQUE NOT NULL,"
	"  user TEXT NOT NULL,"
	"  stage TEXT NOT NULL CHECK (stage IN ('password', 'full')),"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  revoked_at INTEGER,"
	"  revoked_by TEXT,"
	"  peer TEXT,"
	"  user_agent TEXT,"
	"  enrol_secret TEXT);"
	"CREATE INDEX web_sessions_user ON web_sessions (user);"
	/* Failed sign-ins, counted by the name typed and by the address they came from. */
	"CREATE TABLE web_signin_failures ("
	"  at INTEGER NOT NULL,"
	"  user TEXT,"
	"  peer TEXT);"
	"CREATE INDEX web_signin_failures_user ON web_signin_failures (user, at);"
	"CREATE INDEX web_signin_failures_peer ON web_signin_failures (peer, at);",
	/* 11: when each person last opened each thread in the console: what came after is shown
	 * as new to them. */
	"CREATE TABLE thread_seen ("
	"  user TEXT NOT NULL,"
	"  thread_id INTEGER NOT NULL REFERENCES threads (id),"
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (user, thread_id)) WITHOUT ROWID;",
	/* 12: a thread's outbox rows by number: what a reply's composer saw and what came after
	 * it (store_thread_news, store_thread_markers) without reading the whole outbox. */
	"CREATE INDEX outbox_thread ON outbox (thread_id, id);",
	/* 13: the search index by word family (store_fts.c): `eviction` finds "evicted".  Built
	 * again from the messages, which hold every indexed column. */
	"DROP TABLE messages_fts;"
	"CREATE VIRTUAL TABLE messages_fts USING fts5 ("
	"  subject, body, from_text, to_text, attachments,"
	"  content = 'messages', content_rowid = 'id', tokenize = 'word_family');"
	"INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');",
	/* 14: the records office's saved searches (store_saved_search.c): shared by the office,
	 * named once each; the filters as `liaison search` takes them, dates as days.  IF NOT
	 * EXISTS: a test may wind user_version back on a newer database to replay a migration. */
	"CREATE TABLE IF NOT EXISTS saved_searches ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  query TEXT,"
	"  mailbox TEXT,"
	"  from_addr TEXT,"
	"  to_addr TEXT,"
	"  category TEXT,"
	"  thread_ref TEXT,"
	"  direction TEXT,"
	"  since_day TEXT,"
	"  until_day TEXT,"
	"  has_attachment INTEGER NOT NULL DEFAULT 0,"
	"  saved_by TEXT NOT NULL,"
	"  saved_at INTEGER NOT NULL);",
};

const int schema_migration_count = (int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
