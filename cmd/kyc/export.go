package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
	"github.com/kycsdk/kyc/storage"
)

func exportCommands() []command {
	return []command{
		{group: "export", usage: "--db DB --tenant T [--shape profile|entity|client] [--format ndjson|array] [--out FILE]",
			summary: "export a tenant's profiles as NDJSON or a JSON array, oldest first",
			run:     runExport},
	}
}

// exportPage is the number of profiles read from the store at a time.
const exportPage = 500

// exportSummary is what export reports, on stdout when the records go to
// --out, else on stderr.
type exportSummary struct {
	Records  int64          `json:"records"`
	Unmapped []unmappedJSON `json:"unmapped"`
}

func runExport(ctx context.Context, e *env, args []string) error {
	var jsonOut bool
	fs := newFlags(e, "export", "--db DB --tenant T [--shape profile|entity|client] [--format ndjson|array] [--out FILE] [--json]", &jsonOut)
	var sf storeFlags
	sf.register(fs)
	shape := fs.String("shape", shapeProfile, "the shape of the records: profile (seed 003), entity (seed 001) or client (seed 002)")
	format := fs.String("format", "ndjson", "ndjson (one record a line) or array (one JSON array)")
	out := fs.String("out", "", "the file to write (default standard output)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := sf.check(); err != nil {
		return err
	}
	if !slices.Contains(shapes, *shape) {
		return usageErrorf("--shape: want one of %s, got %q", strings.Join(shapes, ", "), *shape)
	}
	if *format != "ndjson" && *format != "array" {
		return usageErrorf("--format: want ndjson or array, got %q", *format)
	}
	svc, st, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()

	w, report := e.stdout, e.stderr
	var file *os.File
	if *out != "" {
		// Written beside the target and renamed over it at the end, so that
		// an export that fails leaves no truncated file behind.
		if file, err = os.CreateTemp(dirOf(*out), baseName(*out)+".*"); err != nil {
			return &inputError{name: "--out", err: fsReason(err)}
		}
		defer os.Remove(file.Name())
		defer file.Close()
		w, report = file, e.stdout
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	ex := &exporter{w: bw, shape: *shape, array: *format == "array", unmapped: map[unmappedKey]int64{}}
	prog := newProgress(e.stderr, e.terminal, 0, "exported")
	err = ex.run(ctx, func(q storage.Query) (*storage.Page, error) { return svc.List(ctx, sf.operator(), q) }, prog)
	prog.finish(ex.n, 0)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && file != nil {
		if err = file.Close(); err == nil {
			err = os.Rename(file.Name(), *out)
		}
		if err != nil {
			err = &inputError{name: "--out", err: fsReason(err)}
		}
	}
	if err != nil {
		return err
	}
	sum := exportSummary{Records: ex.n, Unmapped: unmappedList(ex.unmapped)}
	if jsonOut {
		return writeJSON(report, sum)
	}
	fmt.Fprintf(report, "exported: %d\n", sum.Records)
	if len(sum.Unmapped) > 0 {
		fmt.Fprintf(report, "not in the %s shape:\n", *shape)
		for _, u := range sum.Unmapped {
			fmt.Fprintf(report, "  %s: %s (%d profile(s))\n", u.Path, u.Reason, u.Count)
		}
	}
	return nil
}

// exporter writes profiles in a shape, one page at a time.
type exporter struct {
	w        io.Writer
	shape    string
	array    bool
	n        int64
	unmapped map[unmappedKey]int64
}

func (ex *exporter) run(ctx context.Context, list func(storage.Query) (*storage.Page, error), prog *progress) error {
	if ex.array {
		if _, err := io.WriteString(ex.w, "["); err != nil {
			return err
		}
	}
	q := storage.Query{Sort: storage.SortCreatedAsc, Size: exportPage}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted after %d profiles", ex.n)
		}
		page, err := list(q)
		if err != nil {
			return err
		}
		for _, p := range page.Profiles {
			if err := ex.write(p); err != nil {
				return err
			}
			prog.update(ex.n, 0)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if ex.array {
		_, err := io.WriteString(ex.w, "]\n")
		return err
	}
	return nil
}

func (ex *exporter) write(p *profile.Profile) error {
	var (
		data     []byte
		unmapped []interop.Unmapped
		err      error
	)
	switch ex.shape {
	case shapeEntity:
		data, unmapped, err = interop.ExportEntity(p)
	case shapeClient:
		data, unmapped, err = interop.ExportClient(p)
	default:
		data, err = profile.Encode(p)
	}
	if err != nil {
		// The id of a stored profile is a record id, not personal data.
		return fmt.Errorf("profile %s: %w", p.ID, err)
	}
	for _, u := range unmapped {
		ex.unmapped[unmappedKey{indexes.ReplaceAllString(u.Path, "[]"), u.Reason}]++
	}
	sep := "\n"
	if ex.array {
		sep = ""
		if ex.n > 0 {
			sep = ",\n"
		}
		if _, err := io.WriteString(ex.w, sep); err != nil {
			return err
		}
		sep = ""
	}
	ex.n++
	if _, err := ex.w.Write(data); err != nil {
		return err
	}
	if sep != "" {
		_, err = io.WriteString(ex.w, sep)
	}
	return err
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
