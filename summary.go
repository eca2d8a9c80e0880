package kyc

import (
	"context"

	"github.com/kycsdk/kyc/profile"
)

// Summary is the compact view of a profile for lists (seed 003, 3.6, the
// dprofile_summary resource).
type Summary struct {
	ID                    string             `json:"id"`
	Name                  string             `json:"name"`
	PersonType            profile.PersonType `json:"person_type"`
	State                 string             `json:"state"`
	Risk                  string             `json:"risk,omitempty"`
	Version               int                `json:"version"`
	ModifiedAt            profile.Timestamp  `json:"modified_at"`
	Labels                []string           `json:"labels,omitempty"`
	EntityProfile         string             `json:"entity_profile,omitempty"`
	PendingReverification bool               `json:"pending_reverification,omitempty"`
	OpenCases             int                `json:"open_cases,omitempty"`
}

// Summarize returns the summary of a profile.
func Summarize(p *profile.Profile) Summary {
	return Summary{
		ID:                    p.ID,
		Name:                  p.Name,
		PersonType:            p.PersonType,
		State:                 p.State,
		Risk:                  p.Risk,
		Version:               p.Version,
		ModifiedAt:            p.ModifiedAt,
		Labels:                p.Labels,
		EntityProfile:         p.EntityProfile,
		PendingReverification: len(p.PendingReverification) > 0,
		OpenCases:             p.OpenCases,
	}
}

// Summary returns the summary of the stored profile.
func (s *Service) Summary(ctx context.Context, op Operator, id string) (Summary, error) {
	s = s.resolve(ctx, op)
	p, err := s.read(ctx, op, OpSummary, id)
	if err != nil {
		return Summary{}, err
	}
	return Summarize(p), nil
}

// ResearchQueries returns web-search queries for the stored profile (seed
// 003, 3.5), as URLs on the configured engines. No network call is made.
func (s *Service) ResearchQueries(ctx context.Context, op Operator, id string) ([]ResearchQuery, error) {
	s = s.resolve(ctx, op)
	p, err := s.read(ctx, op, OpResearch, id)
	if err != nil {
		return nil, err
	}
	return researchQueries(p, s.engines), nil
}
