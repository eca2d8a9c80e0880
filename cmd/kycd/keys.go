package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc"
)

// keyFile is the JSON file of API keys: each key is stored as the hex
// SHA-256 of its text, so that the file reveals no key, and maps to the
// operator it authenticates.
//
//	{"keys": [{"sha256": "9f86d0...", "tenant": "acme", "user": "onboarding-app",
//	           "scopes": ["tenant_aml_operator"]}]}
type keyFile struct {
	Keys []keyEntry `json:"keys"`
}

type keyEntry struct {
	SHA256 string   `json:"sha256"`
	Tenant string   `json:"tenant"`
	User   string   `json:"user"`
	Scopes []string `json:"scopes"`
}

// errNoKey is what the authenticator answers for a missing or unknown key;
// the handler turns it into 401 without showing it.
var errNoKey = errors.New("kycd: no valid API key")

// loadKeys reads the key file and returns the authenticator over it and
// the tenants it names, sorted (the feeds the relay delivers).
func loadKeys(path string) (func(*http.Request) (kyc.Operator, error), []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var f keyFile
	if err := json.Unmarshal(data, &f, json.RejectUnknownMembers(true)); err != nil {
		return nil, nil, fmt.Errorf("kycd: key file %s: %w", path, err)
	}
	var tenants []string
	byHash := make(map[[sha256.Size]byte]kyc.Operator, len(f.Keys))
	for i, k := range f.Keys {
		raw, err := hex.DecodeString(k.SHA256)
		if err != nil || len(raw) != sha256.Size {
			return nil, nil, fmt.Errorf("kycd: key file %s: keys[%d].sha256 is not a hex SHA-256", path, i)
		}
		if k.Tenant == "" || k.User == "" {
			return nil, nil, fmt.Errorf("kycd: key file %s: keys[%d] needs a tenant and a user", path, i)
		}
		if !slices.Contains(tenants, k.Tenant) {
			tenants = append(tenants, k.Tenant)
		}
		byHash[[sha256.Size]byte(raw)] = kyc.Operator{Tenant: k.Tenant, User: k.User, Scopes: k.Scopes}
	}
	return func(r *http.Request) (kyc.Operator, error) {
		key := apiKey(r)
		if key == "" {
			return kyc.Operator{}, errNoKey
		}
		op, ok := byHash[sha256.Sum256([]byte(key))]
		if !ok {
			return kyc.Operator{}, errNoKey
		}
		op.Scopes = append([]string(nil), op.Scopes...)
		return op, nil
	}, slices.Sorted(slices.Values(tenants)), nil
}

// apiKey reads the key from "Authorization: Bearer <key>" or "X-API-Key".
func apiKey(r *http.Request) string {
	if k, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(k)
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// hashKey prints the line of the key file for a key read from standard
// input: what an administrator runs to add a key.
func hashKey() error {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		// A key cut short by a failed read would hash to a line that
		// matches no key: nothing is printed.
		return fmt.Errorf("kycd: hash-key: reading standard input: %w", err)
	}
	key := strings.TrimSpace(string(data))
	if key == "" {
		return errors.New("kycd: hash-key reads the key from standard input")
	}
	sum := sha256.Sum256([]byte(key))
	fmt.Println(hex.EncodeToString(sum[:]))
	return nil
}
