package ownership

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// Limits bound a walk, so that no graph (a cycle, a million relations)
// makes unbounded work. Zero fields take the defaults.
type Limits struct {
	// MaxDepth is the longest chain followed, in relations; default 20.
	// A legal person reached at that depth with owners of its own is
	// reported in Result.Truncated.
	MaxDepth int
	// MaxFanOut is the most ownership and control relations one legal
	// person may carry; default 1,000. A profile with more fails the walk
	// with a *FanOutError: walking part of them would miss owners.
	MaxFanOut int
	// MaxPaths is the most path prefixes enumerated (every relation
	// followed on every path counts one); default 100,000. Past it the
	// walk stops and reports the truncation.
	MaxPaths int
	// MaxNodes is the most profiles read; default 10,000. Past it the walk
	// reads no further and reports the truncation.
	MaxNodes int
}

// Default limits.
const (
	DefaultMaxDepth  = 20
	DefaultMaxFanOut = 1000
	DefaultMaxPaths  = 100000
	DefaultMaxNodes  = 10000
)

func (l Limits) withDefaults() Limits {
	l.MaxDepth = cmp.Or(max(l.MaxDepth, 0), DefaultMaxDepth)
	l.MaxFanOut = cmp.Or(max(l.MaxFanOut, 0), DefaultMaxFanOut)
	l.MaxPaths = cmp.Or(max(l.MaxPaths, 0), DefaultMaxPaths)
	l.MaxNodes = cmp.Or(max(l.MaxNodes, 0), DefaultMaxNodes)
	return l
}

// DefaultThreshold is the percentage of AMLR Art. 52(1) and 31 CFR
// 1010.230(d)(1): 25% or more.
const DefaultThreshold = 25

// Options configure Compute. The zero value applies the default registry,
// threshold and limits, and counts the relations that have no end date.
type Options struct {
	// Registry says which relation types carry ownership or control; nil
	// means DefaultRegistry.
	Registry *Registry
	// Threshold is the share, in percent, from which a natural person is a
	// beneficial owner; zero means 25. A member state may set a lower one
	// for higher-risk categories (AMLR Art. 52(2)), for example 15.
	Threshold float64
	// At is the moment the ownership is computed for: a relation counts
	// when since <= At < until. The zero time counts every relation
	// without an until date, whatever its since.
	At time.Time
	// Limits bound the walk.
	Limits Limits
}

// edge is one ownership or control relation of a legal person, parsed.
type edge struct {
	holder       string
	relationship string
	index        int // in the holding profile's relations
	facts        Facts
	owns         bool // the type carries ownership
	controls     bool // the type carries control
}

// node is a profile the walk read.
type node struct {
	id    string
	legal bool
	edges []edge
	// expanded is false for a legal person whose relations the walk did
	// not read (the depth or node limit).
	expanded bool
}

// walk is the state of one Compute call.
type walk struct {
	opts      Options
	lim       Limits
	threshold float64
	nodes     map[string]*node
	cut       map[string]bool // not read: the node limit
	res       *Result
}

