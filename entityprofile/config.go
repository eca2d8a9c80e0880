package entityprofile

import (
	"bytes"
	"fmt"
	"io"

	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// Config is the JSON form of a Registry: extra check types, the entity
// profiles (recipes) and the auto-assignment rules. Load decodes it and
// NewRegistry validates it.
type Config struct {
	// CheckTypes are added to the built-in check types.
	CheckTypes []CheckType `json:"check_types,omitempty"`
	Profiles   []Recipe    `json:"profiles"`
	Auto       *AutoRules  `json:"auto,omitempty"`
}

// Recipe is one entity profile (seed 001): the check types to run, their
// ageing, the risk policies that apply and the minimum number of name,
// address and date-of-birth matches needed to complete KYC.
type Recipe struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Checks are the check types to run, in the order a plan lists them.
	Checks []string `json:"checks"`
	// Ageing maps a check type to its ageing ("365d", "never",
	// "document"); a check type not listed keeps its own default.
	Ageing map[string]string `json:"ageing,omitempty"`
	// RiskPolicies maps a risk level (the profile's risk, exactly) to what
	// changes at that level.
	RiskPolicies map[string]RiskPolicy `json:"risk_policies,omitempty"`
	Minimum      Minimum               `json:"minimum"`
	// Consents maps a check type to the consent it needs under this recipe,
	// replacing the check type's own (a recipe that verifies addresses
	// against a credit header needs "creditheader" for "address").
	Consents map[string]string `json:"consents,omitempty"`
}

// RiskPolicy is what a risk level changes in a recipe (seed 001,
// "application of different risk policies"): checks added and ageing
// shortened.
type RiskPolicy struct {
	Add    []string          `json:"add,omitempty"`
	Ageing map[string]string `json:"ageing,omitempty"`
}

// Minimum is the number of distinct check types whose valid results must
// have matched each field (seed 001: "the minimum number of name, address and
// date-of-birth checks required to complete KYC").
type Minimum struct {
	Name    int `json:"name"`
	Address int `json:"address"`
	DOB     int `json:"dob"`
}

func (m Minimum) array() [3]int { return [3]int{m.Name, m.Address, m.DOB} }

// AutoRules holds the auto-assignment rules: the first rule whose condition holds
// names the entity profile; Default applies when none does.
type AutoRules struct {
	Rules   []Rule `json:"rules"`
	Default string `json:"default,omitempty"`
}

// Rule assigns Profile when the condition When holds. When is written in the
// workflow condition language over `dprofile`, the profile as its JSON
// object (`dprofile.risk == 'high'`, `'vip' in dprofile.labels`).
type Rule struct {
	When    string `json:"when"`
	Profile string `json:"profile"`
}

// Load decodes a Config from JSON (unknown keys are refused, so that a
// misspelt key is not silently ignored) and builds the Registry.
func Load(r io.Reader) (*Registry, error) {
	cfg, err := ParseConfig(r)
	if err != nil {
		return nil, err
	}
	return NewRegistry(cfg)
}

// ParseConfig decodes a Config from JSON, refusing unknown keys and trailing
// data. It checks the form only; NewRegistry checks the meaning.
func ParseConfig(r io.Reader) (Config, error) {
	var cfg Config
	if err := jsonconfig.DecodeReader(r, &cfg); err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return cfg, nil
}

// LoadBytes is Load for a configuration already in memory.
func LoadBytes(data []byte) (*Registry, error) { return Load(bytes.NewReader(data)) }
