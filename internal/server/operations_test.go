package server

import (
	"testing"

	"github.com/cwlogd/cwlogd/internal/api"
)

func TestEveryGeneratedOperationIsRouted(t *testing.T) {
	ops := operations(nil)
	for _, name := range api.OperationNames {
		if ops[name] == nil {
			t.Errorf("operation %s has no handler", name)
		}
	}
	if len(ops) != len(api.OperationNames) {
		t.Errorf("%d handlers for %d generated operations", len(ops), len(api.OperationNames))
	}
}
