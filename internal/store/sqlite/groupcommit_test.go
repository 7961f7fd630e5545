package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/sqlite"
)

// Updates that share a batch still succeed or fail on their own: a failing
// or panicking Update leaves no trace, its neighbours are kept.
func TestGroupCommitIsolatesUpdates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	sc := model.Scope{Account: "111111111111", Region: "us-east-1"}
	boom := errors.New("boom")
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	panics := make([]any, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			errs[i] = s.Update(ctx, func(tx store.Tx) error {
				name := fmt.Sprintf("s%03d", i)
				if err := tx.PutSource(sc, model.DeliverySource{Name: name, Arn: "arn:" + name}); err != nil {
					return err
				}
				switch i % 10 {
				case 3:
					return boom
				case 7:
					panic("fn panicked")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i := range n {
		switch i % 10 {
		case 3:
			if !errors.Is(errs[i], boom) {
				t.Errorf("update %d: %v, want boom", i, errs[i])
			}
		case 7:
			if panics[i] != "fn panicked" {
				t.Errorf("update %d: panic %v not raised in its caller", i, panics[i])
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("update %d: %v %v", i, errs[i], panics[i])
			}
		}
	}
	// What was acknowledged is on disk; what failed is not.
	s.Close()
	s, err = sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(ctx, func(tx store.Tx) error {
		for i := range n {
			_, err := tx.Source(sc, fmt.Sprintf("s%03d", i))
			if want := i%10 != 3 && i%10 != 7; (err == nil) != want {
				t.Errorf("source %d present = %v, want %v", i, err == nil, want)
			}
		}
		if c, _ := tx.CountSources(sc); c != n*8/10 {
			t.Errorf("CountSources = %d, want %d", c, n*8/10)
		}
		return nil
	})
}
