package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

func importCommands() []command {
	return []command{
		{group: "import", usage: "FILE --db DB --tenant T [--shape profile|entity|client] [--checkpoint FILE] [--limit N] [--strict]",
			summary: "import profiles from NDJSON or a JSON array into a store, resumable after an interruption",
			run:     runImport},
	}
}

// Shapes of the records of import and export.
const (
	shapeProfile = "profile" // the digital profile of seed 003
	shapeEntity  = "entity"  // the entity of seed 001
	shapeClient  = "client"  // the client of seed 002
)

var shapes = []string{shapeProfile, shapeEntity, shapeClient}

// maxListed bounds the refused records an import lists in its --json
// summary, so that memory stays flat whatever the input; the rest are
// counted.
const maxListed = 1000

// checkpointEvery is how often an import saves its checkpoint, in records
// and in time. Re-running from an older checkpoint is safe (see
// checkpoint), so this only bounds the work redone.
const (
	checkpointEvery     = 1000
	checkpointEveryTime = time.Second
)

// importer imports the records of one input.
type importer struct {
	svc    *kyc.Service
	op     kyc.Operator
	shape  string
	source string
	// strict stops the import at the first refused record; states are
	// the states a record may be imported in (precheck).
	strict bool
	states []string
	// stoppedAt is the record a strict import stopped at, refused but
	// not counted in the checkpoint, so that a re-run tries it again.
	stoppedAt int64

	counts     [3]int64 // outcomes of the batch being handled, by outcome
	listed     []refusedJSON
	notListed  int64
	unmapped   map[unmappedKey]int64
	lineOutput io.Writer // refused records as they come, nil for --json
}

type unmappedKey struct{ path, reason string }

// refusedJSON is a record an import refused: where it is and why, never
// its values.
type refusedJSON struct {
	Record   int64         `json:"record"`
	Offset   int64         `json:"offset"`
	Problems []problemJSON `json:"problems"`
}

type unmappedJSON struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// importSummary is what import reports; the counts cover every run of an
// import that was resumed, the unmapped fields this run.
type importSummary struct {
	Complete  bool           `json:"complete"`
	Records   int64          `json:"records"`
	Imported  int64          `json:"imported"`
	Skipped   int64          `json:"skipped"`
	Refused   int64          `json:"refused"`
	Listed    []refusedJSON  `json:"refused_records"`
	NotListed int64          `json:"refused_not_listed"`
	Unmapped  []unmappedJSON `json:"unmapped"`
	Stopped   string         `json:"stopped,omitempty"`
}

// importArgs is the command line of an import.
type importArgs struct {
	storeFlags
	input, shape, source, checkpoint string
	limit                            int64
	strict, json                     bool
}

func parseImport(e *env, args []string) (*importArgs, error) {
	a := &importArgs{}
	fs := newFlags(e, "import", "FILE --db DB --tenant T [--shape profile|entity|client] [--checkpoint FILE] [--limit N] [--strict] [--json]", &a.json)
	a.register(fs)
	fs.StringVar(&a.shape, "shape", shapeProfile, "the shape of the records: profile (seed 003), entity (seed 001) or client (seed 002)")
	fs.StringVar(&a.source, "source", "", "the system the profiles come from, recorded in each history entry (default: the file's name)")
	fs.StringVar(&a.checkpoint, "checkpoint", "", "the file that records progress for a resume (default FILE.checkpoint; none for standard input unless given)")
	fs.Int64Var(&a.limit, "limit", 0, "stop after this many records in this run, keeping the checkpoint (0: no limit)")
	fs.BoolVar(&a.strict, "strict", false, "check every record first and import none if any is refused; stop at the first record the store refuses (needs a FILE, not standard input)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	if err := a.check(); err != nil {
		return nil, err
	}
	a.input = pos[0]
	switch {
	case !slices.Contains(shapes, a.shape):
		return nil, usageErrorf("--shape: want one of %s, got %q", strings.Join(shapes, ", "), a.shape)
	case a.limit < 0:
		return nil, usageErrorf("--limit: want 0 or more")
	case a.strict && a.input == "-":
		return nil, usageErrorf("--strict reads the input twice: give a FILE, not standard input")
	}
	if a.checkpoint == "" && a.input != "-" {
		a.checkpoint = a.input + ".checkpoint"
	}
	if a.source == "" {
		a.source = "kyc import of " + a.shape + " records"
		if a.input != "-" {
			a.source += " from " + baseName(a.input)
		}
	}
	return a, nil
}