// Compute returns the beneficial owners of the legal person id, reading the
// graph g. See the package documentation for the rules; the walk:
//
//   - follows the relations whose type carries ownership from the legal
//     person to its holders, and from each holder that is a legal person to
//     its own holders, multiplying the shares along each path (as
//     intervals) and adding the paths that end at the same natural person;
//   - never revisits a profile on one path: a path that would meet a
//     profile already on it is a cycle, reported in Result.Cycles and not
//     followed, so a company that owns itself through others adds nothing
//     to anyone's share;
//   - reports, not follows, what it cannot resolve: a holder the graph does
//     not hold, a legal person with no recorded holders, and whatever the
//     limits cut (Result.OpenEnds and Result.Truncated);
//   - takes a share declared as indirect (direct: false) as it stands: a
//     person's share is the larger of that figure and the sum of the
//     computed paths, never their sum, which would count the same holding
//     twice;
//   - collects the control persons along the relations whose type carries
//     control, through legal persons that control the legal person in
//     turn; senior managing officials are listed apart and become the
//     beneficial owners only when nobody qualifies through ownership or
//     other control (AMLR Art. 22).
//
// Invalid facts on a relation the walk follows fail it with a *FactsError;
// a legal person with more relations than Limits.MaxFanOut with a
// *FanOutError.
func Compute(ctx context.Context, g Graph, id string, opts Options) (*Result, error) {
	t := cmp.Or(opts.Threshold, DefaultThreshold)
	if !(t > 0 && t <= 100) {
		return nil, fmt.Errorf("%w: %v%% is not in (0, 100]", ErrThreshold, t)
	}
	w := &walk{opts: opts, lim: opts.Limits.withDefaults(), threshold: t / 100,
		nodes: make(map[string]*node), cut: make(map[string]bool), res: &Result{ProfileID: id, Threshold: t / 100}}
	w.res.maxPaths = w.lim.MaxPaths
	if err := w.read(ctx, g, id); err != nil {
		return nil, err
	}
	root := w.nodes[id]
	if root == nil || !root.legal {
		return nil, fmt.Errorf("%w: profile %s", ErrNotLegalPerson, id)
	}
	w.owners(root)
	w.control(root)
	w.res.finish()
	w.res.nodes = w.nodes
	return w.res, nil
}

// read fetches the subgraph reachable from id, one level per Graph call.
func (w *walk) read(ctx context.Context, g Graph, id string) error {
	frontier := []string{id}
	for depth := 0; len(frontier) > 0; depth++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if room := w.lim.MaxNodes - len(w.nodes); len(frontier) > room {
			for _, id := range frontier[max(room, 0):] {
				w.res.truncate(LimitNodes, id)
				w.cut[id] = true
			}
			frontier = frontier[:max(room, 0)]
		}
		got, err := g.Nodes(ctx, frontier)
		if err != nil {
			return err
		}
		asked := make(map[string]bool, len(frontier))
		for _, f := range frontier {
			asked[f] = true
		}
		var next []string
		queued := make(map[string]bool)
		for _, n := range got {
			if _, seen := w.nodes[n.ID]; seen || !asked[n.ID] {
				continue
			}
			nd, err := w.parse(n, depth < w.lim.MaxDepth)
			if err != nil {
				return err
			}
			w.nodes[n.ID] = nd
			for _, e := range nd.edges {
				if _, seen := w.nodes[e.holder]; !seen && !queued[e.holder] {
					queued[e.holder] = true
					next = append(next, e.holder)
				}
			}
		}
		next = slices.DeleteFunc(next, func(h string) bool { _, seen := w.nodes[h]; return seen })
		frontier = next
	}
	return nil
}

// parse turns a node into the walk's form; only a legal person within the
// depth limit has its relations read.
func (w *walk) parse(n Node, expand bool) (*node, error) {
	nd := &node{id: n.ID, legal: n.PersonType == profile.LegalPerson}
	if !nd.legal {
		return nd, nil
	}
	reg := w.opts.Registry
	count := 0
	for _, rel := range n.Relations {
		c := reg.Carries(rel.Relationship)
		if c.Ownership || c.Control {
			count++
		}
	}
	if !expand {
		if count > 0 {
			w.res.truncate(LimitDepth, n.ID)
		}
		return nd, nil
	}
	if count > w.lim.MaxFanOut {
		return nil, &FanOutError{ProfileID: n.ID, Relations: count, Limit: w.lim.MaxFanOut}
	}
	nd.expanded = true
	var problems []Problem
	for i, rel := range n.Relations {
		c := reg.Carries(rel.Relationship)
		if !(c.Ownership || c.Control) || !w.current(rel) {
			continue
		}
		f, ps := reg.Parse(i, rel)
		if rel.ProfileID == n.ID {
			ps = append(ps, Problem{Path: fmt.Sprintf("relations[%d].profile_id", i), Code: CodeSelf,
				Message: "a profile cannot own or control itself"})
		}
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		nd.edges = append(nd.edges, edge{holder: rel.ProfileID, relationship: rel.Relationship, index: i,
			facts: f, owns: c.Ownership, controls: c.Control})
	}
	if len(problems) > 0 {
		return nil, &FactsError{ProfileID: n.ID, Problems: problems}
	}
	return nd, nil
}

