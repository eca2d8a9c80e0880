package faultdriver

import (
	"errors"
	"fmt"
)

// ErrInjected is the failure a Plan injects; tests check for it with
// errors.Is to tell an injected failure from a real one.
var ErrInjected = errors.New("faultdriver: injected failure")

// InjectedError says which call failed: its kind and its number since the
// last Arm. It carries no SQL text and no argument, which may hold personal
// data.
type InjectedError struct {
	Op Op
	N  int64
}

// Error names the call.
func (e *InjectedError) Error() string {
	return fmt.Sprintf("faultdriver: injected failure at call %d (%s)", e.N, e.Op)
}

// Is makes errors.Is(err, ErrInjected) true.
func (e *InjectedError) Is(target error) bool { return target == ErrInjected }

// Errors of Register.
var (
	// ErrRegistered: a driver is already registered under the name.
	ErrRegistered = errors.New("faultdriver: driver name already registered")
	// ErrNoDriver: there is no driver to wrap.
	ErrNoDriver = errors.New("faultdriver: no driver to wrap")
)
