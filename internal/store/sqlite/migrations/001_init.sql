-- cwlogd schema version 1 (SQLite).
--
-- Keys are separate columns, for ordering and constraints; doc is the whole
-- record as JSON (see internal/store/sqlstore/codec.go). TEXT compares with
-- SQLite's BINARY collation: bytewise, like the memory store.

CREATE TABLE delivery_sources (
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	name    TEXT NOT NULL,
	doc     TEXT NOT NULL,
	PRIMARY KEY (account, region, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE delivery_destinations (
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	name    TEXT NOT NULL,
	arn     TEXT NOT NULL,
	doc     TEXT NOT NULL,
	PRIMARY KEY (account, region, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE deliveries (
	account          TEXT NOT NULL,
	region           TEXT NOT NULL,
	id               TEXT NOT NULL,
	source_name      TEXT NOT NULL,
	destination_type TEXT NOT NULL,
	destination_arn  TEXT NOT NULL,
	doc              TEXT NOT NULL,
	PRIMARY KEY (account, region, id),
	-- One delivery per (source, destination type).
	UNIQUE (account, region, source_name, destination_type)
) STRICT, WITHOUT ROWID;

CREATE INDEX deliveries_destination_arn ON deliveries (destination_arn);