// current reports whether the relation holds at the walk's moment.
func (w *walk) current(rel profile.Relation) bool {
	if w.opts.At.IsZero() {
		return rel.Until == nil
	}
	at := profile.TimestampOf(w.opts.At)
	if rel.Since != nil && int64(*rel.Since) > int64(at) {
		return false
	}
	return rel.Until == nil || int64(at) < int64(*rel.Until)
}

// unknownShare is a holding whose figure is not recorded: anything from
// nothing to the whole.
var unknownShare = Interval{0, 1}

// shares returns the capital and votes intervals of an ownership edge.
func (e edge) shares() (capital, votes Interval, declared bool) {
	o := e.facts.Ownership
	if o == nil {
		return unknownShare, unknownShare, false
	}
	return o.Capital.Interval(), o.Votes.Interval(), !o.IsDirect()
}

// owners enumerates the ownership paths from root.
func (w *walk) owners(root *node) {
	onPath := map[string]bool{root.id: true}
	var steps []Step
	var enumerate func(n *node, capital, votes Interval, declared bool)
	enumerate = func(n *node, capital, votes Interval, declared bool) {
		for _, e := range n.edges {
			if !e.owns {
				continue
			}
			if !w.res.count() {
				return
			}
			c, v, decl := e.shares()
			step := Step{Holder: e.holder, Held: n.id, Relationship: e.relationship, Relation: e.index,
				Capital: c, Votes: v, Recorded: e.facts.Ownership != nil, Declared: decl}
			steps = append(steps, step)
			w.follow(e, capital.Mul(c), votes.Mul(v), declared || decl, steps, onPath, enumerate)
			steps = steps[:len(steps)-1]
		}
	}
	enumerate(root, Interval{1, 1}, Interval{1, 1}, false)
}

// follow handles the holder at the end of steps.
func (w *walk) follow(e edge, capital, votes Interval, declared bool, steps []Step, onPath map[string]bool,
	enumerate func(*node, Interval, Interval, bool)) {
	h := w.nodes[e.holder]
	path := func() Path {
		return Path{Steps: slices.Clone(steps), Capital: capital, Votes: votes, Declared: declared}
	}
	switch {
	case onPath[e.holder]:
		w.res.cycle(steps)
	case h == nil && w.cut[e.holder]:
		w.res.openEnd(path(), EndTruncated)
	case h == nil:
		w.res.openEnd(path(), EndNotFound)
	case !h.legal:
		w.res.addPath(e.holder, path())
	case declared:
		// A declared indirect share already counts what lies behind it.
		w.res.openEnd(path(), EndDeclared)
	case !h.expanded:
		w.res.openEnd(path(), EndTruncated)
	case !hasOwnership(h):
		w.res.openEnd(path(), EndNoOwners)
	default:
		onPath[e.holder] = true
		enumerate(h, capital, votes, declared)
		delete(onPath, e.holder)
	}
}

func hasOwnership(n *node) bool {
	return slices.ContainsFunc(n.edges, func(e edge) bool { return e.owns })
}

// control collects the natural persons that control root, directly or
// through legal persons that control it.
func (w *walk) control(root *node) {
	onPath := map[string]bool{root.id: true}
	var via []string
	var visit func(n *node)
	visit = func(n *node) {
		for _, e := range n.edges {
			if !e.controls || len(e.facts.Control) == 0 {
				continue
			}
			h := w.nodes[e.holder]
			switch {
			case onPath[e.holder] || h == nil:
			case !h.legal:
				w.res.addControl(e.holder, e.facts.Control, append(slices.Clone(via), n.id), e)
			case h.expanded && len(via) < w.lim.MaxDepth:
				onPath[e.holder] = true
				via = append(via, n.id)
				visit(h)
				via = via[:len(via)-1]
				delete(onPath, e.holder)
			}
		}
	}
	visit(root)
}
