-- cwlogd schema version 2 (SQLite): per-scope record counts, kept by
-- triggers, so quota checks read one row instead of counting a scope.

CREATE TABLE scope_counts (
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	kind    TEXT NOT NULL, -- delivery_sources, delivery_destinations or deliveries
	n       INTEGER NOT NULL,
	PRIMARY KEY (account, region, kind)
) STRICT, WITHOUT ROWID;

INSERT INTO scope_counts (account, region, kind, n)
	SELECT account, region, 'delivery_sources', count(*) FROM delivery_sources GROUP BY account, region
	UNION ALL
	SELECT account, region, 'delivery_destinations', count(*) FROM delivery_destinations GROUP BY account, region
	UNION ALL
	SELECT account, region, 'deliveries', count(*) FROM deliveries GROUP BY account, region;

CREATE TRIGGER delivery_sources_count_insert AFTER INSERT ON delivery_sources BEGIN
	INSERT INTO scope_counts (account, region, kind, n) VALUES (NEW.account, NEW.region, 'delivery_sources', 1)
		ON CONFLICT (account, region, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER delivery_sources_count_delete AFTER DELETE ON delivery_sources BEGIN
	UPDATE scope_counts SET n = n - 1 WHERE account = OLD.account AND region = OLD.region AND kind = 'delivery_sources';
END;
CREATE TRIGGER delivery_destinations_count_insert AFTER INSERT ON delivery_destinations BEGIN
	INSERT INTO scope_counts (account, region, kind, n) VALUES (NEW.account, NEW.region, 'delivery_destinations', 1)
		ON CONFLICT (account, region, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER delivery_destinations_count_delete AFTER DELETE ON delivery_destinations BEGIN
	UPDATE scope_counts SET n = n - 1 WHERE account = OLD.account AND region = OLD.region AND kind = 'delivery_destinations';
END;
CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries BEGIN
	INSERT INTO scope_counts (account, region, kind, n) VALUES (NEW.account, NEW.region, 'deliveries', 1)
		ON CONFLICT (account, region, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries BEGIN
	UPDATE scope_counts SET n = n - 1 WHERE account = OLD.account AND region = OLD.region AND kind = 'deliveries';
END;
