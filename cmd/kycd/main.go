// Command kycd serves the HTTP API of a kyc.Service (package httpapi): the
// digital-profile resources of seed 003 and the client API of seed 002.
//
//	go run ./cmd/kycd -keys keys.json                     # SQLite file kyc.db, 127.0.0.1:8080
//	go run ./cmd/kycd -keys keys.json -postgres "$DSN"    # PostgreSQL
//	go run ./cmd/kycd -keys keys.json -tenants tenants/   # a configuration per tenant
//	go run ./cmd/kycd -keys keys.json -webhook https://hooks.example/kyc -webhook-secret-file whsec.txt
//	echo -n "$KEY" | go run ./cmd/kycd hash-key           # a key file entry's sha256
//
// Every flag has an environment variable (KYCD_ADDR, KYCD_SQLITE,
// KYCD_POSTGRES, KYCD_KEYS, KYCD_CURSOR_SECRET, KYCD_RISK_LEVELS,
// KYCD_TENANTS, KYCD_UNKNOWN_TENANTS, KYCD_WEBHOOK,
// KYCD_WEBHOOK_SECRET_FILE); a flag given wins.
//
// -tenants names a directory of tenant configurations, one <tenant>.json
// per tenant (kyc.LoadTenantConfig's format, tenant.schema.json): each
// tenant's calls follow its own workflow, risk matrix, recipes and policy.
// A file that does not load, or whose configuration does not build, stops
// the start with its path and every problem. A tenant of the key file with
// no file gets the server's own options (-unknown-tenants defaults, the
// default, the same as a server without -tenants) or is refused with 403
// (-unknown-tenants refuse, for a deployment that configures every tenant
// explicitly). The key file decides who may call at all either way.
//
// -webhook runs the change-feed relay in the process: every event of every
// tenant of the key file is posted to the URL, signed (Standard Webhooks)
// with the secrets of -webhook-secret-file (one "whsec_..." a line), at
// least once and in order per tenant, with retries and dead letters kept in
// the database (package webhook). The events carry ids, kinds and paths,
// never a personal value. The relay stops with the server, before the
// database closes. Requests authenticate with an API key ("Authorization: Bearer
// <key>" or "X-API-Key"), which the key file maps to a tenant, a user and
// scopes. To authenticate with JWTs instead, build a command of your own
// around httpapi.New with an httpapi.Authenticator that verifies the token
// and returns its tenant, subject and scopes (see the README).
//
// It logs one JSON line per request (method, route pattern, status, duration,
// tenant: no path, no query, no body), answers /healthz (the process runs)
// and /readyz (the database answers), and on SIGINT or SIGTERM stops taking
// connections, finishes the requests in flight and closes the database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/httpapi"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// config is what the flags and the environment say.
type config struct {
	addr, sqlite, postgres, keys, cursorSecret, riskLevels string
	tenants, unknownTenants, webhook, webhookSecretFile    string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "hash-key" {
		if err := hashKey(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		return
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log, nil); err != nil {
		log.Error("kycd stopped", "error", err.Error())
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("kycd", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("KYCD_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.sqlite, "sqlite", env("KYCD_SQLITE", "kyc.db"), "SQLite database file (when no PostgreSQL DSN is given)")
	fs.StringVar(&c.postgres, "postgres", env("KYCD_POSTGRES", ""), "PostgreSQL DSN; empty: SQLite")
	fs.StringVar(&c.keys, "keys", env("KYCD_KEYS", ""), "JSON file of API keys (sha256 -> tenant, user, scopes)")
	fs.StringVar(&c.cursorSecret, "cursor-secret", env("KYCD_CURSOR_SECRET", ""), "secret sealing list cursors, shared by the instances behind one load balancer; empty: random per process")
	fs.StringVar(&c.riskLevels, "risk-levels", env("KYCD_RISK_LEVELS", "low,medium,high,severe"), "the risk levels, lowest first (seed 002's by default)")
	fs.StringVar(&c.tenants, "tenants", env("KYCD_TENANTS", ""), "directory of tenant configurations, one <tenant>.json per tenant; empty: every tenant gets the server's options")
	fs.StringVar(&c.unknownTenants, "unknown-tenants", env("KYCD_UNKNOWN_TENANTS", "defaults"), "with -tenants, what a tenant without a file gets: defaults (the server's options) or refuse")
	fs.StringVar(&c.webhook, "webhook", env("KYCD_WEBHOOK", ""), "URL the change-feed relay posts every event to; empty: no relay")
	fs.StringVar(&c.webhookSecretFile, "webhook-secret-file", env("KYCD_WEBHOOK_SECRET_FILE", ""), "file of the webhook signing secrets, one whsec_... a line")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.keys == "" {
		return c, errors.New("kycd: -keys (or KYCD_KEYS) names the API key file; without one no request could authenticate")
	}
	return c, nil
}

// run serves until ctx ends, then shuts down gracefully. ready, when not
// nil, receives the address listened on.
func run(ctx context.Context, cfg config, log *slog.Logger, ready chan<- string) error {
	auth, keyTenants, err := loadKeys(cfg.keys)
	if err != nil {
		return err
	}
	var tenants *kyc.Tenants
	if cfg.tenants != "" {
		if tenants, err = loadTenants(cfg.tenants, cfg.unknownTenants); err != nil {
			return err
		}
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()

	svc, err := kyc.New(store, kyc.Options{
		RiskLevels: strings.Split(cfg.riskLevels, ","),
		Logger:     log,
		Tenants:    tenants,
	})
	if err != nil {
		return err
	}
	if err := checkTenants(ctx, svc, cfg.tenants, tenants); err != nil {
		return err
	}
	api, err := httpapi.New(svc, auth, httpapi.Options{AccessLog: log})
	if err != nil {
		return err
	}

	stopRelay, err := startRelay(store, cfg.webhook, cfg.webhookSecretFile, keyTenants, log)
	if err != nil {
		return err
	}
	// Deferred after the store's Close, so run first: the relay stops
	// before the database closes, on every way out.
	defer stopRelay()

	mux := http.NewServeMux()
	mux.Handle("/", api)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		pctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.DB().PingContext(pctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("kycd listening", "addr", ln.Addr().String(), "database", databaseKind(cfg))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("kycd shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopRelay()
	log.Info("kycd stopped")
	return nil
}

// checkTenants builds the Service of every configured tenant once, so
// that a configuration that loads but does not apply (a state it names is
// not in its workflow...) stops the start with its file instead of
// refusing that tenant's calls later.
func checkTenants(ctx context.Context, svc *kyc.Service, dir string, tenants *kyc.Tenants) error {
	if tenants == nil {
		return nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var errs []error
	for _, path := range paths {
		tenant := strings.TrimSuffix(filepath.Base(path), ".json")
		if _, err := svc.ConfigVersion(ctx, tenant); err != nil {
			errs = append(errs, fmt.Errorf("kycd: %s: %w", path, err))
		}
	}
	return errors.Join(errs...)
}

func openStore(ctx context.Context, cfg config) (*sqlstore.Store, error) {
	var opts sqlstore.Options
	if cfg.cursorSecret != "" {
		key, err := storage.NewCursorKey([]byte(cfg.cursorSecret))
		if err != nil {
			return nil, err
		}
		opts.CursorKey = key
	}
	if cfg.postgres != "" {
		return sqlstore.OpenPostgres(ctx, cfg.postgres, opts)
	}
	return sqlstore.OpenSQLite(ctx, cfg.sqlite, opts)
}

func databaseKind(cfg config) string {
	if cfg.postgres != "" {
		return "postgres"
	}
	return "sqlite"
}
