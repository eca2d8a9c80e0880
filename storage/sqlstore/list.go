package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// where builds a WHERE clause and its arguments with $n placeholders, which
// both SQLite and PostgreSQL accept.
type where struct {
	conds []string
	args  []any
	// profiles reports a condition on the profile row (p), which a list
	// driven by the due work must join (see filter).
	profiles bool
}

func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(v)
	}
	w.add(col + " IN (" + strings.Join(ph, ", ") + ")")
}

func (w *where) sql() string { return " WHERE " + strings.Join(w.conds, " AND ") }

// byDue reports a list of due work (Query.DueBy or SortDue), which reads
// profile_due d first, through its index on (tenant, due_at, id), and the
// profiles p by their key; any other list reads the profiles and joins
// each listed one's due work (dueJoin).
func byDue(q storage.Query) bool { return q.DueBy != 0 || q.Sort.Field() == "due" }

// filter turns the query's filters into conditions on the profiles p and
// their due work d, and records whether one of them reads p.
func filter(tenant string, q storage.Query) *where {
	w := &where{}
	if byDue(q) {
		w.add("d.tenant = " + w.arg(tenant))
	} else {
		w.add("p.tenant = " + w.arg(tenant))
	}
	before := len(w.conds)
	w.in("p.state", q.States)
	w.in("p.risk", q.Risks)
	if q.PersonType != "" {
		w.add("p.person_type = " + w.arg(string(q.PersonType)))
	}
	if q.Label != "" {
		w.add("EXISTS (SELECT 1 FROM profile_labels l WHERE l.tenant = p.tenant AND l.profile_id = p.id AND l.label = " + w.arg(q.Label) + ")")
	}
	if q.ExternalRef != "" {
		w.add("p.external_ref" + " = " + w.arg(q.ExternalRef))
	}
	if q.TaxPayerID != "" {
		w.add("p.tax_payer_id" + " = " + w.arg(q.TaxPayerID))
	}
	between(w, "p.created_at", q.CreatedFrom, q.CreatedUntil)
	between(w, "p.modified_at", q.ModifiedFrom, q.ModifiedUntil)
	if q.Text != "" {
		w.add(`p.search LIKE ` + w.arg("%"+escapeLike(q.Text)+"%") + ` ESCAPE '\'`)
	}
	w.profiles = len(w.conds) > before
	if q.DueBy != 0 {
		w.add("d.due_at <= " + w.arg(int64(q.DueBy)))
	}
	return w
}

func between(w *where, col string, from, until profile.Timestamp) {
	if from != 0 {
		w.add(col + " >= " + w.arg(int64(from)))
	}
	if until != 0 {
		w.add(col + " < " + w.arg(int64(until)))
	}
}

// escapeLike makes %, _ and \ literal in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// sortColumns returns the column a sort orders by and the id column that
// breaks its ties: the due work's own for the due order, so that the
// page walks profile_due's index without a sort.
func sortColumns(s storage.Sort) (col, id string) {
	switch s.Field() {
	case "name":
		return "p.name_key", "p.id"
	case "created_at":
		return "p.created_at", "p.id"
	case "due":
		return "d.due_at", "d.id"
	}
	return "p.modified_at", "p.id"
}

// The tables a list reads, by byDue and by whether the profile rows are
// needed at all: a count of due work filtered on nothing else, and a page
// of due work alone in due order (Query.OnlyDue, what Service.DueList
// reads), read profile_due only. The join is inner: every write of a
// profile writes its due row (dueJoin explains the exception, which a due
// list leaves out).
const (
	fromProfiles = ` FROM profiles p`
	fromDue      = ` FROM profile_due d`
	fromBoth     = ` FROM profile_due d JOIN profiles p ON p.tenant = d.tenant AND p.id = d.id`
)

// The columns of a listed row, in scanListed's order; a page of due work
// alone fills the profile's with placeholders it never reads.
const (
	listedRow     = `SELECT p.id, p.name_key, p.created_at, p.modified_at, ` + dueRead + `, p.data FROM profiles p ` + dueJoin
	listedDue     = `SELECT d.id, p.name_key, p.created_at, p.modified_at, d.due_at, d.due_reasons, p.data` + fromBoth
	listedDueOnly = `SELECT d.id, '', 0, 0, d.due_at, d.due_reasons, NULL` + fromDue
)

// listQueries are the statements of one page of a list: the count of the
// matching profiles and the page, LIMIT size+1 from offset, after cur
// when there is one.
type listQueries struct {
	count, page         string
	countArgs, pageArgs []any
}

func newListQueries(tenant string, q storage.Query, cur *driver.Cursor, offset int) listQueries {
	w := filter(tenant, q)
	var lq listQueries
	switch {
	case !byDue(q):
		lq.count = "SELECT COUNT(*)" + fromProfiles
	case w.profiles:
		lq.count = "SELECT COUNT(*)" + fromBoth
	default:
		lq.count = "SELECT COUNT(*)" + fromDue
	}
	lq.count += w.sql()
	lq.countArgs = slices.Clone(w.args)

	col, id := sortColumns(q.Sort)
	dir, cmp := " ASC", " > "
	if q.Sort.Desc() {
		dir, cmp = " DESC", " < "
	}
	if cur != nil {
		var key any = cur.Int
		if q.Sort.Field() == "name" {
			key = cur.Str
		}
		w.add("(" + col + ", " + id + ")" + cmp + "(" + w.arg(key) + ", " + w.arg(cur.ID) + ")")
	}
	switch {
	case !byDue(q):
		lq.page = listedRow
	case q.OnlyDue && !w.profiles && q.Sort.Field() == "due":
		lq.page = listedDueOnly
	default:
		lq.page = listedDue
	}
	lq.page += w.sql() + " ORDER BY " + col + dir + ", " + id + dir +
		" LIMIT " + w.arg(q.Size+1) + " OFFSET " + w.arg(offset)
	lq.pageArgs = w.args
	return lq
}

