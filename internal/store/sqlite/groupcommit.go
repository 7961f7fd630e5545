package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cwlogd/cwlogd/internal/store/sqlstore"
)

// maxBatch bounds how many Updates share one transaction.
const maxBatch = 256

// errClosed answers an Update on a closed store.
var errClosed = errors.New("sqlite: store is closed")

// committer is the one writer. It runs Updates that arrive together in one
// SQLite transaction, each inside its own savepoint, so every Update still
// commits or rolls back on its own while the whole batch pays for one
// commit, that is one fsync: group commit. Updates run one after another in
// arrival order, so each sees the writes of those before it, exactly as if
// they had run in separate transactions.
type committer struct {
	db    *sql.DB
	stmts *stmtCache    // nil until the schema is up to date
	reqs  chan *request // unbuffered: a request is received only by run
	stop  chan struct{}
	done  chan struct{}
}

type request struct {
	ctx    context.Context
	fn     func(*sqlTx) error
	result chan outcome // buffered: run never blocks on a caller
}

type outcome struct {
	err      error
	panicked bool
	panicVal any
}

func startCommitter(db *sql.DB) *committer {
	c := &committer{db: db, reqs: make(chan *request), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// do runs fn in the next batch and returns its outcome; a panic in fn is
// raised again in the caller's goroutine.
func (c *committer) do(ctx context.Context, fn func(*sqlTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, result: make(chan outcome, 1)}
	select {
	case c.reqs <- r:
	case <-c.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	out := <-r.result
	if out.panicked {
		panic(out.panicVal)
	}
	return out.err
}

// close stops the committer once the batch in progress is done.
func (c *committer) close() {
	close(c.stop)
	<-c.done
}

func (c *committer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case r := <-c.reqs:
			batch := []*request{r}
		gather: // everyone already waiting joins this batch
			for len(batch) < maxBatch {
				select {
				case r := <-c.reqs:
					batch = append(batch, r)
				default:
					break gather
				}
			}
			c.commit(batch)
		}
	}
}

// commit runs a batch in one transaction and answers every request.
func (c *committer) commit(batch []*request) {
	outs := make([]outcome, len(batch))
	defer func() {
		for i, r := range batch {
			r.result <- outs[i]
		}
	}()
	fail := func(err error) {
		for i := range outs {
			if outs[i].err == nil && !outs[i].panicked {
				outs[i].err = err
			}
		}
	}
	// The transaction outlives any one caller's context; each Update's
	// statements run under its own.
	tx, err := c.db.BeginTx(context.Background(), nil) // BEGIN IMMEDIATE: _txlock
	if err != nil {
		fail(fmt.Errorf("sqlite: begin: %w", mapErr(err)))
		return
	}
	bg := context.Background()
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			outs[i].err = err
			continue
		}
		if _, err := tx.ExecContext(bg, "SAVEPOINT w"); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("sqlite: savepoint: %w", mapErr(err)))
			return
		}
		outs[i] = runOne(r, tx, c.stmts)
		if outs[i].err != nil || outs[i].panicked {
			if _, err := tx.ExecContext(bg, "ROLLBACK TO w"); err != nil {
				// SQLite rolled the whole transaction back (a full disk,
				// say): nobody in the batch is written.
				tx.Rollback()
				fail(fmt.Errorf("sqlite: rollback to savepoint: %w", mapErr(err)))
				return
			}
		}
		if _, err := tx.ExecContext(bg, "RELEASE w"); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("sqlite: release savepoint: %w", mapErr(err)))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("sqlite: commit: %w", mapErr(err)))
	}
}

func runOne(r *request, tx *sql.Tx, stmts *stmtCache) (out outcome) {
	defer func() {
		if v := recover(); v != nil {
			out = outcome{panicked: true, panicVal: v}
		}
	}()
	q := querier{tx, stmts}
	return outcome{err: r.fn(&sqlTx{Tx: sqlstore.NewTx(r.ctx, q, sqlstore.SQLite, false), q: q})}
}
