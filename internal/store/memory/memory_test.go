package memory_test

import (
	"testing"

	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/memory"
	"github.com/cwlogd/cwlogd/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memory.New() })
}