// startingPoint returns the checkpoint to start from: the saved one of
// this import, or a new one.
func (a *importArgs) startingPoint() (c checkpoint, resumed bool, err error) {
	if a.checkpoint != "" {
		if c, resumed, err = loadCheckpoint(a.checkpoint); err != nil {
			return c, false, err
		}
		if resumed && (c.Shape != a.shape || c.Tenant != a.tenant) {
			return c, false, usageErrorf("the checkpoint %s is of another import (shape or tenant); remove it to start over", a.checkpoint)
		}
	}
	c.Shape, c.Tenant = a.shape, a.tenant
	return c, resumed, nil
}

func runImport(ctx context.Context, e *env, args []string) error {
	a, err := parseImport(e, args)
	if err != nil {
		return err
	}
	in, size, err := openInput(e, a.input)
	if err != nil {
		return err
	}
	defer in.Close()
	c, resumed, err := a.startingPoint()
	if err != nil {
		return err
	}
	svc, st, err := a.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()

	rd := newRecords(bufio.NewReaderSize(in, 1<<20))
	if err := resume(rd, c); err != nil {
		return err
	}
	imp := &importer{svc: svc, op: a.operator(), shape: a.shape, source: a.source, strict: a.strict,
		states: append(a.wf.States(), a.wf.Initial()), unmapped: map[unmappedKey]int64{}}
	if !a.json {
		imp.lineOutput = e.stdout
		if resumed {
			fmt.Fprintf(e.stdout, "resuming after record %d\n", c.Records)
		}
	}
	if a.strict {
		refusedBefore, err := imp.precheck(a.input)
		if err != nil {
			return err
		}
		if refusedBefore > 0 {
			sum := imp.summary(c, fmt.Sprintf("--strict: %d record(s) refused, none imported", refusedBefore))
			sum.Refused = c.Refused + refusedBefore
			return reportImport(e, sum, a.json)
		}
	}
	prog := newProgress(e.stderr, e.terminal, size, "imported")
	stopped, err := imp.loop(ctx, rd, &c, a.limit, a.checkpoint, prog)
	prog.finish(c.Records, c.Offset)
	if serr := settle(a.checkpoint, c, stopped == "" && err == nil); serr != nil && err == nil {
		err = fmt.Errorf("checkpoint: %w", serr)
	}
	if err != nil {
		if a.checkpoint != "" {
			return fmt.Errorf("%w (after record %d; run the same command again to resume)", err, c.Records)
		}
		return fmt.Errorf("%w (after record %d)", err, c.Records)
	}
	sum := imp.summary(c, stopped)
	if imp.stoppedAt > 0 {
		sum.Refused++
	}
	return reportImport(e, sum, a.json)
}

// reportImport writes the summary; refused records are findings.
func reportImport(e *env, sum importSummary, jsonOut bool) error {
	return output(e, jsonOut, sum, func() error { return printImportSummary(e.stdout, sum) }, sum.Refused > 0, "records refused")
}

// precheck reads the whole input once and checks every record as far as
// can be done without the store: its shape, the profile rules
// (Service.Validate) and its state. It reports each refused record and
// returns how many there are. What only the store can tell (a relation to
// a profile that is not stored) is left to the import, which stops at the
// first such record in strict mode.
func (imp *importer) precheck(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, &inputError{name: "FILE", err: fsReason(err)}
	}
	defer f.Close()
	rd := newRecords(bufio.NewReaderSize(f, 1<<20))
	var refused int64
	for {
		data, offset, err := rd.next()
		if err == io.EOF {
			return refused, nil
		}
		if err != nil {
			return 0, &inputError{name: "FILE", err: err}
		}
		if problems := imp.check(data); problems != nil {
			imp.refuse(rd.n, offset, problems)
			refused++
		}
	}
}

// check is the part of importing a record that needs no store.
func (imp *importer) check(data []byte) []problemJSON {
	p, _, problems := imp.convert(data)
	if problems != nil {
		return problems
	}
	var out []problemJSON
	if _, err := imp.svc.Validate(p); err != nil {
		var ve *profile.ValidationError
		if !errors.As(err, &ve) {
			return []problemJSON{{Code: "decode", Message: err.Error()}}
		}
		out = fromProblems(ve.Problems)
	}
	if p.State != "" && !slices.Contains(imp.states, p.State) {
		out = append(out, problemJSON{Path: "state", Code: kyc.CodeUnknownState, Message: "is not a state of the workflow"})
	}
	return out
}

