package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Default()
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := ApplyEnv(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:4566" || c.Store != "sqlite" || c.DefaultAccount != "000000000000" || c.DataDir == "" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	env := map[string]string{"CWLOGD_LISTEN": "127.0.0.1:9999", "CWLOGD_DEFAULT_ACCOUNT": "123456789012",
		"CWLOGD_ACCESS_KEYS": "AKIDA=111111111111,AKIDB=222222222222", "CWLOGD_STORE": "memory"}
	c, err := load(t, []string{"--listen", "127.0.0.1:1234"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:1234" {
		t.Errorf("flag should win over environment: listen = %s", c.Listen)
	}
	if c.DefaultAccount != "123456789012" || c.Store != "memory" || c.AccessKeys["AKIDB"] != "222222222222" {
		t.Errorf("environment not applied: %+v", c)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	_, err := load(t, []string{"--listen", "nope", "--store", "mysql://x", "--default-account", "12",
		"--access-keys", "bad", "--max-deliveries", "-1", "--log-level", "loud"}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"listen", "store", "default-account", "access-keys", "max-deliveries", "log-level"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

func TestStoreLabelHidesPasswords(t *testing.T) {
	for _, store := range []string{"postgres://u:s3cret@db/cwlogd", "postgresql://u@db/cwlogd?password=s3cret&sslmode=disable"} {
		c := Default()
		c.Store = store
		if l := c.StoreLabel(); strings.Contains(l, "s3cret") || !strings.HasPrefix(l, "postgres ") {
			t.Errorf("StoreLabel(%s) = %s", store, l)
		}
	}
}
