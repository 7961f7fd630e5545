-- cwlogd schema version 3 (PostgreSQL): log groups, their streams and
-- events, and resource policies.
--
-- Groups and streams have identity ids, never reused, and events belong
-- to ids, not names: a group or stream created again under an old name
-- starts empty. Log group counts join scope_counts (sharded, as in 002).
--
-- Built for concurrent PutLogEvents under SERIALIZABLE: an append reads
-- its group's and its stream's rows and writes only new blocks of events
-- and its stream's row. That write changes no indexed column, so it is a
-- HOT update (fillfactor leaves room on the page) that adds no index
-- entry, and appends to different streams do not conflict through the
-- index pages each of them read. Hence no per-group byte total (a group's
-- stored bytes is the sum over its streams) and no index on last_ts
-- (DescribeLogStreams by last event time sorts the group's streams).

CREATE TABLE log_groups (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account        text COLLATE "C" NOT NULL,
	region         text COLLATE "C" NOT NULL,
	name           text COLLATE "C" NOT NULL,
	retention_days bigint NOT NULL, -- 0: events never expire
	doc            text NOT NULL,
	UNIQUE (account, region, name)
) WITH (fillfactor = 80);

CREATE TABLE log_streams (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	group_id      bigint NOT NULL,
	name          text COLLATE "C" NOT NULL,
	creation_time bigint NOT NULL,
	-- The event statistics; all 0 until the first event (last_seq > 0 once
	-- the stream has had one).
	first_ts      bigint NOT NULL DEFAULT 0,
	last_ts       bigint NOT NULL DEFAULT 0,
	last_ingest   bigint NOT NULL DEFAULT 0,
	bytes         bigint NOT NULL DEFAULT 0, -- UTF-8 size of the stored messages
	events        bigint NOT NULL DEFAULT 0,
	last_seq      bigint NOT NULL DEFAULT 0,
	UNIQUE (group_id, name)
) WITH (fillfactor = 50);

-- Seqs: CACHE 1 (the default), so that they increase across sessions in
-- the order they are drawn. Each value opens a range of 64 Seqs: an append
-- of n events draws ceil(n/64) values and numbers its events from them in
-- order (a nextval per event took an eighth of an append's time). The
-- rest of its last range is never used.
CREATE SEQUENCE log_event_seq AS bigint INCREMENT BY 64;

-- Events are stored in blocks: a row holds the events one append wrote to
-- one stream (a chunk of them when the append is large), sorted by
-- (timestamp, seq), in data (see internal/store/sqlstore/block.go; bytea,
-- as text cannot hold U+0000). (min_ts, min_seq) is the key of the
-- block's first event, (max_ts, max_seq) of its last, span is max_ts -
-- min_ts, bytes the size of its messages. A Seq is in one block, so
-- (stream_id, min_ts, min_seq) names a block: no primary key, one index
-- less to write.
CREATE TABLE log_blocks (
	group_id  bigint NOT NULL,
	stream_id bigint NOT NULL,
	min_ts    bigint NOT NULL,
	min_seq   bigint NOT NULL,
	max_ts    bigint NOT NULL,
	max_seq   bigint NOT NULL,
	span      bigint NOT NULL,
	events    bigint NOT NULL,
	bytes     bigint NOT NULL,
	data      bytea NOT NULL
) WITH (toast_tuple_target = 8160);
-- Blocks are cut at 8000 bytes (see internal/store/sqlstore/dialect.go):
-- with the largest toast_tuple_target, a row stays in its page, where it
-- is read at once, rather than in TOAST chunks of 2 KB, each found
-- through the TOAST index (that read groups 25% slower). A block of one
-- larger event goes out of line, uncompressed.
ALTER TABLE log_blocks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Ascending reads walk the blocks of a stream or of a group by first key,
-- descending ones by last key. The span indexes give the longest block of
-- a stream or group, which bounds how far before its range a read has to
-- start (see internal/store/sqlstore/events.go). Neither key index holds
-- the other's columns: PostgreSQL, without statistics, would walk the
-- other order's index with them and sort.
CREATE INDEX log_blocks_stream_min ON log_blocks (stream_id, min_ts, min_seq);
CREATE INDEX log_blocks_stream_max ON log_blocks (stream_id, max_ts, max_seq);
CREATE INDEX log_blocks_stream_span ON log_blocks (stream_id, span);
CREATE INDEX log_blocks_group_min ON log_blocks (group_id, min_ts, min_seq);
CREATE INDEX log_blocks_group_max ON log_blocks (group_id, max_ts, max_seq);
CREATE INDEX log_blocks_group_span ON log_blocks (group_id, span);

CREATE TABLE resource_policies (
	account      text COLLATE "C" NOT NULL,
	region       text COLLATE "C" NOT NULL,
	resource_arn text COLLATE "C" NOT NULL, -- '' for the account's policies
	name         text COLLATE "C" NOT NULL,
	doc          text NOT NULL,
	PRIMARY KEY (account, region, resource_arn, name)
);

CREATE TRIGGER log_groups_count AFTER INSERT OR DELETE ON log_groups FOR EACH ROW EXECUTE FUNCTION scope_count();
