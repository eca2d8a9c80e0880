package condition_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/internal/condition"
)

// compileBudget is what issue 11 allows per hostile condition (10 ms) with
// room for -race and a loaded machine: the limits aim at about 2 ms.
const compileBudget = 100 * time.Millisecond

// repeatJoin is first followed by n times more.
func repeatJoin(first, more string, n int) string {
	return first + strings.Repeat(more, n)
}

// fastestCompile compiles src three times and returns the shortest time,
// so that a collection or a busy machine does not count as the work of
// compiling.
func fastestCompile(src string) (time.Duration, error) {
	var best time.Duration
	var err error
	for i := range 3 {
		start := time.Now()
		_, err = condition.Compile(src, condition.Options{Roots: []string{"d"}})
		if took := time.Since(start); i == 0 || took < best {
			best = took
		}
	}
	return best, err
}

// nestedChains nests comparison chains whose middle operand is the next
// level, so that each level doubles the compiled tokens.
func nestedChains(levels int) string {
	return strings.Repeat("1 < (", levels) + "d.x" + strings.Repeat(") < 1", levels)
}

// TestCompileWorstCases compiles the costliest conditions at the limits
// (MaxOperators, MaxNesting, the number of compiled tokens) and just past
// them: each must compile, or be rejected as a *SyntaxError, within the
// budget (issue 11). The measured times are logged.
func TestCompileWorstCases(t *testing.T) {
	n := condition.MaxOperators
	deep := condition.MaxNesting
	tests := []struct {
		name    string
		src     string
		compile bool // false: rejected as too complex
	}{
		{"sum of literals", repeatJoin("1", "+1", n), true},
		{"product of literals", repeatJoin("1", "*1", n), true},
		{"sum of paths", repeatJoin("d.x", " + d.x", n), true},
		{"differences of signed paths", repeatJoin("-d.x", " - -d.x", n/2-1), true},
		{"and chain", repeatJoin("d.x", " and d.x", n), true},
		{"or chain of comparisons", repeatJoin("d.x == 1", " or d.x == 1", n/2-1), true},
		{"or chain of negations", repeatJoin("not d.x < 1", " or not d.x < 1", n/3-1), true},
		{"comparison chain of literals", repeatJoin("1", " < 1", n), true},
		{"comparison chain of paths", repeatJoin("d.x", " < d.y", n), true},
		{"membership chain", repeatJoin("d.x", " in d.y", n), true},
		{"list of paths", "[d.x" + strings.Repeat(", d.x", n-1) + "]", true},
		{"deep parentheses with a sum", strings.Repeat("(", deep) + repeatJoin("d.x", " + d.x", n-1) + strings.Repeat(")", deep), true},
		{"deep parentheses around chains", strings.Repeat("(d.x < ", deep) + "d.y" + strings.Repeat(")", deep), true},
		{"nested chains within the token limit", nestedChains(8), true},
		{"nested chains past the token limit", nestedChains(12), false},
		{"nested chains at the nesting limit", nestedChains(deep), false},
		{"4 KiB sum", repeatJoin("1", "+1", condition.MaxSourceLen/2-1), false},
		{"4 KiB comparison chain", repeatJoin("1", "<1", condition.MaxSourceLen/2-1), false},
		{"4 KiB and chain", repeatJoin("d.x", " and d.x", condition.MaxSourceLen/8-1), false},
		{"one operator too many", repeatJoin("1", "+1", n+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.src) > condition.MaxSourceLen {
				t.Fatalf("test condition of %d bytes is over MaxSourceLen", len(tt.src))
			}
			took, err := fastestCompile(tt.src)
			t.Logf("%d bytes: %v (%v)", len(tt.src), took, err)
			if tt.compile && err != nil {
				t.Fatalf("Compile: %v, want a compiled condition", err)
			}
			var se *condition.SyntaxError
			if !tt.compile && (!errors.As(err, &se) || !strings.Contains(se.Msg, "too complex")) {
				t.Fatalf("Compile: %v, want a *SyntaxError: condition too complex", err)
			}
			if took > compileBudget {
				t.Errorf("Compile took %v, over %v", took, compileBudget)
			}
		})
	}
}
