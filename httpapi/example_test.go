package httpapi_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/httpapi"
	"github.com/kycsdk/kyc/storage/memory"
)

func Example() {
	svc, err := kyc.New(memory.New(), kyc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// The embedding service authenticates; here, one fixed API key.
	auth := func(r *http.Request) (kyc.Operator, error) {
		if r.Header.Get("X-API-Key") != "k-123" {
			return kyc.Operator{}, errors.New("unknown key")
		}
		return kyc.Operator{Tenant: "acme", User: "onboarding-app", Scopes: []string{kyc.ScopeAMLOperator}}, nil
	}
	h, err := httpapi.New(svc, auth, httpapi.Options{})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/kyc/", http.StripPrefix("/kyc", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/kyc/profiles", strings.NewReader(
		`{"person_type":"natural_person","natural_person":{"name":{"first":"John","last":"Doe"}}}`))
	req.Header.Set("X-API-Key", "k-123")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("ETag"))

	// A write without If-Match is refused with a problem.
	req, _ = http.NewRequest("PATCH", srv.URL+"/kyc/"+resp.Header.Get("Location"), strings.NewReader(`{"labels":["vip"]}`))
	req.Header.Set("X-API-Key", "k-123")
	req.Header.Set("Content-Type", "application/merge-patch+json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	// Output:
	// 201 Created "1"
	// 428 Precondition Required application/problem+json
}
