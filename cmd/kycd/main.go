// Command kycd serves the HTTP API of a kyc.Service (package httpapi): the
// digital-profile resources of seed 003 and the client API of seed 002.
//
//	go run ./cmd/kycd -keys keys.json                     # SQLite file kyc.db, 127.0.0.1:8080
//	go run ./cmd/kycd -keys keys.json -postgres "$DSN"    # PostgreSQL
//	echo -n "$KEY" | go run ./cmd/kycd hash-key           # a key file entry's sha256
//
// Every flag has an environment variable (KYCD_ADDR, KYCD_SQLITE,
// KYCD_POSTGRES, KYCD_KEYS, KYCD_CURSOR_SECRET, KYCD_RISK_LEVELS); a flag
// given wins. Requests authenticate with an API key ("Authorization: Bearer
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
	auth, err := loadKeys(cfg.keys)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()

	// Seam: per-tenant configuration. A directory of tenant configurations
	// (workflow, risk matrix, recipes, policy per tenant) becomes the
	// Service's per-tenant configuration here, once the library loads it;
	// the handler takes the Service as it is and needs nothing more.
	svc, err := kyc.New(store, kyc.Options{
		RiskLevels: strings.Split(cfg.riskLevels, ","),
		Logger:     log,
	})
	if err != nil {
		return err
	}
	api, err := httpapi.New(svc, auth, httpapi.Options{AccessLog: log})
	if err != nil {
		return err
	}

	// Seam: the change-feed relay. A relay that forwards the change feed to
	// webhooks or a queue runs here, in-process, with ctx, and is stopped
	// before the store closes.

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
	return nil
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
