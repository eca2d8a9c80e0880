// Command import reads the other profile shapes of the reference documents
// (the verification entity of seed 001 and the clients of seed 002), stores
// them as digital profiles, and lists them page by page with the page
// metadata of seed 002.
package main

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

//go:embed testdata/entity.json
var entityJSON []byte

//go:embed testdata/clients.json
var clientsJSON []byte

//go:embed testdata/client_post.json
var clientPostJSON []byte

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	svc, err := kyc.New(memory.New(), kyc.Options{RiskLevels: []string{"low", "medium", "high", "severe"}})
	if err != nil {
		return err
	}
	// Bringing in another system's profiles with their risk is an import:
	// it needs the import permission and is recorded as such.
	op := kyc.Operator{Tenant: "acme", User: "importer", Scopes: []string{kyc.ScopeSupervisor}}

	entity, unmapped, err := interop.ImportEntity(entityJSON, interop.Options{})
	if err != nil {
		return err
	}
	report("entity (seed 001)", unmapped)
	if err := store(ctx, svc, op, entity); err != nil {
		return err
	}

	req, unmapped, err := interop.ImportClientRequest(clientPostJSON, interop.Options{})
	if err != nil {
		return err
	}
	report("client request (seed 002)", unmapped)
	if err := store(ctx, svc, op, req.Client); err != nil {
		return err
	}

	list, unmapped, err := interop.ImportClientList(clientsJSON, interop.Options{})
	if err != nil {
		return err
	}
	report("client list (seed 002)", unmapped)
	for _, c := range list.Clients {
		if err := store(ctx, svc, op, c); err != nil {
			return err
		}
	}

	fmt.Println("\nAll profiles, two per page:")
	q := storage.Query{Size: 2, Sort: storage.SortNameAsc}
	for {
		page, err := svc.List(ctx, op, q)
		if err != nil {
			return err
		}
		fmt.Printf("page %d of %d (size %d, %d in all)\n", page.Number, page.TotalPages, page.Size, page.TotalElements)
		for _, p := range page.Profiles {
			fmt.Printf("  %-20s %-14s risk %-6s %s\n", p.Name, p.PersonType, cmp.Or(p.Risk, "-"), p.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}

	fmt.Println("\nThe first client exported back to seed 002's shape:")
	page, err := svc.List(ctx, op, storage.Query{Size: 1, Sort: storage.SortNameAsc, PersonType: profile.LegalPerson})
	if err != nil {
		return err
	}
	out, _, err := interop.ExportClient(page.Profiles[0])
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

func store(ctx context.Context, svc *kyc.Service, op kyc.Operator, p *profile.Profile) error {
	// This service has no verification recipes configured: the other
	// system's recipe name cannot be assigned here.
	if p.EntityProfile != "" {
		fmt.Printf("  recipe %q is not configured here: not assigned\n", p.EntityProfile)
		p.EntityProfile = ""
	}
	// State and version belong to this service: a client's status from the
	// other system is kept as a label instead.
	if p.State != "" {
		p.Labels = append(p.Labels, p.State)
		p.State = ""
	}
	imp := kyc.ImportOptions{Source: "client API (seed 002)"}
	created, err := svc.Import(ctx, op, p, imp)
	var ve *profile.ValidationError
	if errors.As(err, &ve) && dropInvalidContacts(p, ve) {
		// The seed's e-mails read "[email protected]": the web page they were
		// taken from obfuscated them. Such a contact cannot be kept; the
		// rest of the client can.
		fmt.Printf("  not kept: %v\n", err)
		created, err = svc.Import(ctx, op, p, imp)
	}
	if err != nil {
		return err
	}
	fmt.Printf("stored %s (%s)\n", created.Name, created.ID)
	return nil
}

// dropInvalidContacts removes the contacts whose value failed validation and
// reports whether that fixed every problem.
func dropInvalidContacts(p *profile.Profile, ve *profile.ValidationError) bool {
	bad := map[string]bool{}
	for _, pr := range ve.Problems {
		if !strings.HasPrefix(pr.Path, "contacts[") || !strings.HasSuffix(pr.Path, "].value") {
			return false
		}
		bad[pr.Path] = true
	}
	kept := p.Contacts[:0]
	for i, c := range p.Contacts {
		if !bad[fmt.Sprintf("contacts[%d].value", i)] {
			kept = append(kept, c)
		}
	}
	p.Contacts = kept
	return true
}

func report(what string, unmapped []interop.Unmapped) {
	fmt.Printf("imported %s: %d field(s) not mapped\n", what, len(unmapped))
	for _, u := range unmapped {
		fmt.Printf("  %s: %s\n", u.Path, u.Reason)
	}
}
