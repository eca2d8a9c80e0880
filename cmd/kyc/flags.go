package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The command line is parsed with the standard library's flag package: the
// commands are two words deep and take a handful of flags each, which flag
// serves with one helper (parse, for flags after the arguments) and no
// dependency in the library's go.mod; a CLI framework would bring
// completion and help generation this command does not need.

// newFlags returns the flag set of a subcommand, with --json.
func newFlags(e *env, c string, usage string, jsonOut *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("kyc "+c, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.BoolVar(jsonOut, "json", false, "write the result as JSON, for scripts")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: kyc %s %s\n", c, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args with fs, flags and positional arguments in any order
// (the flag package stops at the first positional argument; a command line
// reads "kyc workflow render FILE --format dot"), and checks the number of
// positional arguments. "--" ends the flags.
func parse(fs *flag.FlagSet, args []string, min, max int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		fs.Usage()
		if max == min {
			return nil, usageErrorf("want %d argument(s), got %d", min, len(pos))
		}
		return nil, usageErrorf("want %d to %d arguments, got %d", min, max, len(pos))
	}
	return pos, nil
}

// listFlag is a flag that may be given several times, each time with one
// value or a comma-separated list: --scope a --scope b,c.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// readInput reads the file of an argument; "-" is standard input. The
// error names the argument and the kind of failure, not the content.
func readInput(e *env, name, path string) ([]byte, error) {
	if path == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, &inputError{name: name, err: err}
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &inputError{name: name, err: fsReason(err)}
	}
	return b, nil
}

// load reads the file of an argument and decodes it with decode; an error
// of decode names the argument too.
func load[T any](e *env, name, path string, decode func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := readInput(e, name, path)
	if err != nil {
		return zero, err
	}
	v, err := decode(data)
	if err != nil {
		return zero, &inputError{name: name, err: err}
	}
	return v, nil
}

// fsReason is the kind of a file-system error without the operation
// repeated ("open x: no such file or directory" gives "x: no such file or
// directory").
func fsReason(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// output writes a command's answer: v as JSON with --json, else text. When
// found, the answer holds findings (exit 1), named by what.
func output(e *env, jsonOut bool, v any, text func() error, found bool, what string) error {
	var err error
	if jsonOut {
		err = writeJSON(e.stdout, v)
	} else {
		err = text()
	}
	if err == nil && found {
		err = &findingsError{what: what}
	}
	return err
}

// writeJSON writes v as indented JSON with a final newline: the output of
// --json, for scripts. Empty lists are written as [], never null.
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v, jsontext.WithIndent("  "))
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
