package reliability

import (
	"flag"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kycsdk/kyc/internal/pgtest"
)

// Flags scale the tests up from their CI defaults to the full figures of
// RELIABILITY.md.
var (
	flagKills       = flag.Int("kills", 200, "SIGKILLs of the crash test")
	flagUpdates     = flag.Int("updates", 0, "updates per goroutine of the concurrency test (0: 25, or 10 with -short; the full figure is 500)")
	flagConds       = flag.Int("conditions", 10000, "generated hostile conditions")
	flagKnownIssues = flag.Bool("known-issues", false, "run the cases skipped for a known bug, to see whether it is fixed")
)

// envChild selects the child program of the crash test when the test binary
// is re-executed.
const envChild = "KYC_RELIABILITY_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(crashChild())
	}
	pgtest.Main(m)
}
