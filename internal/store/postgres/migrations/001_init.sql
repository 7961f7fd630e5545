-- cwlogd schema version 1 (PostgreSQL).
--
-- Keys are separate columns, for ordering and constraints; doc is the whole
-- record as JSON (see internal/store/sqlstore/codec.go), kept as text so that
-- it round-trips byte for byte (jsonb would refuse \u0000 in a tag value).
-- Keys use COLLATE "C": they compare bytewise, like the memory store and
-- SQLite, whatever the database's locale.

CREATE TABLE delivery_sources (
	account text COLLATE "C" NOT NULL,
	region  text COLLATE "C" NOT NULL,
	name    text COLLATE "C" NOT NULL,
	doc     text NOT NULL,
	PRIMARY KEY (account, region, name)
);

CREATE TABLE delivery_destinations (
	account text COLLATE "C" NOT NULL,
	region  text COLLATE "C" NOT NULL,
	name    text COLLATE "C" NOT NULL,
	arn     text COLLATE "C" NOT NULL,
	doc     text NOT NULL,
	PRIMARY KEY (account, region, name)
);

CREATE TABLE deliveries (
	account          text COLLATE "C" NOT NULL,
	region           text COLLATE "C" NOT NULL,
	id               text COLLATE "C" NOT NULL,
	source_name      text COLLATE "C" NOT NULL,
	destination_type text COLLATE "C" NOT NULL,
	destination_arn  text COLLATE "C" NOT NULL,
	doc              text NOT NULL,
	PRIMARY KEY (account, region, id),
	-- One delivery per (source, destination type).
	CONSTRAINT deliveries_one_per_type UNIQUE (account, region, source_name, destination_type)
);

CREATE INDEX deliveries_destination_arn ON deliveries (destination_arn);
