// Package config holds cwlogd's settings: defaults, command-line flags, the
// CWLOGD_* environment variables that stand in for them, and validation that
// reports every problem at once.
//
// It imports only model.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cwlogd/cwlogd/internal/model"
)

// Config is everything `cwlogd serve` can be told.
type Config struct {
	Listen string
	// Store is "sqlite" (in DataDir), "memory", or a PostgreSQL URL.
	Store          string
	DataDir        string
	DefaultAccount string
	// Auth is "off" (identity read from the credential scope, signatures
	// not checked) or "strict" (every request needs a valid SigV4
	// signature of a known credential).
	Auth string
	// CredentialsFile names the JSON credentials document of strict mode.
	CredentialsFile string
	// AuthClockSkew is how far a signature's date may be from now.
	AuthClockSkew time.Duration
	// EnvCredentials is the credential of the environment
	// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which
	// Load reads; strict mode accepts it besides the file's.
	EnvCredentials EnvCredentials
	// AccessKeys maps access key ids to account ids ("KEY=ACCOUNT,…").
	AccessKeys         map[string]string
	MaxDeliverySources int
	MaxDeliveryDests   int
	MaxDeliveries      int
	MaxLogGroups       int
	// RetentionInterval is how often events past their group's retention
	// are purged.
	RetentionInterval time.Duration
	AllowReset        bool
	// Limits on clients (hostile input): body cap, connection cap, header
	// cap and timeouts.
	MaxBodyBytes      int64
	MaxConnections    int
	MaxHeaderBytes    int
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	LogLevel          slog.Level
	OrgAccounts       map[string]string // account id → AWS Organizations id, for aws:PrincipalOrgID ("ORG=ACCOUNT,…;ORG=…")
	accessKeysFlag    string
	orgAccountsFlag   string
	logLevelFlag      string
}

// Auth modes.
const (
	AuthOff    = "off"
	AuthStrict = "strict"
)

// EnvCredentials is an access key from the environment. Its String never
// shows the secret or the token.
type EnvCredentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// String describes e without its secret or token.
func (e EnvCredentials) String() string {
	if e.AccessKeyID == "" {
		return "none"
	}
	return "access key " + e.AccessKeyID
}

// GoString is String, so that %#v cannot print the secret either.
func (e EnvCredentials) GoString() string { return e.String() }

// Set reports whether the environment gave a whole credential.
func (e EnvCredentials) Set() bool { return e.AccessKeyID != "" && e.SecretAccessKey != "" }

// LoadEnvCredentials reads the AWS credential variables.
func LoadEnvCredentials(lookup func(string) (string, bool)) EnvCredentials {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	return EnvCredentials{AccessKeyID: get("AWS_ACCESS_KEY_ID"), SecretAccessKey: get("AWS_SECRET_ACCESS_KEY"), SessionToken: get("AWS_SESSION_TOKEN")}
}

// Default returns the configuration of a plain `cwlogd serve`.
func Default() Config {
	return Config{
		Listen:             "127.0.0.1:4566",
		Store:              "sqlite",
		DataDir:            DefaultDataDir(),
		DefaultAccount:     "000000000000",
		MaxDeliverySources: 1_000_000,
		MaxDeliveryDests:   1_000_000,
		MaxDeliveries:      1_000_000,
		MaxLogGroups:       1_000_000,
		RetentionInterval:  time.Minute,
		AllowReset:         true,
		MaxBodyBytes:       8 << 20,
		MaxConnections:     1024,
		MaxHeaderBytes:     64 << 10,
		ReadHeaderTimeout:  10 * time.Second,
		ReadTimeout:        time.Minute,
		WriteTimeout:       2 * time.Minute,
		IdleTimeout:        2 * time.Minute,
		LogLevel:           slog.LevelInfo,
		Auth:               AuthOff,
		AuthClockSkew:      5 * time.Minute,
		logLevelFlag:       "info",
	}
}

