package config

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
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

func TestAuth(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.Auth != AuthOff || c.AuthClockSkew != 5*time.Minute {
		t.Fatalf("default auth = %q, %s, %v", c.Auth, c.AuthClockSkew, err)
	}
	c, err = load(t, []string{"--credentials", "/etc/creds.json"}, map[string]string{"CWLOGD_AUTH": "strict", "CWLOGD_AUTH_CLOCK_SKEW": "90s"})
	if err != nil || c.Auth != AuthStrict || c.CredentialsFile != "/etc/creds.json" || c.AuthClockSkew != 90*time.Second {
		t.Fatalf("strict = %q %q %s, %v", c.Auth, c.CredentialsFile, c.AuthClockSkew, err)
	}
	// Strict mode refuses to start without a credential.
	if _, err := load(t, []string{"--auth", "strict"}, nil); err == nil || !strings.Contains(err.Error(), "no credentials") {
		t.Fatalf("strict without credentials: err = %v", err)
	}
	_, err = load(t, []string{"--auth", "lax", "--auth-clock-skew", "0s"}, nil)
	if err == nil || !strings.Contains(err.Error(), `auth "lax"`) || !strings.Contains(err.Error(), "auth-clock-skew") {
		t.Fatalf("bad auth flags: err = %v", err)
	}
}

func TestEnvCredentials(t *testing.T) {
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "TOPSECRET", "AWS_SESSION_TOKEN": "TOKEN"}
	e := LoadEnvCredentials(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if !e.Set() || e.AccessKeyID != "AKIDENV" || e.SecretAccessKey != "TOPSECRET" || e.SessionToken != "TOKEN" {
		t.Fatalf("env credentials = %s", e)
	}
	c := Default()
	c.Store, c.Auth, c.EnvCredentials = "memory", AuthStrict, e
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, "TOPSECRET") || strings.Contains(s, "TOKEN") {
			t.Fatalf("config prints a secret: %s", s)
		}
	}
	c.EnvCredentials.SecretAccessKey = ""
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "set together") {
		t.Fatalf("key without secret: err = %v", err)
	}
}
