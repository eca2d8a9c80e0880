// Command review loads a small portfolio, lets a year pass on the
// service's clock and prints who is due for ongoing due diligence, and
// why: the periodic review of Art. 26(2) of Regulation 2024/1624 (a year
// for high risk, five years otherwise), re-screening, a passport about to
// expire, and the events since the last review (a risk level raised, a
// watchlist hit confirmed).
package main

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	svc, err := kyc.New(memory.New(), kyc.Options{Clock: func() time.Time { return now }})
	if err != nil {
		return err
	}
	officer := kyc.Operator{Tenant: "acme", User: "rosa", Scopes: []string{kyc.ScopeSupervisor}}

	people := []struct {
		name, risk string
		passport   profile.Date
	}{
		{"Ana Núñez", "low", profile.DateOf(2031, 5, 1)},
		{"Bruno Díaz", "high", profile.DateOf(2030, 1, 1)},
		{"Carla Ruiz", "medium", profile.DateOf(2026, 3, 20)},
	}
	ids := map[string]string{}
	for _, person := range people {
		first, last, _ := strings.Cut(person.name, " ")
		p, err := svc.Create(ctx, officer, &profile.Profile{
			PersonType:    profile.NaturalPerson,
			NaturalPerson: &profile.Natural{Name: profile.Name{First: first, Last: last}},
			IdentityDocuments: []profile.IdentityDocument{{Type: "passport", Number: "P" + person.risk,
				IssuingCountry: "ES", ExpiryDate: profile.DatePtr(person.passport)}},
		})
		if err != nil {
			return err
		}
		ids[p.ID] = person.name
		if _, err := svc.InjectRisk(ctx, officer, p.ID, person.risk, "onboarding assessment"); err != nil {
			return err
		}
		if _, err := svc.RecordScreening(ctx, officer, p.ID, kyc.Screening{Lists: map[string]profile.ListHit{"sanctioned": {}, "pep": {}}}); err != nil {
			return err
		}
		if _, err := svc.CompleteReview(ctx, officer, p.ID, kyc.Review{Outcome: "onboarded"}); err != nil {
			return err
		}
	}

	// Three months on, Ana's risk is raised and a PEP hit is confirmed.
	now = now.AddDate(0, 3, 0)
	for id, name := range ids {
		if name != "Ana Núñez" {
			continue
		}
		if _, err := svc.InjectRisk(ctx, officer, id, "medium", "transaction monitoring"); err != nil {
			return err
		}
		if _, err := svc.RecordScreening(ctx, officer, id, kyc.Screening{Lists: map[string]profile.ListHit{"pep": {Hit: true, Confirmed: true}}}); err != nil {
			return err
		}
	}

	now = now.AddDate(1, 0, 0)
	fmt.Printf("Due work on %s:\n", now.Format(time.DateOnly))
	page, err := svc.List(ctx, officer, storage.Query{Sort: storage.SortNameAsc})
	if err != nil {
		return err
	}
	for _, p := range page.Profiles {
		w, err := svc.DueWork(ctx, officer, p.ID)
		if err != nil {
			return err
		}
		fmt.Printf("\n%s (%s risk)\n", ids[p.ID], p.Risk)
		for _, r := range w.DueBy(now) {
			detail := ""
			if r.Detail != "" {
				detail = " (" + r.Detail + ")"
			}
			fmt.Printf("  %s  %-18s %s%s\n", r.At.Time().Format(time.DateOnly), r.Kind, r.Path, detail)
		}
	}
	return nil
}
