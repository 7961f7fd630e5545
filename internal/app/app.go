// Package app wires cwlogd together — store, catalogue, service, HTTP
// server — and runs it until its context ends, then drains and closes.
//
// It imports config, server and everything they are built from.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/cwlogd/cwlogd/internal/auth"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/config"
	"github.com/cwlogd/cwlogd/internal/httpserve"
	"github.com/cwlogd/cwlogd/internal/policy"
	"github.com/cwlogd/cwlogd/internal/server"
	"github.com/cwlogd/cwlogd/internal/service"
	"github.com/cwlogd/cwlogd/internal/store"
	"github.com/cwlogd/cwlogd/internal/store/memory"
	"github.com/cwlogd/cwlogd/internal/store/postgres"
	"github.com/cwlogd/cwlogd/internal/store/sqlite"
)

// App is one running cwlogd.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	store   store.Store
	svc     *service.Service
	handler http.Handler
}

// New builds an App from a validated configuration.
func New(cfg config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := OpenStore(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Load()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load configuration templates: %w", err)
	}
	svc, err := service.New(service.Config{
		Store:      st,
		Catalog:    cat,
		Authorizer: policy.Evaluator{},
		Orgs:       cfg.OrgAccounts,
		Quotas: service.Quotas{
			Sources:      cfg.MaxDeliverySources,
			Destinations: cfg.MaxDeliveryDests,
			Deliveries:   cfg.MaxDeliveries,
			LogGroups:    cfg.MaxLogGroups,
		},
		Logger: log,
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	accounts, verifier, err := authentication(cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	if verifier != nil {
		log.Info("strict authentication: every request needs a valid SigV4 signature", "credentials", verifier.Len(), "clockSkew", verifier.ClockSkew().String())
	}
	sc := server.Config{
		Service:  svc,
		Accounts: accounts,
		Logger:   log,
		Verifier: verifier,
	}
	sc.BodyLimit = cfg.MaxBodyBytes
	if cfg.AllowReset {
		sc.Reset = st.Reset
	}
	return &App{cfg: cfg, log: log, store: st, svc: svc, handler: server.New(sc)}, nil
}

// authentication builds the access key → account map and, in strict mode,
// the signature verifier: the credentials file's keys act as their
// accounts in both modes; strict mode accepts them and the environment's
// key, whose account is that of --access-keys, of a 12-digit key itself,
// or --default-account.
func authentication(cfg config.Config) (auth.Accounts, *auth.Verifier, error) {
	accounts := auth.Accounts{Keys: cfg.AccessKeys, Default: cfg.DefaultAccount}
	var creds []auth.Credential
	if cfg.CredentialsFile != "" {
		var err error
		if creds, err = auth.ReadCredentialsFile(cfg.CredentialsFile); err != nil {
			return accounts, nil, err
		}
		keys := make(map[string]string, len(cfg.AccessKeys)+len(creds))
		for k, a := range cfg.AccessKeys {
			keys[k] = a
		}
		for _, c := range creds {
			if c.AccountID != "" {
				keys[c.AccessKeyID] = c.AccountID
			}
		}
		accounts.Keys = keys
	}
	if cfg.Auth != config.AuthStrict {
		return accounts, nil, nil
	}
	if e := cfg.EnvCredentials; e.Set() {
		creds = append(creds, auth.Credential{AccessKeyID: e.AccessKeyID, SecretAccessKey: e.SecretAccessKey, SessionToken: e.SessionToken})
	}
	v, err := auth.NewVerifier(auth.VerifierConfig{Credentials: creds, Accounts: accounts, ClockSkew: cfg.AuthClockSkew})
	if err != nil {
		return accounts, nil, fmt.Errorf("auth strict: %w", err)
	}
	return accounts, v, nil
}

// OpenStore opens the store the configuration names.
func OpenStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	switch {
	case cfg.Store == "memory":
		return memory.New(), nil
	case cfg.Store == "sqlite":
		return sqlite.Open(ctx, cfg.DataDir)
	case config.IsPostgresURL(cfg.Store):
		return postgres.Open(ctx, cfg.Store)
	}
	return nil, fmt.Errorf("unknown store %q", cfg.Store)
}

// limits are the configured bounds on clients.
func (a *App) limits() httpserve.Limits {
	return httpserve.Limits{
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		ReadTimeout:       a.cfg.ReadTimeout,
		WriteTimeout:      a.cfg.WriteTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    a.cfg.MaxHeaderBytes,
		MaxConnections:    a.cfg.MaxConnections,
	}
}

// Handler is the HTTP handler of the whole API, for embedding in tests.
func (a *App) Handler() http.Handler { return a.handler }

// Close releases the store.
func (a *App) Close() error { return a.store.Close() }

// Run listens on the configured address and serves until ctx is done, then
// stops accepting, lets in-flight requests finish and returns. ready, if not
// nil, is called with the bound address once requests are being accepted.
// Expired log events are purged in the background meanwhile.
func (a *App) Run(ctx context.Context, ready func(addr net.Addr)) error {
	bg, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.svc.RunRetention(bg, a.cfg.RetentionInterval)
	}()
	err := httpserve.ServeWith(ctx, a.cfg.Listen, a.handler, a.limits(), a.log, ready)
	stop()
	<-done
	return err
}
