-- cwlogd schema version 3 (PostgreSQL): log groups, their streams and
-- events, and resource policies.
--
-- Groups and streams have identity ids, never reused, and events belong
-- to ids, not names: a group or stream created again under an old name
-- starts empty. Log group counts join scope_counts (sharded, as in 002).
--
-- Built for concurrent PutLogEvents under SERIALIZABLE: an append reads
-- its group's and its stream's rows and writes only new events and its
-- stream's row. That write changes no indexed column, so it is a HOT
-- update (fillfactor leaves room on the page) that adds no index entry,
-- and appends to different streams do not conflict through the index
-- pages each of them read. Hence no per-group byte total (a group's
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
-- the order they are drawn.
CREATE SEQUENCE log_event_seq AS bigint;

-- No primary key: seq is unique by the sequence, and one index less makes
-- appends cheaper. message is bytea: text cannot hold U+0000.
CREATE TABLE log_events (
	seq       bigint NOT NULL,
	group_id  bigint NOT NULL,
	stream_id bigint NOT NULL,
	ts        bigint NOT NULL,
	ingest    bigint NOT NULL,
	message   bytea NOT NULL
);

CREATE INDEX log_events_stream ON log_events (stream_id, ts, seq);
CREATE INDEX log_events_group ON log_events (group_id, ts, seq);

CREATE TABLE resource_policies (
	account      text COLLATE "C" NOT NULL,
	region       text COLLATE "C" NOT NULL,
	resource_arn text COLLATE "C" NOT NULL, -- '' for the account's policies
	name         text COLLATE "C" NOT NULL,
	doc          text NOT NULL,
	PRIMARY KEY (account, region, resource_arn, name)
);

CREATE TRIGGER log_groups_count AFTER INSERT OR DELETE ON log_groups FOR EACH ROW EXECUTE FUNCTION scope_count();
