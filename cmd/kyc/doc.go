// Command kyc works with the library's formats from a shell: it draws and
// checks workflows, validates and compares profiles, explains a risk
// assessment, and imports and exports profiles into and out of a SQLite
// file or a PostgreSQL database.
//
// Usage:
//
//	kyc workflow render FILE [--format mermaid|dot]
//	kyc workflow check FILE --profile PROFILE [--scope S]... [--user U] [--tenant T]
//	kyc profile validate FILE [--strict] [--risk-levels L,...] [--metadata-schema SCHEMA]
//	kyc profile diff A B
//	kyc profile reverify A B [--policy FILE]
//	kyc risk assess --matrix MATRIX PROFILE [--now TIME]
//	kyc import FILE --db DB --tenant T [--shape profile|entity|client] [--checkpoint FILE] [--limit N] [--strict]
//	kyc export --db DB --tenant T [--shape profile|entity|client] [--format ndjson|array] [--out FILE]
//	kyc config validate FILE
//	kyc config schema [--out DIR]
//
// Flags may come before or after the arguments; "--" ends them. A FILE of
// "-" is standard input. Every command takes --json, which writes its result
// as one JSON document for scripts (export writes its summary so, its
// records being JSON already). "kyc COMMAND -h" lists a command's flags.
//
// # Exit status
//
// 0: done, nothing found. 1: findings, the answer to what was asked: a
// profile or tenant configuration that is invalid (validate), profiles that differ (diff, as
// diff(1) does), changes that need re-verification (reverify), records an
// import refused. 2: the command could not do its work: bad usage, an
// unreadable or malformed input file, a configuration (workflow, matrix,
// policy, schema) that does not load, a store that fails, an interrupted
// import. Errors go to standard error and name the argument, the JSON
// path or the record's position, never a value of a profile. For
// profile validate, malformed JSON or a value of the wrong type is a
// finding (with its line and column, or path), since it is what validate
// is asked about; for the other commands it is an input error.
//
// # Workflows, profiles, risk
//
// workflow render draws a workflow (seed 003, 3.3.1: a JSON list of
// {source, dest, condition} transitions) with workflow.Workflow.Mermaid or
// DOT. workflow check asks workflow.Workflow.Available which moves are open
// from the profile's state for the operator given by --scope, --user and
// --tenant, and says for each closed one whether its condition is false or
// raised (with the Python exception and the types involved).
//
// profile validate decodes, normalises and validates a profile as
// kyc.Service.Create does, and lists every problem with its JSON path and
// a stable code. profile diff writes the changes from A to B in the history
// format of seed 003, 3.2 (dictdiffer's), keys in document order
// (history.DiffJSON). profile reverify says which of those changes need KYC
// re-verification under the field-change table of seed 000
// (fieldchange.Default) or a tenant's policy (--policy, see
// fieldchange.Load). risk assess writes riskmatrix.Assessment.Explain: the
// level, the score and every factor's value, score, weight and
// contribution, and the overrides that fired.
//
// # Import and export
//
// import reads records one at a time from NDJSON (values one after the
// other) or from one JSON array, so that the input's size does not matter,
// in one of three shapes: profile (the digital profile of seed 003), entity
// (seed 001) or client (seed 002), the last two through profile/interop.
// Records are stored by kyc.Service.ImportBatch, 500 at a time, each
// batch one atomic step of the store and each record exactly as
// kyc.Service.Import stores it: the import operation, under the operator's
// scopes (--scope, default
// tenant_backoffice_supervisor, the scope that may import under the
// default policy): it keeps the state (which must be a state of the
// workflow, --workflow), created_at and created_by the record has, and
// writes a history entry that says the profile was imported, from where
// (--source) and by whom (--user). A record is stored whole or not at
// all. A record that cannot be read in its shape, or breaks a rule, is
// refused and reported by its position (record number and byte offset)
// and the JSON path of each problem, in the profile it maps to; the others
// are imported and the exit status is 1. A record that is not JSON stops
// the import (a stream cannot be read past it): the records before it are
// stored. With --strict the input is read twice: first every record is
// checked as far as can be done without the store (its shape, the profile
// rules of Service.Validate, its state), and if any fails, each is
// reported and none is imported; then the import stops at the first record
// the store refuses (a relation to a profile that is not stored), before
// counting it, so that a re-run tries it again. What a shape holds and the profile cannot is counted by path in
// a summary of what was not mapped; the command configures no
// verification recipes, so a recipe a record names is reported there and
// not assigned.
//
// An import is resumable. Every record is imported under an id that is the
// same on every run: its own, or for a record without one a name-based
// UUID (version 5) of the tenant, the shape, the record's position and its
// bytes. A record whose id is already stored is skipped, and so is one
// whose external_ref a profile of the tenant holds, so importing the
// same input again stores nothing twice, whatever happened before. A
// checkpoint file (FILE.checkpoint by default; --checkpoint for standard
// input) records how many records are done, saved every 1,000 records or
// second and when the import stops (--limit N, an interrupt): a re-run
// skips those records without importing them, after checking that the
// input still has them (the byte offset and the hash of the last one). A
// crash after the last checkpoint costs the re-reading of the records
// since, which are found stored and skipped. The checkpoint is removed
// when the input is done.
//
// On a terminal, progress is a bar on standard error; otherwise a plain
// line every five seconds.
//
// export writes a tenant's profiles, oldest first, in one of the three
// shapes, as NDJSON or one JSON array, to standard output or to --out
// (written to a temporary file renamed at the end, so that a failed export
// leaves no partial file), and counts what the shape cannot hold.
//
// --db names the store: a SQLite file (created and migrated when new), or
// a PostgreSQL server as a postgres:// URL or a key=value DSN.
//
// # Adding a command
//
// Each group of commands is one file (workflow.go, profile.go, risk.go,
// import.go, export.go, config.go) with a function returning its commands,
// listed once in commands (main.go).
package main