// RegisterFlags defines the serve flags on fs, writing into c.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to listen on (host:port)")
	fs.StringVar(&c.Store, "store", c.Store, `state store: "sqlite" (in --data-dir), "memory" (nothing kept), or a PostgreSQL URL postgres://…`)
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of the sqlite store")
	fs.StringVar(&c.DefaultAccount, "default-account", c.DefaultAccount, "account id of access keys that are not configured and are not 12-digit account ids")
	fs.StringVar(&c.accessKeysFlag, "access-keys", c.accessKeysFlag, "access key to account map: KEY=ACCOUNT[,KEY=ACCOUNT…]")
	fs.StringVar(&c.orgAccountsFlag, "org-accounts", c.orgAccountsFlag, "AWS Organizations of accounts, for aws:PrincipalOrgID in policies: ORG=ACCOUNT[,ACCOUNT…][;ORG=…]")
	fs.IntVar(&c.MaxDeliverySources, "max-delivery-sources", c.MaxDeliverySources, "delivery sources allowed per account and region (0: no limit)")
	fs.IntVar(&c.MaxDeliveryDests, "max-delivery-destinations", c.MaxDeliveryDests, "delivery destinations allowed per account and region (0: no limit)")
	fs.IntVar(&c.MaxDeliveries, "max-deliveries", c.MaxDeliveries, "deliveries allowed per account and region (0: no limit)")
	fs.IntVar(&c.MaxLogGroups, "max-log-groups", c.MaxLogGroups, "log groups allowed per account and region (0: no limit)")
	fs.DurationVar(&c.RetentionInterval, "retention-interval", c.RetentionInterval, "how often events older than their log group's retention are purged")
	fs.BoolVar(&c.AllowReset, "allow-reset", c.AllowReset, "serve POST /_cwlogd/reset, which deletes all state")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (RequestEntityTooLargeException past it)")
	fs.IntVar(&c.MaxConnections, "max-connections", c.MaxConnections, "open connections served at once; more are answered 503 ServiceUnavailableException (0: no limit)")
	fs.IntVar(&c.MaxHeaderBytes, "max-header-bytes", c.MaxHeaderBytes, "largest request line and headers (HTTP 431 past it)")
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", c.ReadHeaderTimeout, "time a client has to send a request's headers")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", c.ReadTimeout, "time a client has to send a whole request (RequestTimeoutException past it)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", c.WriteTimeout, "time from a request's headers to the end of its answer")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", c.IdleTimeout, "keep-alive connections idle this long are closed")
	fs.StringVar(&c.logLevelFlag, "log-level", c.logLevelFlag, "log level: debug, info, warn or error")
	fs.StringVar(&c.Auth, "auth", c.Auth, `"off": identity from the SigV4 credential scope, signatures not checked; "strict": every request needs a valid SigV4 signature of a known credential`)
	fs.StringVar(&c.CredentialsFile, "credentials", c.CredentialsFile, `strict mode's credentials: a JSON file {"credentials": [{"accessKeyId", "secretAccessKey", "accountId", "sessionToken"}]} (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are accepted too)`)
	fs.DurationVar(&c.AuthClockSkew, "auth-clock-skew", c.AuthClockSkew, "strict mode: how far a request's X-Amz-Date may be from the server's clock")
}

// EnvName is the environment variable that sets flag name: CWLOGD_ and the
// name in upper case with dashes as underscores.
func EnvName(flagName string) string {
	return "CWLOGD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ApplyEnv sets every flag not given on the command line from its
// environment variable, if that is set.
func ApplyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		if v, ok := lookup(EnvName(f.Name)); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", EnvName(f.Name), v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// Load parses args and the environment into a validated Config.
func Load(fs *flag.FlagSet, args []string) (Config, error) {
	c := Default()
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := ApplyEnv(fs, os.LookupEnv); err != nil {
		return c, err
	}
	c.EnvCredentials = LoadEnvCredentials(os.LookupEnv)
	return c, c.Validate()
}

// Validate checks c and finishes the values that need parsing; it reports
// every problem, not only the first.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen %q: %w", c.Listen, err))
	}
	switch {
	case c.Store == "memory":
	case c.Store == "sqlite":
		if c.DataDir == "" {
			errs = append(errs, errors.New("data-dir: required by the sqlite store"))
		}
	case IsPostgresURL(c.Store):
	default:
		errs = append(errs, fmt.Errorf(`store %q: want "sqlite", "memory" or a postgres:// URL`, c.Store))
	}
	if !model.IsAccountID(c.DefaultAccount) {
		errs = append(errs, fmt.Errorf("default-account %q: must be a 12-digit account id", c.DefaultAccount))
	}
	keys, err := parseAccessKeys(c.accessKeysFlag)
	if err != nil {
		errs = append(errs, err)
	}
	if c.AccessKeys == nil {
		c.AccessKeys = keys
	} else {
		for k, v := range keys {
			c.AccessKeys[k] = v
		}
	}
	orgs, err := parseOrgAccounts(c.orgAccountsFlag)
	if err != nil {
		errs = append(errs, err)
	}
	if c.OrgAccounts == nil {
		c.OrgAccounts = orgs
	} else {
		for k, v := range orgs {
			c.OrgAccounts[k] = v
		}
	}
	for name, n := range map[string]int{"max-delivery-sources": c.MaxDeliverySources, "max-delivery-destinations": c.MaxDeliveryDests, "max-deliveries": c.MaxDeliveries, "max-log-groups": c.MaxLogGroups} {
		if n < 0 {
			errs = append(errs, fmt.Errorf("%s %d: must not be negative", name, n))
		}
	}
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("max-body-bytes %d: must be positive", c.MaxBodyBytes))
	}
	if c.MaxConnections < 0 {
		errs = append(errs, fmt.Errorf("max-connections %d: must not be negative", c.MaxConnections))
	}
	if c.MaxHeaderBytes <= 0 {
		errs = append(errs, fmt.Errorf("max-header-bytes %d: must be positive", c.MaxHeaderBytes))
	}
	for name, d := range map[string]time.Duration{"read-header-timeout": c.ReadHeaderTimeout, "read-timeout": c.ReadTimeout, "write-timeout": c.WriteTimeout, "idle-timeout": c.IdleTimeout} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s %s: must be positive", name, d))
		}
	}
	if c.RetentionInterval <= 0 {
		errs = append(errs, fmt.Errorf("retention-interval %s: must be positive", c.RetentionInterval))
	}
	if err := c.LogLevel.UnmarshalText([]byte(c.logLevelFlag)); err != nil {
		errs = append(errs, fmt.Errorf("log-level %q: %w", c.logLevelFlag, err))
	}
	errs = append(errs, c.validateAuth()...)
	return errors.Join(errs...)
}

