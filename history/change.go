package history

// Op is the operation of one change: change, add or remove.
type Op string

// The three operations of the dictdiffer format.
const (
	OpChange Op = "change"
	OpAdd    Op = "add"
	OpRemove Op = "remove"
)

// Path addresses a value: empty for the root, otherwise object keys (string)
// and array indexes (int) from the root down.
type Path []any

// Item is one key (string) or index (int) and its value, in an add or remove.
type Item struct {
	Key   any
	Value any
}

// Change is one [op, path, values] triple of the dictdiffer format. For
// OpChange, Path is the changed value and Old/New its two values; for OpAdd
// and OpRemove, Path is the parent and Items the keys added or removed.
type Change struct {
	Op    Op
	Path  Path
	Old   any
	New   any
	Items []Item
}

// Changes is a list of changes in the dictdiffer JSON format.
type Changes []Change
