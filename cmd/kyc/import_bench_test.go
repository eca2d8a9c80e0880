package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// benchBatch is the number of records each benchmark iteration imports,
// each iteration into a tenant of its own so that no id is taken.
const benchBatch = 1000

// BenchmarkImport prices the import of natural-person profiles from NDJSON
// into a SQLite file, per record: the command's path (streaming reader,
// decoding, kyc.Service.ImportBatch with validation, the creation entry and the
// due work, the checkpoint) against the reference of the same run, the
// store's own CreateProfile of the same JSON bytes decoded, with a
// one-change creation entry, and nothing else.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	writeProfiles(b, in, benchBatch, false)
	data := readFile(b, in)
	ctx := context.Background()

	b.Run("Command", func(b *testing.B) {
		st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "command.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		svc, err := kyc.New(st, kyc.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ckpt := filepath.Join(dir, "checkpoint")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			op := kyc.Operator{Tenant: fmt.Sprintf("t%d", i), User: "bench", Scopes: []string{kyc.ScopeSupervisor}}
			imp := &importer{svc: svc, op: op, shape: shapeProfile, source: "bench", unmapped: map[unmappedKey]int64{}}
			c := checkpoint{Shape: shapeProfile, Tenant: op.Tenant}
			rd := newRecords(bufio.NewReader(bytes.NewReader(data)))
			if _, err := imp.loop(ctx, rd, &c, 0, ckpt, newProgress(discard{}, false, 0, "")); err != nil {
				b.Fatal(err)
			}
			if c.Imported != benchBatch {
				b.Fatalf("imported %d of %d", c.Imported, benchBatch)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchBatch), "ns/record")
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "records/s")
	})

	b.Run("StoreCreateProfile", func(b *testing.B) {
		st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "reference.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			tenant := fmt.Sprintf("t%d", i)
			rd := newRecords(bytes.NewReader(data))
			for {
				rec, _, err := rd.next()
				if err != nil {
					break
				}
				p, err := profile.Decode(rec)
				if err != nil {
					b.Fatal(err)
				}
				p.Normalize()
				p.ID = cmp.Or(p.ID, recordID(tenant, shapeProfile, rd.n, rec))
				p.Version = 1
				e := &history.Entry{ID: p.ID + "-0", OrigID: p.ID, Version: 0, CreatedBy: "bench",
					Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"version"}, Old: 0, New: 1}}}
				if err := st.CreateProfile(ctx, tenant, storage.Record{Profile: p}, e); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchBatch), "ns/record")
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "records/s")
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