// ListProfiles implements storage.Store. The count and the page are two
// statements; under concurrent writes the total may differ by the rows
// written in between, but a cursor walk never skips or repeats a row.
func (s *Store) ListProfiles(ctx context.Context, tenant string, q storage.Query) (*storage.Page, error) {
	const op = "list profiles"
	req, err := driver.PrepareList(s.cursorKey(), tenant, q)
	if err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	if req.MatchesNothing {
		return &storage.Page{PageInfo: driver.NewPageInfo(req.Query.Size, req.Query.Number, 0), Profiles: []*profile.Profile{}}, nil
	}
	pg, err := s.list(ctx, tenant, req)
	return pg, s.fail(op, "", err)
}

// cursorKey returns the key that seals s's cursors (Options.CursorKey).
func (s *Store) cursorKey() *storage.CursorKey { return s.cursors }

func (s *Store) list(ctx context.Context, tenant string, req driver.ListRequest) (*storage.Page, error) {
	q, cur := req.Query, req.Cursor
	number, offset := q.Number, q.Number*q.Size // bounded by PrepareList
	if cur != nil {
		number, offset = cur.Number, 0
	}
	lq := newListQueries(tenant, q, cur, offset)
	var total int
	if err := s.db.QueryRowContext(ctx, lq.count, lq.countArgs...).Scan(&total); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, lq.page, lq.pageArgs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pg := &storage.Page{PageInfo: driver.NewPageInfo(q.Size, number, total), Profiles: []*profile.Profile{}, Due: []storage.Due{}}
	var last driver.Cursor
	for rows.Next() {
		if len(pg.Due) == q.Size {
			pg.NextCursor = req.NextCursor(last)
			break
		}
		p, due, c, err := scanListed(rows, q)
		if err != nil {
			return nil, err
		}
		if p != nil {
			pg.Profiles = append(pg.Profiles, p)
		}
		pg.Due = append(pg.Due, due)
		last = c
		last.Number = number + 1
	}
	return pg, rows.Err()
}

// scanListed reads one listed row (its profile nil for q.OnlyDue) and
// the cursor position after it: its id and the value of the sorted column.
func scanListed(rows *sql.Rows, q storage.Query) (*profile.Profile, storage.Due, driver.Cursor, error) {
	var (
		c                      driver.Cursor
		nameKey                string
		created, modified, due int64
		reasons, data          []byte
	)
	if err := rows.Scan(&c.ID, &nameKey, &created, &modified, &due, &reasons, &data); err != nil {
		return nil, storage.Due{}, c, err
	}
	switch q.Sort.Field() {
	case "name":
		c.Str = nameKey
	case "created_at":
		c.Int = created
	case "due":
		c.Int = due
	default:
		c.Int = modified
	}
	d := storage.Due{ID: c.ID, At: storage.DueOf(due), Reasons: reasons}
	if q.OnlyDue {
		return nil, d, c, nil
	}
	p, err := driver.DecodeProfile(data)
	return p, d, c, err
}

// History implements storage.Store.
func (s *Store) History(ctx context.Context, tenant, id string, q storage.HistoryQuery) (*storage.HistoryPage, error) {
	const op = "history"
	req, err := driver.PrepareHistory(s.cursorKey(), tenant, id, q)
	if err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, id, err)
	}
	pg, err := s.history(ctx, tenant, id, req)
	return pg, s.fail(op, id, err)
}

func (s *Store) history(ctx context.Context, tenant, id string, req driver.HistoryRequest) (*storage.HistoryPage, error) {
	q, cur := req.Query, req.Cursor
	var known, total int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM profiles WHERE tenant = $1 AND id = $2) + (SELECT COUNT(*) FROM tombstones WHERE tenant = $1 AND id = $2),
		(SELECT COUNT(*) FROM history WHERE tenant = $1 AND profile_id = $2)`, tenant, id).Scan(&known, &total)
	if err != nil {
		return nil, err
	}
	if known == 0 {
		return nil, storage.ErrNotFound
	}
	w := &where{}
	w.add("tenant = " + w.arg(tenant))
	w.add("profile_id = " + w.arg(id))
	dir, cmp := " ASC", " > "
	if q.NewestFirst {
		dir, cmp = " DESC", " < "
	}
	number, offset := q.Number, q.Number*q.Size // bounded by PrepareHistory
	if cur != nil {
		number, offset = cur.Number, 0
		w.add("version" + cmp + w.arg(cur.Int))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT data FROM history"+w.sql()+" ORDER BY version"+dir+
		" LIMIT "+w.arg(q.Size+1)+" OFFSET "+w.arg(offset), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pg := &storage.HistoryPage{PageInfo: driver.NewPageInfo(q.Size, number, total), Entries: []history.Entry{}}
	for rows.Next() {
		if len(pg.Entries) == q.Size {
			last := pg.Entries[len(pg.Entries)-1]
			pg.NextCursor = req.NextCursor(driver.Cursor{Int: int64(last.Version), ID: last.ID, Number: number + 1})
			break
		}
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		e, err := driver.DecodeEntry(data)
		if err != nil {
			return nil, err
		}
		pg.Entries = append(pg.Entries, e)
	}
	return pg, rows.Err()
}