// settle removes the checkpoint of an import that is done, and saves the
// one of an import that stopped. An empty path is no checkpoint.
func settle(path string, c checkpoint, done bool) error {
	if path == "" {
		return nil
	}
	if !done {
		return c.save(path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fsReason(err)
	}
	return nil
}

// resume skips the records a checkpoint says are done, and checks that the
// input still has them where the checkpoint saw them.
func resume(rd *records, c checkpoint) error {
	var last []byte
	for rd.n < c.Records {
		data, _, err := rd.next()
		if err != nil {
			return &inputError{name: "FILE", err: fmt.Errorf("the input does not match its checkpoint (%v); remove the checkpoint to start over", err)}
		}
		last = data
	}
	if c.Records > 0 && (rd.dec.InputOffset() != c.Offset || recordHash(last) != c.Last) {
		return &inputError{name: "FILE", err: errors.New("the input changed since its checkpoint was written; remove the checkpoint to start over")}
	}
	return nil
}

// importBatch is how many records an import hands to Service.ImportBatch
// at once: one transaction of the store each. See BENCHMARKS.md.
const importBatch = 500

// pendingRecord is a record read and converted, waiting for its batch.
type pendingRecord struct {
	n, offset, end int64 // its number, its offset and the offset after it
	data           []byte
	p              *profile.Profile // nil when refused by convert
	problems       []problemJSON
}

// loop imports records until the input ends, the limit is reached or ctx
// is cancelled (stopped says which of the last two), saving the
// checkpoint as it goes. Records go to the store in batches of
// importBatch, each one atomic Service.ImportBatch call.
func (imp *importer) loop(ctx context.Context, rd *records, c *checkpoint, limit int64, ckptPath string, prog *progress) (stopped string, err error) {
	var (
		thisRun, sinceSave int64
		lastSave           = time.Now()
		batch              []pendingRecord
	)
	for {
		stop := ""
		if limit > 0 && thisRun+int64(len(batch)) >= limit {
			stop = fmt.Sprintf("--limit %d reached", limit)
		} else if ctx.Err() != nil {
			stop = "interrupted"
		}
		var (
			data   []byte
			offset int64
			broken error // the input breaks here: the records before it are imported first
		)
		if stop == "" {
			data, offset, err = rd.next()
			if err != nil && err != io.EOF {
				broken, err = &inputError{name: "FILE", err: err}, io.EOF
			}
		}
		if stop == "" && err == nil {
			p, unmapped, problems := imp.convert(data)
			for _, u := range unmapped {
				imp.unmapped[unmappedKey{indexes.ReplaceAllString(u.Path, "[]"), u.Reason}]++
			}
			if p != nil && p.ID == "" {
				p.ID = recordID(imp.op.Tenant, imp.shape, rd.n, data)
			}
			batch = append(batch, pendingRecord{n: rd.n, offset: offset, end: rd.dec.InputOffset(), data: data, p: p, problems: problems})
			// In strict mode a record refused on reading ends the batch,
			// so that nothing after it is written.
			if len(batch) < importBatch && !(imp.strict && problems != nil) {
				continue
			}
		}
		// A batch is one atomic Service call, and it is let finish when
		// the command is interrupted: the store holds each record whole
		// or not at all either way, and finishing it keeps the
		// checkpoint exact.
		done, halt, berr := imp.batch(context.WithoutCancel(ctx), batch)
		for _, r := range batch[:done] {
			thisRun++
			sinceSave++
			c.Records, c.Offset, c.Last = r.n, r.end, recordHash(r.data)
		}
		c.Imported, c.Skipped, c.Refused = c.Imported+imp.counts[imported], c.Skipped+imp.counts[skipped], c.Refused+imp.counts[refused]
		imp.counts = [3]int64{}
		batch = batch[:0]
		prog.update(c.Records, c.Offset)
		if berr != nil {
			return "", berr
		}
		if broken != nil && halt == "" {
			return "", broken
		}
		if halt != "" {
			return halt, nil
		}
		if stop == "interrupted" {
			return "", errors.New("interrupted")
		}
		if stop != "" {
			return stop, nil
		}
		if err == io.EOF {
			return "", nil
		}
		if ckptPath != "" && (sinceSave >= checkpointEvery || time.Since(lastSave) > checkpointEveryTime) {
			if err := c.save(ckptPath); err != nil {
				return "", fmt.Errorf("checkpoint: %w", err)
			}
			sinceSave, lastSave = 0, time.Now()
		}
	}
}

type outcome int

const (
	imported outcome = iota
	skipped          // its id or external_ref is already stored: an earlier run imported it
	refused
)

// batch imports the records of one batch and counts their outcomes in
// imp.counts. It returns how many records, from the first, are done
// (stored, skipped or refused), and halt when a strict import stops at a
// refused record (not done: a re-run tries it again). It returns an error
// only for what stops the whole import (a store failure, a refused
// permission); a bad record is refused and reported.
func (imp *importer) batch(ctx context.Context, batch []pendingRecord) (done int, halt string, err error) {
	var (
		ps    []*profile.Profile
		index []int // the batch position of each of ps
	)
	for i, r := range batch {
		if r.p != nil {
			ps, index = append(ps, r.p), append(index, i)
		}
	}
	outcomes := make([]outcome, len(batch))
	decided := make([]bool, len(batch))
	for i, r := range batch {
		if r.problems != nil {
			outcomes[i], decided[i] = refused, true
		}
	}
	var report kyc.ImportReport
	if len(ps) > 0 {
		report, err = imp.svc.ImportBatch(ctx, imp.op, ps, kyc.ImportOptions{Source: imp.source, BatchSize: len(ps), Strict: imp.strict})
	}
	for _, res := range report.Results {
		i := index[res.Index]
		switch res.Outcome {
		case kyc.ImportCreated:
			outcomes[i], decided[i] = imported, true
		case kyc.ImportDuplicateID, kyc.ImportDuplicateRef:
			outcomes[i], decided[i] = skipped, true
		case kyc.ImportRefused:
			outcomes[i], decided[i] = refused, true
			batch[i].problems = fromProblems(res.Problems)
		}
	}
	for done < len(batch) && decided[done] {
		r := batch[done]
		if outcomes[done] == refused {
			imp.refuse(r.n, r.offset, r.problems)
			if imp.strict {
				// Not counted as done: a re-run tries this record again.
				imp.stoppedAt = r.n
				return done, fmt.Sprintf("--strict: record %d refused", r.n), nil
			}
		}
		imp.counts[outcomes[done]]++
		done++
	}
	if err != nil {
		return done, "", fmt.Errorf("record %d: %w", batch[done].n, err)
	}
	if done < len(batch) {
		return done, "", fmt.Errorf("record %d: not imported", batch[done].n)
	}
	return done, "", nil
}

// recordNamespace is the UUID namespace of the ids recordID derives.
var recordNamespace = uuid.MustParse("5b0c6f1e-8d36-4c55-9a43-0d8f2f6b1a90")

// recordID is the id of a record that has none: a name-based UUID (RFC 9562
// version 5) of the tenant, the shape, the record's position and its
// bytes. It is the same every time the same input is imported, so that a
// re-run after a crash finds the records the crashed run stored and skips
// them, instead of storing them again under new ids.
func recordID(tenant, shape string, n int64, data []byte) string {
	name := make([]byte, 0, len(tenant)+len(shape)+24+len(data))
	name = append(name, tenant...)
	name = append(name, 0)
	name = append(name, shape...)
	name = append(name, 0)
	name = strconv.AppendInt(name, n, 10)
	name = append(name, 0)
	name = append(name, data...)
	return uuid.NewSHA1(recordNamespace, name).String()
}

// convert reads a record of the import's shape into a profile, with what
// of the record the profile cannot hold, or says why it cannot.
func (imp *importer) convert(data []byte) (*profile.Profile, []interop.Unmapped, []problemJSON) {
	var (
		p        *profile.Profile
		unmapped []interop.Unmapped
		err      error
	)
	switch imp.shape {
	case shapeEntity:
		p, unmapped, err = interop.ImportEntity(data, interop.Options{})
	case shapeClient:
		p, unmapped, err = interop.ImportClient(data, interop.Options{})
	default:
		p, err = profile.Decode(data)
	}
	if err != nil {
		return nil, nil, decodeProblems(err)
	}
	// The command configures no verification recipes: a recipe the
	// source names cannot be assigned, and is reported instead.
	if p.EntityProfile != "" {
		unmapped = append(unmapped, interop.Unmapped{Path: "entity_profile", Reason: "no verification recipes are configured: not assigned"})
		p.EntityProfile = ""
	}
	return p, unmapped, nil
}

// indexes matches the list indexes of a path, so that the unmapped summary
// counts "addresses[].suburb" once for every address.
var indexes = regexp.MustCompile(`\[\d+\]`)

// decodeProblems turns the error of reading a record into its problems,
// each with its JSON path.
func decodeProblems(err error) []problemJSON {
	var (
		se  *profile.SyntaxError
		te  *profile.TypeError
		ise *interop.SyntaxError
		fe  *interop.FieldError
	)
	switch {
	case errors.As(err, &se):
		return []problemJSON{{Path: se.Path, Code: "syntax", Message: se.Reason}}
	case errors.As(err, &te):
		return []problemJSON{{Path: te.Path, Code: "type", Message: "must be " + te.Expected}}
	case errors.As(err, &ise):
		return []problemJSON{{Code: "syntax", Message: ise.Reason}}
	case errors.As(err, &fe):
		return []problemJSON{{Path: fe.Path, Code: "shape", Message: strings.TrimPrefix(fe.Err.Error(), "interop: ")}}
	}
	return []problemJSON{{Code: "decode", Message: err.Error()}}
}

func fromProblems(ps []profile.Problem) []problemJSON {
	out := make([]problemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemJSON{Path: p.Path, Code: p.Code, Message: p.Message})
	}
	return out
}

