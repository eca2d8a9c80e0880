package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc/internal/pgtest"
)

// bin is the kyc binary the tests run, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kyc-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "kyc")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building kyc:", err)
		return 2
	}
	return pgtest.Run(m)
}

// result is what a run of the binary gave.
type result struct {
	stdout, stderr string
	code           int
}

// runKYC runs the binary with args in the package directory and returns its
// output and exit code.
func runKYC(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running kyc %v: %v", args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// want fails the test unless r has the exit code; it shows the output.
func (r result) want(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// decode decodes the --json output into v.
func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("stdout is not the JSON wanted: %v\n%s", err, r.stdout)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		err  string // in stderr
	}{
		{"no arguments", nil, exitUsage, "usage: kyc"},
		{"help", []string{"--help"}, exitOK, "kyc workflow render"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"group without subcommand", []string{"profile"}, exitUsage, "profile needs a subcommand"},
		{"unknown subcommand", []string{"profile", "bless"}, exitUsage, `unknown subcommand "bless" of profile`},
		{"unknown flag", []string{"profile", "validate", "--frob", "testdata/natural_person.json"}, exitUsage, "flag provided but not defined: -frob"},
		{"subcommand help", []string{"profile", "diff", "-h"}, exitOK, "usage: kyc profile diff"},
		{"too few arguments", []string{"profile", "diff", "testdata/natural_person.json"}, exitUsage, "want 2 argument(s), got 1"},
		{"too many arguments", []string{"profile", "validate", "a", "b"}, exitUsage, "want 1 argument(s), got 2"},
		{"missing file", []string{"profile", "diff", "testdata/nope.json", "testdata/natural_person.json"}, exitUsage, "A: testdata/nope.json: no such file or directory"},
		{"directory as file", []string{"workflow", "render", "testdata"}, exitUsage, "FILE:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runKYC(t, "", tt.args...).want(t, tt.code)
			if !strings.Contains(r.stderr, tt.err) {
				t.Errorf("stderr does not say %q:\n%s", tt.err, r.stderr)
			}
		})
	}
}

// TestFlagsAfterArguments checks that flags may come before or after the
// positional arguments, and that "--" ends them.
func TestFlagsAfterArguments(t *testing.T) {
	a := runKYC(t, "", "workflow", "render", "--format", "dot", "testdata/workflow.json").want(t, exitOK)
	b := runKYC(t, "", "workflow", "render", "testdata/workflow.json", "--format", "dot").want(t, exitOK)
	c := runKYC(t, "", "workflow", "render", "--format=dot", "--", "testdata/workflow.json").want(t, exitOK)
	if a.stdout != b.stdout || a.stdout != c.stdout {
		t.Errorf("the flag's place changed the output:\n%s\n---\n%s\n---\n%s", a.stdout, b.stdout, c.stdout)
	}
}

// TestNoPersonalDataOnStderr runs failing commands over profiles and checks
// that no value of the profiles reaches the error output.
func TestNoPersonalDataOnStderr(t *testing.T) {
	runs := [][]string{
		{"profile", "validate", "testdata/invalid_profile.json"},
		{"profile", "validate", "testdata/malformed.json"},
		{"profile", "reverify", "testdata/natural_person.json", "testdata/malformed.json"},
		{"risk", "assess", "--matrix", "testdata/natural_person.json", "testdata/natural_person.json"},
		{"workflow", "check", "testdata/natural_person.json", "--profile", "testdata/natural_person.json"},
		{"profile", "diff", "testdata/natural_person.json", "testdata/malformed.json"},
	}
	personal := []string{"John", "Doe", "39499655", "20-39499655-9", "Vicente", "Atlantis", "robot"}
	for _, args := range runs {
		r := runKYC(t, "", args...)
		if r.code == exitOK {
			t.Errorf("kyc %v succeeded, want a failure", args)
		}
		for _, v := range personal {
			if strings.Contains(r.stderr, v) {
				t.Errorf("kyc %v: stderr holds the value %q:\n%s", args, v, r.stderr)
			}
		}
	}
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
