package kyc

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/storage"
)

// OwnershipGraph returns the tenant's ownership graph in store, for
// ownership.Compute: each level of a walk is one RelationsOf call per
// storage.MaxRelationIDs profiles.
func OwnershipGraph(store storage.Store, tenant string) ownership.Graph {
	return storeGraph{store, tenant}
}

// OwnershipReverseGraph returns the tenant's reverse index of relations in store,
// for ownership.AffectedBy.
func OwnershipReverseGraph(store storage.Store, tenant string) ownership.ReverseGraph {
	return storeGraph{store, tenant}
}

type storeGraph struct {
	store  storage.Store
	tenant string
}

// Nodes implements ownership.Graph.
func (g storeGraph) Nodes(ctx context.Context, ids []string) ([]ownership.Node, error) {
	var out []ownership.Node
	for chunk := range slices.Chunk(ids, storage.MaxRelationIDs) {
		rels, err := g.store.RelationsOf(ctx, g.tenant, chunk)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			out = append(out, ownership.Node{ID: r.ID, PersonType: r.PersonType, Relations: r.Relations})
		}
	}
	return out, nil
}

// RelatedTo implements ownership.ReverseGraph.
func (g storeGraph) RelatedTo(ctx context.Context, ids, types []string) ([]ownership.Link, error) {
	var out []ownership.Link
	for chunk := range slices.Chunk(ids, storage.MaxRelationIDs) {
		links, err := g.store.RelatedTo(ctx, g.tenant, chunk, types)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			out = append(out, ownership.Link{From: l.From, To: l.To, Relationship: l.Relationship})
		}
	}
	return out, nil
}

// BeneficialOwners computes the beneficial owners and control persons of
// the legal person id from the tenant's profiles (see ownership.Compute),
// for an operator allowed to read profiles. opts.At defaults to the
// service's clock, opts.Registry to Options.Ownership.
func (s *Service) BeneficialOwners(ctx context.Context, op Operator, id string, opts ownership.Options) (*ownership.Result, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpGet); err != nil {
		return nil, err
	}
	if opts.At.IsZero() {
		opts.At = s.now()
	}
	opts.Registry = cmp.Or(opts.Registry, s.ownership)
	return ownership.Compute(ctx, OwnershipGraph(s.store, op.Tenant), id, opts)
}

// OwnershipRisk computes the beneficial owners of id and the risk inputs
// over them (a PEP or a sanctioned person among them, the depth of the
// chain, OFAC's 50 percent rule), reading each person's flags from the
// stored profile (ownership.FlagsOf: declaration.pep, confirmed hits on the
// pep and the sanctioned lists).
func (s *Service) OwnershipRisk(ctx context.Context, op Operator, id string, opts ownership.Options) (*ownership.Result, ownership.RiskInputs, error) {
	s = s.resolve(ctx, op)
	r, err := s.BeneficialOwners(ctx, op, id, opts)
	if err != nil {
		return nil, ownership.RiskInputs{}, err
	}
	in, err := r.RiskInputs(ctx, func(ctx context.Context, id string) (ownership.Flags, error) {
		p, err := s.store.GetProfile(ctx, op.Tenant, id)
		if err != nil {
			return ownership.Flags{}, ignoreNotFound(err)
		}
		return ownership.FlagsOf(p), nil
	})
	return r, in, err
}

func ignoreNotFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	return err
}

// OwnershipMetadataKey is the key under which WithOwnershipInputs puts the
// risk inputs in the metadata of the profile a risk matrix scores.
const OwnershipMetadataKey = "kyc_ownership"

// WithOwnershipInputs returns a copy of p for a risk matrix to assess, whose
// metadata also holds the inputs under OwnershipMetadataKey, so that
// profile_path factors score them: "metadata.kyc_ownership.blocked" (is,
// may_be, below), "metadata.kyc_ownership.pep_owner" and
// "sanctioned_owner" (true, false), "chain_depth" and
// "sanctioned_share_min" / "sanctioned_share_max" (percent) as bands. p is
// unchanged; the copy is for scoring only, never for storing.
func WithOwnershipInputs(p *profile.Profile, in ownership.RiskInputs) *profile.Profile {
	cp := *p
	cp.Metadata = maps.Clone(p.Metadata)
	if cp.Metadata == nil {
		cp.Metadata = profile.Object{}
	}
	cp.Metadata[OwnershipMetadataKey] = in.Values()
	return &cp
}

// OwnershipReviews returns the legal persons whose review a change to the
// profile id (a natural person's PEP declaration, a confirmed sanctions hit,
// a changed holding) must trigger: every profile that owns or controls it,
// transitively up the graph, within opts.Limits (see
// ownership.AffectedBy). The due-diligence scheduling calls it after such a
// change.
func (s *Service) OwnershipReviews(ctx context.Context, op Operator, id string, opts ownership.Options) (*ownership.Impact, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpGet); err != nil {
		return nil, err
	}
	opts.Registry = cmp.Or(opts.Registry, s.ownership)
	return ownership.AffectedBy(ctx, OwnershipReverseGraph(s.store, op.Tenant), id, opts)
}