func (c *Config) validateAuth() []error {
	var errs []error
	switch c.Auth {
	case AuthOff:
	case AuthStrict:
		e := c.EnvCredentials
		if (e.AccessKeyID == "") != (e.SecretAccessKey == "") {
			errs = append(errs, errors.New("auth strict: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together"))
		} else if c.CredentialsFile == "" && !e.Set() {
			errs = append(errs, errors.New("auth strict: no credentials: give --credentials FILE or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
		}
	default:
		errs = append(errs, fmt.Errorf(`auth %q: want "off" or "strict"`, c.Auth))
	}
	if c.AuthClockSkew <= 0 {
		errs = append(errs, fmt.Errorf("auth-clock-skew %s: must be positive", c.AuthClockSkew))
	}
	return errs
}

// IsPostgresURL reports whether a --store value names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// StoreLabel describes the store for logs without its secrets: a
// PostgreSQL URL loses its password.
func (c *Config) StoreLabel() string {
	switch {
	case c.Store == "sqlite":
		return "sqlite in " + c.DataDir
	case IsPostgresURL(c.Store):
		u, err := url.Parse(c.Store)
		if err != nil {
			return "postgres (unparsable URL)"
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return "postgres " + u.Redacted()
	}
	return c.Store
}

// DefaultDataDir is where the sqlite store lives unless told otherwise:
// $XDG_DATA_HOME/cwlogd, else ~/.local/share/cwlogd, else ./cwlogd-data.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "cwlogd")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "share", "cwlogd")
	}
	return "cwlogd-data"
}

func parseAccessKeys(s string) (map[string]string, error) {
	m := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	var errs []error
	for _, pair := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || k == "" || !model.IsAccountID(v) {
			errs = append(errs, fmt.Errorf("access-keys entry %q: want KEY=ACCOUNT with a 12-digit account id", pair))
			continue
		}
		m[k] = v
	}
	return m, errors.Join(errs...)
}

var orgIDRe = regexp.MustCompile(`^o-[a-z0-9]{1,32}$`)

// parseOrgAccounts reads --org-accounts: ORG=ACCOUNT[,ACCOUNT…], several
// organizations separated by ";", into a map of account to organization.
func parseOrgAccounts(s string) (map[string]string, error) {
	m := map[string]string{}
	var errs []error
	for entry := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		org, accounts, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok || !orgIDRe.MatchString(org) {
			errs = append(errs, fmt.Errorf("org-accounts entry %q: want ORG=ACCOUNT[,ACCOUNT…] with an organization id o-…", entry))
			continue
		}
		for a := range strings.SplitSeq(accounts, ",") {
			a = strings.TrimSpace(a)
			if !model.IsAccountID(a) {
				errs = append(errs, fmt.Errorf("org-accounts entry %q: %q is not a 12-digit account id", entry, a))
			} else if prev, dup := m[a]; dup && prev != org {
				errs = append(errs, fmt.Errorf("org-accounts: account %s is in both %s and %s", a, prev, org))
			} else {
				m[a] = org
			}
		}
	}
	return m, errors.Join(errs...)
}
