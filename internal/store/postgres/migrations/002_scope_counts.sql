-- cwlogd schema version 2 (PostgreSQL): per-scope record counts, kept by
-- triggers, so quota checks read one row instead of counting a scope (a
-- count would also make every create conflict with every other under
-- SERIALIZABLE).

CREATE TABLE scope_counts (
	account text COLLATE "C" NOT NULL,
	region  text COLLATE "C" NOT NULL,
	kind    text COLLATE "C" NOT NULL, -- delivery_sources, delivery_destinations or deliveries
	n       bigint NOT NULL,
	PRIMARY KEY (account, region, kind)
);

INSERT INTO scope_counts (account, region, kind, n)
	SELECT account, region, 'delivery_sources', count(*) FROM delivery_sources GROUP BY account, region
	UNION ALL
	SELECT account, region, 'delivery_destinations', count(*) FROM delivery_destinations GROUP BY account, region
	UNION ALL
	SELECT account, region, 'deliveries', count(*) FROM deliveries GROUP BY account, region;

CREATE FUNCTION scope_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO scope_counts (account, region, kind, n) VALUES (NEW.account, NEW.region, TG_TABLE_NAME, 1)
			ON CONFLICT (account, region, kind) DO UPDATE SET n = scope_counts.n + 1;
	ELSE
		UPDATE scope_counts SET n = n - 1 WHERE account = OLD.account AND region = OLD.region AND kind = TG_TABLE_NAME;
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER delivery_sources_count AFTER INSERT OR DELETE ON delivery_sources FOR EACH ROW EXECUTE FUNCTION scope_count();
CREATE TRIGGER delivery_destinations_count AFTER INSERT OR DELETE ON delivery_destinations FOR EACH ROW EXECUTE FUNCTION scope_count();
CREATE TRIGGER deliveries_count AFTER INSERT OR DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION scope_count();
