package sqlstore

import (
	"context"
	"fmt"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// The statements of Tx, shared by every dialect. Tables and columns are
// declared in each store's migrations.
const (
	qSource        = `SELECT doc FROM delivery_sources WHERE account = $1 AND region = $2 AND name = $3`
	qPutSource     = `INSERT INTO delivery_sources (account, region, name, doc) VALUES ($1, $2, $3, $4) ON CONFLICT (account, region, name) DO UPDATE SET doc = excluded.doc`
	qDeleteSource  = `DELETE FROM delivery_sources WHERE account = $1 AND region = $2 AND name = $3`
	qListSources   = `SELECT doc FROM delivery_sources WHERE account = $1 AND region = $2 AND name > $3 ORDER BY name LIMIT $4`
	qCountSources  = `SELECT coalesce(sum(n), 0) FROM scope_counts WHERE account = $1 AND region = $2 AND kind = 'delivery_sources'`
	qDestination   = `SELECT doc FROM delivery_destinations WHERE account = $1 AND region = $2 AND name = $3`
	qPutDest       = `INSERT INTO delivery_destinations (account, region, name, arn, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, region, name) DO UPDATE SET arn = excluded.arn, doc = excluded.doc`
	qDeleteDest    = `DELETE FROM delivery_destinations WHERE account = $1 AND region = $2 AND name = $3`
	qListDests     = `SELECT doc FROM delivery_destinations WHERE account = $1 AND region = $2 AND name > $3 ORDER BY name LIMIT $4`
	qCountDests    = `SELECT coalesce(sum(n), 0) FROM scope_counts WHERE account = $1 AND region = $2 AND kind = 'delivery_destinations'`
	qDelivery      = `SELECT doc FROM deliveries WHERE account = $1 AND region = $2 AND id = $3`
	qDeliveryPair  = `SELECT source_name, destination_type, destination_arn FROM deliveries WHERE account = $1 AND region = $2 AND id = $3`
	qPairOwner     = `SELECT id FROM deliveries WHERE account = $1 AND region = $2 AND source_name = $3 AND destination_type = $4`
	qInsertDlv     = `INSERT INTO deliveries (account, region, id, source_name, destination_type, destination_arn, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	qUpdateDlv     = `UPDATE deliveries SET doc = $4 WHERE account = $1 AND region = $2 AND id = $3`
	qDeleteDlv     = `DELETE FROM deliveries WHERE account = $1 AND region = $2 AND id = $3`
	qListDlvs      = `SELECT doc FROM deliveries WHERE account = $1 AND region = $2 AND id > $3 ORDER BY id LIMIT $4`
	qCountDlvs     = `SELECT coalesce(sum(n), 0) FROM scope_counts WHERE account = $1 AND region = $2 AND kind = 'deliveries'`
	qDlvsOfSource  = `SELECT doc FROM deliveries WHERE account = $1 AND region = $2 AND source_name = $3 ORDER BY id`
	qDestInUse     = `SELECT 1 FROM deliveries WHERE destination_arn = $1 LIMIT 1`
	qScopes        = `SELECT account, region FROM delivery_sources UNION SELECT account, region FROM delivery_destinations UNION SELECT account, region FROM deliveries UNION SELECT account, region FROM log_groups UNION SELECT account, region FROM resource_policies ORDER BY account, region`
	qDeleteAllDlvs = `DELETE FROM deliveries`
	qDeleteAllDst  = `DELETE FROM delivery_destinations`
	qDeleteAllSrc  = `DELETE FROM delivery_sources`
	qDeleteCounts  = `DELETE FROM scope_counts`
)

// Queries lists the statements of Tx that every dialect shares;
// Dialect.Queries lists all a Tx of one runs.
var Queries = []string{
	qSource,
	qPutSource,
	qDeleteSource,
	qListSources,
	qCountSources,
	qDestination,
	qPutDest,
	qDeleteDest,
	qListDests,
	qCountDests,
	qDelivery,
	qDeliveryPair,
	qPairOwner,
	qInsertDlv,
	qUpdateDlv,
	qDeleteDlv,
	qListDlvs,
	qCountDlvs,
	qDlvsOfSource,
	qDestInUse,
	qScopes,
	qDeleteAllDlvs,
	qDeleteAllDst,
	qDeleteAllSrc,
	qDeleteCounts,
}

// Tx is the store.Tx of the SQL stores: one open database transaction seen
// through a Querier. It is not safe for concurrent use, like the
// transaction under it.
type Tx struct {
	ctx      context.Context
	q        Querier
	d        *Dialect
	name     string // store name, prefixed to errors: "sqlite", "postgres"
	readOnly bool
	err      error // the first error the database returned
	// counts, when set, answers the Count methods instead of q.
	counts Querier
	// ownBytes is, by log group id, how much this transaction changed the
	// group's stored bytes: see outsideBytes.
	ownBytes map[int64]int64
	// scan is the last read of log events of a read-only transaction,
	// which the next may go on with.
	scan *eventScan
}

var _ store.Tx = (*Tx)(nil)

// NewTx returns the store.Tx over q, an open transaction of the database
// d speaks that is read-only when readOnly is set. Every statement runs
// with ctx.
func NewTx(ctx context.Context, q Querier, d *Dialect, readOnly bool) *Tx {
	return &Tx{ctx: ctx, q: q, d: d, name: d.Name, readOnly: readOnly}
}

// WithCounts makes the Count methods read through q rather than the
// transaction. PostgreSQL uses it to read quota counts at READ COMMITTED
// outside its SERIALIZABLE transactions: a count read inside would make
// every create in a scope conflict with every other. The price is that
// creates racing past a quota may overshoot it by the number in flight.
//
// In a writable transaction, log groups' StoredBytes are read through q
// too, plus the transaction's own changes: see outsideBytes.
func (t *Tx) WithCounts(q Querier) *Tx {
	t.counts = q
	return t
}

// Err returns the first error the database returned in this transaction,
// even if the caller's fn dropped it. Stores use it to tell a transaction
// that lost a race (and may be retried, or is aborted) from fn's own errors.
func (t *Tx) Err() error { return t.err }

// DeleteAll deletes every record: Store.Reset. Log event Seqs go on from
// where they were.
func (t *Tx) DeleteAll() error {
	if err := t.writable("reset"); err != nil {
		return err
	}
	for _, q := range []string{qDeleteAllDlvs, qDeleteAllDst, qDeleteAllSrc,
		qDeleteAllBlocks, qDeleteAllStreams, qDeleteAllGroups, qDeleteAllPolicies, qDeleteCounts} {
		if _, err := t.exec("reset", q); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) Source(s model.Scope, name string) (model.DeliverySource, error) {
	return getOne(t, "get source "+name, decodeSource, qSource, s.Account, s.Region, name)
}

func (t *Tx) PutSource(s model.Scope, v model.DeliverySource) error {
	op := "put source " + v.Name
	doc, err := encodeSource(v)
	if err != nil {
		return t.wrap(op, err)
	}
	return t.put(op, qPutSource, s.Account, s.Region, v.Name, doc)
}

func (t *Tx) DeleteSource(s model.Scope, name string) error {
	return t.delete("delete source "+name, qDeleteSource, s.Account, s.Region, name)
}

func (t *Tx) ListSources(s model.Scope, after string, limit int) ([]model.DeliverySource, error) {
	return list(t, "list sources", decodeSource, qListSources, s, after, limit)
}

func (t *Tx) CountSources(s model.Scope) (int, error) {
	return t.count("count sources", qCountSources, s)
}

func (t *Tx) Destination(s model.Scope, name string) (model.DeliveryDestination, error) {
	return getOne(t, "get destination "+name, decodeDestination, qDestination, s.Account, s.Region, name)
}

func (t *Tx) PutDestination(s model.Scope, v model.DeliveryDestination) error {
	op := "put destination " + v.Name
	doc, err := encodeDestination(v)
	if err != nil {
		return t.wrap(op, err)
	}
	return t.put(op, qPutDest, s.Account, s.Region, v.Name, v.Arn, doc)
}

func (t *Tx) DeleteDestination(s model.Scope, name string) error {
	return t.delete("delete destination "+name, qDeleteDest, s.Account, s.Region, name)
}

func (t *Tx) ListDestinations(s model.Scope, after string, limit int) ([]model.DeliveryDestination, error) {
	return list(t, "list destinations", decodeDestination, qListDests, s, after, limit)
}

func (t *Tx) CountDestinations(s model.Scope) (int, error) {
	return t.count("count destinations", qCountDests, s)
}

func (t *Tx) Delivery(s model.Scope, id string) (model.Delivery, error) {
	return getOne(t, "get delivery "+id, decodeDelivery, qDelivery, s.Account, s.Region, id)
}

// PutDelivery inserts or updates v with the memory store's rules: a new
// delivery may not take a (source, destination type) pair another delivery
// holds, and an existing one may not change its source, type or destination.
// Both are checked by reading first, so that the refusal leaves the
// transaction usable; the unique constraint backs the check against writers
// the read could not see, and the stores map its violation to ErrConflict.
func (t *Tx) PutDelivery(s model.Scope, v model.Delivery) error {
	op := "put delivery " + v.ID
	if err := t.writable(op); err != nil {
		return err
	}
	doc, err := encodeDelivery(v)
	if err != nil {
		return t.wrap(op, err)
	}
	var src, typ, dst string
	found, err := t.row(op, []any{&src, &typ, &dst}, qDeliveryPair, s.Account, s.Region, v.ID)
	if err != nil {
		return err
	}
	if found {
		if src != v.SourceName || typ != v.DestinationType || dst != v.DestinationArn {
			// A delivery's pairing never changes; only its configuration does.
			return fmt.Errorf("%s: %s: %w: a delivery's source, destination type and destination cannot change", t.name, op, store.ErrConflict)
		}
		_, err := t.exec(op, qUpdateDlv, s.Account, s.Region, v.ID, doc)
		return err
	}
	var owner string
	taken, err := t.row(op, []any{&owner}, qPairOwner, s.Account, s.Region, v.SourceName, v.DestinationType)
	if err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("%s: %s: %w: source %q already has a %s delivery (%s)", t.name, op, store.ErrConflict, v.SourceName, v.DestinationType, owner)
	}
	_, err = t.exec(op, qInsertDlv, s.Account, s.Region, v.ID, v.SourceName, v.DestinationType, v.DestinationArn, doc)
	return err
}

func (t *Tx) DeleteDelivery(s model.Scope, id string) error {
	return t.delete("delete delivery "+id, qDeleteDlv, s.Account, s.Region, id)
}

func (t *Tx) ListDeliveries(s model.Scope, after string, limit int) ([]model.Delivery, error) {
	return list(t, "list deliveries", decodeDelivery, qListDlvs, s, after, limit)
}

func (t *Tx) CountDeliveries(s model.Scope) (int, error) {
	return t.count("count deliveries", qCountDlvs, s)
}

func (t *Tx) DeliveriesOfSource(s model.Scope, name string) ([]model.Delivery, error) {
	return getAll(t, "deliveries of source "+name, decodeDelivery, qDlvsOfSource, s.Account, s.Region, name)
}

func (t *Tx) DestinationInUse(destArn string) (bool, error) {
	var one int
	return t.row("destination in use "+destArn, []any{&one}, qDestInUse, destArn)
}

func (t *Tx) Scopes() ([]model.Scope, error) {
	const op = "list scopes"
	rows, err := t.query(op, qScopes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Scope
	for rows.Next() {
		var sc model.Scope
		if err := rows.Scan(&sc.Account, &sc.Region); err != nil {
			return nil, t.fail(op, err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	return out, nil
}

// getOne returns the record the query selects, or store.ErrNotFound.
func getOne[T any](t *Tx, op string, dec func(string) (T, error), q string, args ...any) (T, error) {
	var doc string
	var zero T
	found, err := t.row(op, []any{&doc}, q, args...)
	if err != nil {
		return zero, err
	}
	if !found {
		return zero, store.ErrNotFound
	}
	v, err := dec(doc)
	if err != nil {
		return zero, t.wrap(op, err)
	}
	return v, nil
}

// list returns the page of records of s after `after`.
func list[T any](t *Tx, op string, dec func(string) (T, error), q string, s model.Scope, after string, limit int) ([]T, error) {
	if limit <= 0 {
		return nil, nil
	}
	return getAll(t, op, dec, q, s.Account, s.Region, after, limit)
}

// getAll returns every record the query selects, in its order.
func getAll[T any](t *Tx, op string, dec func(string) (T, error), q string, args ...any) ([]T, error) {
	rows, err := t.query(op, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, t.fail(op, err)
		}
		v, err := dec(doc)
		if err != nil {
			return nil, t.wrap(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	return out, nil
}

func (t *Tx) count(op, q string, s model.Scope) (int, error) {
	var n int
	if t.counts == nil {
		if _, err := t.row(op, []any{&n}, q, s.Account, s.Region); err != nil {
			return 0, err
		}
		return n, nil
	}
	c, err := t.outsideInt(op, q, s.Account, s.Region)
	return int(c), err
}

// outsideInt runs q, which answers one integer (0 when it answers no row),
// through t.counts: outside the transaction (see WithCounts).
func (t *Tx) outsideInt(op, q string, args ...any) (int64, error) {
	var n int64
	rows, err := t.counts.Query(t.ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %s: %w", t.name, op, err)
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&n)
	}
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %s: %w", t.name, op, err)
	}
	return n, nil
}

func (t *Tx) put(op, q string, args ...any) error {
	if err := t.writable(op); err != nil {
		return err
	}
	_, err := t.exec(op, q, args...)
	return err
}

// delete runs a DELETE of one record, store.ErrNotFound when there is none.
func (t *Tx) delete(op, q string, args ...any) error {
	if err := t.writable(op); err != nil {
		return err
	}
	n, err := t.exec(op, q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// row scans the first row the query returns into dest and reports whether
// there was one.
func (t *Tx) row(op string, dest []any, q string, args ...any) (bool, error) {
	rows, err := t.query(op, q, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, t.fail(op, err)
		}
		return false, nil
	}
	if err := rows.Scan(dest...); err != nil {
		return false, t.fail(op, err)
	}
	if err := rows.Close(); err != nil {
		return false, t.fail(op, err)
	}
	return true, nil
}

func (t *Tx) query(op, q string, args ...any) (Rows, error) {
	rows, err := t.q.Query(t.ctx, q, args...)
	if err != nil {
		return nil, t.fail(op, err)
	}
	return rows, nil
}

func (t *Tx) exec(op, q string, args ...any) (int64, error) {
	n, err := t.q.Exec(t.ctx, q, args...)
	if err != nil {
		return 0, t.fail(op, err)
	}
	return n, nil
}

func (t *Tx) writable(op string) error {
	if t.readOnly {
		return fmt.Errorf("%s: %s: write in a read-only transaction", t.name, op)
	}
	return nil
}

// fail records err, which the database returned, and wraps it.
func (t *Tx) fail(op string, err error) error {
	if t.err == nil {
		t.err = err
	}
	return t.wrap(op, err)
}

func (t *Tx) wrap(op string, err error) error {
	return fmt.Errorf("%s: %s: %w", t.name, op, err)
}
