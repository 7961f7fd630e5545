package service

import (
	"context"
	"time"

	"github.com/cwlogd/cwlogd/internal/store"
)

// purgeBatch is how many expired events one purge transaction deletes, so
// a large purge never holds the store for long.
const purgeBatch = 10_000

// PurgeExpiredEvents deletes every event older than its log group's
// retention and returns how many it deleted. Reads already hide such
// events; this frees their space.
func (s *Service) PurgeExpiredEvents(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := s.store.Update(ctx, func(tx store.Tx) error {
			var err error
			n, err = tx.PurgeLogEvents(s.nowMillis(), purgeBatch)
			return err
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}

// RunRetention purges expired events every interval until ctx is done.
func (s *Service) RunRetention(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.PurgeExpiredEvents(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "retention purge failed", "err", err)
			} else if n > 0 {
				s.log.DebugContext(ctx, "retention purge", "events", n)
			}
		}
	}
}
