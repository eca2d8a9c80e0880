package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// The rows of profile_relations (migrations sqlite/0005, postgres/0003):
// written with the profile in its transaction; ON DELETE CASCADE removes
// them with it.
const (
	insertRelation = `INSERT INTO profile_relations
	(tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	// insertRelationSQLite also writes the member the update trigger
	// compares (migration sqlite/0005).
	insertRelationSQLite = `INSERT INTO profile_relations
	(tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra, member)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	deleteRelations = `DELETE FROM profile_relations WHERE tenant = $1 AND profile_id = $2`
)

// insertRelations writes the relation rows of p.
func (s *Store) insertRelations(ctx context.Context, tx *sql.Tx, tenant string, p *profile.Profile) error {
	rows, err := s.relationRows(tenant, p)
	if err != nil {
		return err
	}
	query := insertRelation
	if s.dialect == dialectSQLite {
		query = insertRelationSQLite
	}
	for _, args := range rows {
		if _, err := s.txExec(ctx, tx, query, args...); err != nil {
			return err
		}
	}
	return nil
}

// relationColumns are the columns relationRows fills, in its order:
// SQLite's rows also carry the member its update trigger compares.
func (s *Store) relationColumns() string {
	if s.dialect == dialectSQLite {
		return "tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra, member"
	}
	return "tenant, profile_id, pos, related_id, relationship, valid_since, valid_until, extra"
}

// relationRows returns the parameters of the relation rows of p, one
// slice per relation, for insertRelation or insertRelationSQLite.
func (s *Store) relationRows(tenant string, p *profile.Profile) ([][]any, error) {
	var out [][]any
	for i, r := range p.Relations {
		var extra any
		if r.Extra != nil {
			b, err := json.Marshal(r.Extra)
			if err != nil {
				return nil, err
			}
			extra = string(b)
		}
		args := []any{tenant, p.ID, i, r.ProfileID, r.Relationship, datePtr(r.Since), datePtr(r.Until), extra}
		if s.dialect == dialectSQLite {
			member, err := json.Marshal(r)
			if err != nil {
				return nil, err
			}
			args = append(args, string(member))
		}
		out = append(out, args)
	}
	return out, nil
}

// relationsKey spells the relations of p as the update trigger of
// migration sqlite/0005 does from the member column: each member's
// position, its length in bytes and its JSON; nil for none.
func relationsKey(p *profile.Profile) any {
	if len(p.Relations) == 0 {
		return nil
	}
	var b strings.Builder
	for i, r := range p.Relations {
		member, err := json.Marshal(r)
		if err != nil {
			return "" // matches no stored key: the update takes the transaction
		}
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(len(member)))
		b.WriteByte(':')
		b.Write(member)
	}
	return b.String()
}

// syncRelations makes the relation rows those of p.
func (s *Store) syncRelations(ctx context.Context, tx *sql.Tx, tenant string, p *profile.Profile) error {
	if _, err := s.txExec(ctx, tx, deleteRelations, tenant, p.ID); err != nil {
		return err
	}
	return s.insertRelations(ctx, tx, tenant, p)
}

func datePtr(d *profile.Date) any {
	if d == nil {
		return nil
	}
	return int64(*d)
}

// distinct returns the ids once each, in their first order.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// RelationsOf implements storage.Store: one query for every id, reading
// the relation rows and the person type, never the profile's JSON.
func (s *Store) RelationsOf(ctx context.Context, tenant string, ids []string) ([]storage.ProfileRelations, error) {
	const op = "relations of"
	if err := driver.CheckRelationIDs(tenant, ids, nil); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	out := []storage.ProfileRelations{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	w := &where{}
	w.add("p.tenant = " + w.arg(tenant))
	w.in("p.id", distinct(ids))
	q := `SELECT p.id, p.person_type, r.related_id, r.relationship, r.valid_since, r.valid_until, r.extra
	FROM profiles p LEFT JOIN profile_relations r ON r.tenant = p.tenant AND r.profile_id = p.id` + w.sql() + `
	ORDER BY p.id, r.pos`
	byID, err := s.scanRelations(ctx, q, w.args)
	if err != nil {
		return nil, s.fail(op, "", err)
	}
	for _, id := range ids {
		if pr, ok := byID[id]; ok {
			pr.Relations = cloneRelations(pr.Relations)
			out = append(out, *pr)
		}
	}
	return out, nil
}

func cloneRelations(rels []profile.Relation) []profile.Relation {
	if rels == nil {
		return []profile.Relation{}
	}
	return rels
}

func (s *Store) scanRelations(ctx context.Context, q string, args []any) (map[string]*storage.ProfileRelations, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[string]*storage.ProfileRelations{}
	for rows.Next() {
		var id, personType string
		var related, relationship sql.NullString
		var since, until sql.NullInt64
		var extra []byte
		if err := rows.Scan(&id, &personType, &related, &relationship, &since, &until, &extra); err != nil {
			return nil, err
		}
		pr := byID[id]
		if pr == nil {
			pr = &storage.ProfileRelations{ID: id, PersonType: profile.PersonType(personType)}
			byID[id] = pr
		}
		if !related.Valid {
			continue
		}
		r := profile.Relation{ProfileID: related.String, Relationship: relationship.String}
		if since.Valid {
			r.Since = profile.DatePtr(profile.Date(since.Int64))
		}
		if until.Valid {
			r.Until = profile.DatePtr(profile.Date(until.Int64))
		}
		if extra != nil {
			if err := r.Extra.UnmarshalJSON(extra); err != nil {
				return nil, err
			}
		}
		pr.Relations = append(pr.Relations, r)
	}
	return byID, rows.Err()
}

// RelatedTo implements storage.Store, through the index on
// (tenant, related_id, relationship).
func (s *Store) RelatedTo(ctx context.Context, tenant string, ids, types []string) ([]storage.RelationLink, error) {
	const op = "related to"
	if err := driver.CheckRelationIDs(tenant, ids, types); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	out := []storage.RelationLink{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	w := &where{}
	w.add("tenant = " + w.arg(tenant))
	w.in("related_id", distinct(ids))
	w.in("relationship", types)
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT profile_id, related_id, relationship FROM profile_relations"+w.sql(), w.args...)
	if err != nil {
		return nil, s.fail(op, "", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l storage.RelationLink
		if err := rows.Scan(&l.From, &l.To, &l.Relationship); err != nil {
			return nil, s.fail(op, "", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, "", err)
	}
	return driver.SortLinks(out), nil
}
