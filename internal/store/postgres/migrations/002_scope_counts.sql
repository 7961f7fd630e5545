-- cwlogd schema version 2 (PostgreSQL): per-scope record counts, kept by
-- triggers, so quota checks read a few rows instead of counting a scope.
-- Each scope's count is spread over 32 shards, picked at random by every
-- insert or delete, so that concurrent writers in one scope seldom update
-- the same row (which under SERIALIZABLE would make one of them retry), and
-- a bulk import does not pile 100,000 versions onto one row. The count is
-- the sum of the shards.

CREATE TABLE scope_counts (
	account text COLLATE "C" NOT NULL,
	region  text COLLATE "C" NOT NULL,
	kind    text COLLATE "C" NOT NULL, -- delivery_sources, delivery_destinations or deliveries
	shard   smallint NOT NULL,
	n       bigint NOT NULL,
	PRIMARY KEY (account, region, kind, shard)
);

INSERT INTO scope_counts (account, region, kind, shard, n)
	SELECT account, region, 'delivery_sources', 0, count(*) FROM delivery_sources GROUP BY account, region
	UNION ALL
	SELECT account, region, 'delivery_destinations', 0, count(*) FROM delivery_destinations GROUP BY account, region
	UNION ALL
	SELECT account, region, 'deliveries', 0, count(*) FROM deliveries GROUP BY account, region;

CREATE FUNCTION scope_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	delta bigint := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
	rec record := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
BEGIN
	INSERT INTO scope_counts (account, region, kind, shard, n)
		VALUES (rec.account, rec.region, TG_TABLE_NAME, floor(random() * 32)::smallint, delta)
		ON CONFLICT (account, region, kind, shard) DO UPDATE SET n = scope_counts.n + excluded.n;
	RETURN NULL;
END;
$$;

CREATE TRIGGER delivery_sources_count AFTER INSERT OR DELETE ON delivery_sources FOR EACH ROW EXECUTE FUNCTION scope_count();
CREATE TRIGGER delivery_destinations_count AFTER INSERT OR DELETE ON delivery_destinations FOR EACH ROW EXECUTE FUNCTION scope_count();
CREATE TRIGGER deliveries_count AFTER INSERT OR DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION scope_count();
