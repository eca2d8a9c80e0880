package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Environment variables read by DSN.
const (
	// EnvDSN names a server to use instead of starting one.
	EnvDSN = "KYC_TEST_POSTGRES_DSN"
	// EnvRequire, set to 1, turns a missing server into a test failure.
	EnvRequire = "KYC_REQUIRE_POSTGRES"
)

var (
	once    sync.Once
	srv     *server
	srvErr  error
	dbCount atomic.Int64
	mainRan atomic.Bool
)

// Main runs the package's tests and then stops the server DSN started, if
// any. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	mainRan.Store(true)
	code := m.Run()
	if srv != nil {
		srv.stop()
	}
	os.Exit(code)
}

// DSN returns the DSN of a fresh, empty database on the throwaway server,
// or the DSN of KYC_TEST_POSTGRES_DSN as given. It skips the test when no
// server can be had, or fails it under KYC_REQUIRE_POSTGRES=1.
func DSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	dsn, _ := fresh(t)
	return dsn
}

// fresh creates a database on the throwaway server, starting it first if
// needed, and returns its DSN and name.
func fresh(t testing.TB) (dsn, name string) {
	t.Helper()
	if !mainRan.Load() {
		t.Fatal("pgtest: call pgtest.Main(m) from TestMain, so that the server is stopped at the end")
	}
	once.Do(func() { srv, srvErr = start() })
	if srvErr != nil {
		unavailable(t, srvErr)
	}
	name = fmt.Sprintf("kyc_test_%d", dbCount.Add(1))
	dsn, err := srv.createDatabase(name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn, name
}

// SerializableDSN is DSN for a database whose default transaction
// isolation is SERIALIZABLE, so that every transaction and single
// statement that does not choose its level may fail with SQLSTATE 40001,
// as on CockroachDB: the way to run a whole suite over a store's
// serialization retries. On the throwaway server it is a fresh database
// set with ALTER DATABASE; on KYC_TEST_POSTGRES_DSN, whose databases are
// not ours to alter, the setting goes in the connection's startup
// parameters, which the server applies the same way to every session.
func SerializableDSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return withParam(dsn, "default_transaction_isolation", "serializable")
	}
	dsn, name := fresh(t)
	if err := srv.exec("ALTER DATABASE " + name + " SET default_transaction_isolation = 'serializable'"); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// withParam adds a setting to a DSN in either of its forms, URL or
// key=value.
func withParam(dsn, key, value string) string {
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + key + "=" + value
	}
	return dsn + " " + key + "=" + value
}

// DSNFromEnv reports whether DSN returns the server of KYC_TEST_POSTGRES_DSN
// rather than fresh databases on a throwaway server.
func DSNFromEnv() bool { return os.Getenv(EnvDSN) != "" }

func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("pgtest: no PostgreSQL server and %s=1: %v", EnvRequire, err)
	}
	t.Skipf("pgtest: no PostgreSQL server (set %s, or install the PostgreSQL server binaries): %v", EnvDSN, err)
}

// server is a running throwaway PostgreSQL.
type server struct {
	dir   string // temporary directory: data, socket and log
	cmd   *exec.Cmd
	done  chan struct{} // closed when the postgres process exited
	admin string        // DSN of the postgres database
}

// findBinaries returns the directory holding initdb and postgres: on PATH,
// else the newest /usr/lib/postgresql/<version>/bin (Debian's layout, which
// does not put the server on PATH).
func findBinaries() (string, error) {
	initdb, err1 := exec.LookPath("initdb")
	postgres, err2 := exec.LookPath("postgres")
	if err1 == nil && err2 == nil && filepath.Dir(initdb) == filepath.Dir(postgres) {
		return filepath.Dir(initdb), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if err1 == nil && err2 == nil {
		return "", fmt.Errorf("initdb and postgres found in different directories")
	}
	return "", errors.New("initdb and postgres not found on PATH or under /usr/lib/postgresql/*/bin")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&0o111 != 0
}

func start() (*server, error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kyc-pgtest-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, done: make(chan struct{})}
	if err := s.run(bin); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) run(bin string) error {
	cred, err := credential(s.dir)
	if err != nil {
		return err
	}
	data := filepath.Join(s.dir, "data")
	// The server is thrown away, so durability buys nothing: no fsync.
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = childEnv()
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, tail(out))
	}
	logf, err := os.Create(filepath.Join(s.dir, "postgres.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", s.dir,
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=128MB")
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	s.cmd.Env = childEnv()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	s.admin = s.dsn("postgres")
	return s.waitReady(30 * time.Second)
}

// credential returns who runs the server: postgres refuses to run as root,
// so under root the postgres user (or nobody) owns the directory and runs
// it; otherwise the current user does.
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("running as root and no unprivileged user to run postgres: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func childEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "TZ=UTC"}
}

func (s *server) dsn(db string) string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", s.dir, db)
}

func (s *server) waitReady(limit time.Duration) error {
	db, err := sql.Open("pgx", s.admin)
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("postgres exited: %s", s.log())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not ready after %v: %v: %s", limit, err, s.log())
		}
	}
}

func (s *server) createDatabase(name string) (string, error) {
	if err := s.exec("CREATE DATABASE " + name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return s.dsn(name), nil
}

// exec runs one statement in the postgres database.
func (s *server) exec(stmt string) error {
	db, err := sql.Open("pgx", s.admin)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(stmt)
	return err
}

// stop shuts the server down (fast shutdown, then kill) and removes its
// directory.
func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.done
		}
	}
	os.RemoveAll(s.dir)
}

func (s *server) log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "postgres.log"))
	return tail(b)
}

func tail(b []byte) string {
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
