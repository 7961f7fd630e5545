package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// freshPostgres creates an empty database for one test on the server named
// by CWLOGD_TEST_POSTGRES_DSN and returns its URL; it skips when the
// variable is unset, except in CI, where PostgreSQL is required.
func freshPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("CWLOGD_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but CWLOGD_TEST_POSTGRES_DSN is not: PostgreSQL tests must run in CI")
		}
		t.Skip("CWLOGD_TEST_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("PostgreSQL at CWLOGD_TEST_POSTGRES_DSN: %v", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("cwlogd_e2e_%d", rand.Uint64())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
