package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
)

// A command is one subcommand: "workflow render", "profile diff"...
type command struct {
	group, name string
	usage       string // the arguments after the name
	summary     string
	run         func(ctx context.Context, env *env, args []string) error
}

// commands lists every subcommand, group by group; each group lives in a
// file of its own (workflow.go, profile.go, risk.go, import.go, export.go),
// so that a new group is one file and one line here.
func commands() []command {
	return slices.Concat(
		workflowCommands(),
		profileCommands(),
		riskCommands(),
		importCommands(),
		exportCommands(),
		configCommands(),
	)
}

// env is what a subcommand writes to.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	// terminal says that stderr is a terminal, where progress is drawn as
	// a bar rather than written as lines.
	terminal bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, terminal: isTerminal(os.Stderr)}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// Exit codes, as the usual command-line conventions have them.
const (
	exitOK       = 0
	exitFindings = 1 // the command ran and found problems
	exitUsage    = 2 // bad usage, unreadable input, a failing store
)

// run runs the command line args and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, rest, err := find(args)
	if err != nil {
		fmt.Fprintf(e.stderr, "kyc: %v\n", err)
		printUsage(e.stderr)
		return exitUsage
	}
	err = cmd.run(ctx, e, rest)
	var f *findingsError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &f):
		return exitFindings
	case errors.Is(err, errHelp):
		return exitOK
	default:
		fmt.Fprintf(e.stderr, "%s: %v\n", strings.TrimSpace("kyc "+cmd.group+" "+cmd.name), err)
		return exitUsage
	}
}

// find picks the subcommand named by the first two arguments.
func find(args []string) (command, []string, error) {
	all := commands()
	for _, c := range all {
		if args[0] == c.group && c.name == "" {
			return c, args[1:], nil
		}
		if len(args) > 1 && args[0] == c.group && args[1] == c.name {
			return c, args[2:], nil
		}
	}
	for _, c := range all {
		if args[0] == c.group {
			if len(args) < 2 {
				return command{}, nil, usageErrorf("%s needs a subcommand", c.group)
			}
			return command{}, nil, usageErrorf("unknown subcommand %q of %s", args[1], c.group)
		}
	}
	return command{}, nil, usageErrorf("unknown command %q", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kyc <command> [arguments] [flags]")
	fmt.Fprintln(w)
	all := commands()
	sort.SliceStable(all, func(i, j int) bool { return all[i].group < all[j].group })
	for _, c := range all {
		fmt.Fprintf(w, "  %s\n      %s\n", strings.Join(strings.Fields("kyc "+c.group+" "+c.name+" "+c.usage), " "), c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every command takes --json. Exit status: 0 ok, 1 findings, 2 usage or input error.")
	fmt.Fprintln(w, "Run kyc <command> -h for its flags.")
}

// isTerminal reports whether f is a character device: a terminal, where a
// progress bar may redraw its line.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
