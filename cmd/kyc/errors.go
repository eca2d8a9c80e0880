package main

import (
	"errors"
	"fmt"
)

// errHelp reports that -h was asked for and the usage printed: exit 0.
var errHelp = errors.New("help requested")

// usageError is a command line the command cannot run: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// findingsError reports that the command ran and found what the user asked
// about (an invalid profile, changes needing re-verification, records
// refused by an import): exit 1. The findings are already on stdout.
type findingsError struct{ what string }

func (e *findingsError) Error() string { return e.what }

// inputError is a file that cannot be read or decoded, named by the
// argument it came from and, for JSON, where in it. It never quotes the
// file's content.
type inputError struct {
	name string // the argument: "PROFILE", "--matrix"...
	err  error
}

func (e *inputError) Error() string { return fmt.Sprintf("%s: %v", e.name, e.err) }
func (e *inputError) Unwrap() error { return e.err }
