package sqlstore

import "errors"

// errMoved is a row that moved between a transaction's read and its
// write, which the transaction's locks should have prevented: it is
// retried as a transient conflict (isRetryable), never returned as such.
var errMoved = errors.New("sqlstore: row moved during the transaction")