func (imp *importer) refuse(n, offset int64, problems []problemJSON) {
	if imp.lineOutput != nil {
		for _, p := range problems {
			fmt.Fprintf(imp.lineOutput, "record %d (offset %d) refused: %s: %s (%s)\n", n, offset, cmp.Or(p.Path, "(record)"), p.Message, p.Code)
		}
		return
	}
	if len(imp.listed) < maxListed {
		imp.listed = append(imp.listed, refusedJSON{Record: n, Offset: offset, Problems: problems})
	} else {
		imp.notListed++
	}
}

func (imp *importer) summary(c checkpoint, stopped string) importSummary {
	return importSummary{
		Complete: stopped == "", Records: c.Records, Imported: c.Imported, Skipped: c.Skipped, Refused: c.Refused,
		Listed: nonNil(imp.listed), NotListed: imp.notListed, Unmapped: unmappedList(imp.unmapped), Stopped: stopped,
	}
}

// unmappedList lists the counts of unmapped fields by path and reason.
func unmappedList(counts map[unmappedKey]int64) []unmappedJSON {
	out := []unmappedJSON{}
	for k, n := range counts {
		out = append(out, unmappedJSON{Path: k.path, Reason: k.reason, Count: n})
	}
	slices.SortFunc(out, func(a, b unmappedJSON) int {
		return strings.Compare(a.Path+"\x00"+a.Reason, b.Path+"\x00"+b.Reason)
	})
	return out
}

func printImportSummary(w io.Writer, s importSummary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "records: %d\nimported: %d\nalready stored, skipped: %d\nrefused: %d\n", s.Records, s.Imported, s.Skipped, s.Refused)
	if len(s.Unmapped) > 0 {
		b.WriteString("not mapped (this run):\n")
		for _, u := range s.Unmapped {
			fmt.Fprintf(&b, "  %s: %s (%d record(s))\n", u.Path, u.Reason, u.Count)
		}
	}
	if s.Stopped != "" {
		fmt.Fprintf(&b, "stopped: %s; run the same command again to continue\n", s.Stopped)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// openInput opens the input of an import ("-" is standard input) and
// returns its size when known, for the progress bar.
func openInput(e *env, path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(e.stdin), 0, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, &inputError{name: "FILE", err: fsReason(err)}
	}
	info, err := f.Stat()
	if err == nil && info.IsDir() {
		err = fmt.Errorf("%s is a directory", path)
	}
	if err != nil {
		f.Close()
		return nil, 0, &inputError{name: "FILE", err: fsReason(err)}
	}
	return f, info.Size(), nil
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
