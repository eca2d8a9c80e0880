package storage_test

import (
	"encoding/base64"

	"github.com/kycsdk/kyc/profile"
)

func storageType(s string) profile.PersonType { return profile.PersonType(s) }

func ts(ms int64) profile.Timestamp { return profile.Timestamp(ms) }

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
