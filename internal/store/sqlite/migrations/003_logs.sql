-- cwlogd schema version 3 (SQLite): log groups, their streams and events,
-- and resource policies.
--
-- Groups and streams have integer ids that are never reused
-- (AUTOINCREMENT), and events belong to ids, not names: a group or stream
-- created again under an old name starts empty. A group's stored bytes, the
-- sum of its streams', is kept in its row by triggers, so reading a group
-- is one row. Log group counts join scope_counts.

CREATE TABLE log_groups (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	account        TEXT NOT NULL,
	region         TEXT NOT NULL,
	name           TEXT NOT NULL,
	retention_days INTEGER NOT NULL, -- 0: events never expire
	bytes          INTEGER NOT NULL DEFAULT 0,
	doc            TEXT NOT NULL,
	UNIQUE (account, region, name)
) STRICT;

CREATE TABLE log_streams (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id      INTEGER NOT NULL,
	name          TEXT NOT NULL,
	creation_time INTEGER NOT NULL,
	-- The event statistics; all 0 until the first event (last_seq > 0 once
	-- the stream has had one).
	first_ts      INTEGER NOT NULL DEFAULT 0,
	last_ts       INTEGER NOT NULL DEFAULT 0,
	last_ingest   INTEGER NOT NULL DEFAULT 0,
	bytes         INTEGER NOT NULL DEFAULT 0, -- UTF-8 size of the stored messages
	events        INTEGER NOT NULL DEFAULT 0,
	last_seq      INTEGER NOT NULL DEFAULT 0,
	UNIQUE (group_id, name)
) STRICT;

-- DescribeLogStreams by last event time.
CREATE INDEX log_streams_last_event ON log_streams (group_id, last_ts, name);

-- Events are stored in blocks: a row holds the events one append wrote to
-- one stream (a chunk of them when the append is large), sorted by
-- (timestamp, seq), in data (see internal/store/sqlstore/block.go).
-- (min_ts, min_seq) is the key of the block's first event, (max_ts,
-- max_seq) of its last, span is max_ts - min_ts, bytes the size of its
-- messages. A Seq is in one block, so (stream_id, min_ts, min_seq) names
-- a block. data comes last, so that the other columns are read without
-- its overflow pages.
CREATE TABLE log_blocks (
	group_id  INTEGER NOT NULL,
	stream_id INTEGER NOT NULL,
	min_ts    INTEGER NOT NULL,
	min_seq   INTEGER NOT NULL,
	max_ts    INTEGER NOT NULL,
	max_seq   INTEGER NOT NULL,
	span      INTEGER NOT NULL,
	events    INTEGER NOT NULL,
	bytes     INTEGER NOT NULL,
	data      BLOB NOT NULL
) STRICT;

-- Ascending reads walk the blocks of a stream or of a group by first key,
-- descending ones by last key. The span indexes give the longest block of
-- a stream or group, which bounds how far before its range a read has to
-- start (see internal/store/sqlstore/events.go). Each key index ends with
-- the other end's timestamp, so that the blocks of that look-back which
-- end before the range are skipped in the index, without reading them.
CREATE INDEX log_blocks_stream_min ON log_blocks (stream_id, min_ts, min_seq, max_ts);
CREATE INDEX log_blocks_stream_max ON log_blocks (stream_id, max_ts, max_seq, min_ts);
CREATE INDEX log_blocks_stream_span ON log_blocks (stream_id, span);
CREATE INDEX log_blocks_group_min ON log_blocks (group_id, min_ts, min_seq, max_ts);
CREATE INDEX log_blocks_group_max ON log_blocks (group_id, max_ts, max_seq, min_ts);
CREATE INDEX log_blocks_group_span ON log_blocks (group_id, span);

-- The last Seq handed out. Reset does not touch it.
CREATE TABLE log_event_seq (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	last INTEGER NOT NULL
) STRICT;
INSERT INTO log_event_seq (id, last) VALUES (1, 0);

CREATE TABLE resource_policies (
	account      TEXT NOT NULL,
	region       TEXT NOT NULL,
	resource_arn TEXT NOT NULL, -- '' for the account's policies
	name         TEXT NOT NULL,
	doc          TEXT NOT NULL,
	PRIMARY KEY (account, region, resource_arn, name)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER log_streams_bytes_update AFTER UPDATE OF bytes ON log_streams WHEN NEW.bytes <> OLD.bytes BEGIN
	UPDATE log_groups SET bytes = bytes + NEW.bytes - OLD.bytes WHERE id = NEW.group_id;
END;
CREATE TRIGGER log_streams_bytes_delete AFTER DELETE ON log_streams WHEN OLD.bytes <> 0 BEGIN
	UPDATE log_groups SET bytes = bytes - OLD.bytes WHERE id = OLD.group_id;
END;

CREATE TRIGGER log_groups_count_insert AFTER INSERT ON log_groups BEGIN
	INSERT INTO scope_counts (account, region, kind, n) VALUES (NEW.account, NEW.region, 'log_groups', 1)
		ON CONFLICT (account, region, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER log_groups_count_delete AFTER DELETE ON log_groups BEGIN
	UPDATE scope_counts SET n = n - 1 WHERE account = OLD.account AND region = OLD.region AND kind = 'log_groups';
END;
