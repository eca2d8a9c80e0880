package driver

import "github.com/kycsdk/kyc/storage"

// Wrap returns err wrapped in a *storage.Error for op and id, or nil when err is
// nil. Adapters use it so that every error names its operation.
func Wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	return &storage.Error{Op: op, ID: id, Err: err}
}
