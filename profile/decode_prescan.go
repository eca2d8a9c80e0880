package profile

// prescan is the one pass over the input that every decode makes before
// encoding/json sees it. It returns the deepest nesting of arrays and
// objects, counted as jsonDepth counts it (brackets inside strings ignored,
// on any input, valid or not), and whether the input is an object whose
// top-level keys are all keys of Profile written without escapes.
//
// allKnown may be true for invalid JSON: the caller's decoder checks the
// syntax itself. It is false whenever the general path could treat a key
// differently: an unknown key (encoding/json would fold its case onto a
// field), a key with an escape (it may or may not spell a known key), or a
// top-level value that is not an object.
func prescan(data []byte) (depth int, allKnown bool) {
	keys := knownKeys()
	d, deepest := 0, 0
	inString, escaped := false, false
	// expectKey is set where, at depth 1, the next string is a member's
	// key: after the opening brace and after each comma.
	expectKey, inKey, keyEscaped := false, false, false
	keyStart := 0
	allKnown = startsWithObject(data)
	for i, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
			keyEscaped = keyEscaped || inKey
		case inString && c == '"':
			inString = false
			if inKey {
				inKey = false
				// A map index with a string conversion does not allocate.
				if keyEscaped || !keys[string(data[keyStart:i])] {
					allKnown = false
				}
			}
		case inString:
		case c == '"':
			inString = true
			if d == 1 && expectKey {
				expectKey, inKey, keyEscaped = false, true, false
				keyStart = i + 1
			}
		case c == '{' || c == '[':
			d++
			deepest = max(deepest, d)
			expectKey = d == 1 && c == '{'
		case c == '}' || c == ']':
			d--
		case c == ',' && d == 1:
			expectKey = true
		}
	}
	return deepest, allKnown
}

// startsWithObject reports whether the first byte after white space opens an
// object.
func startsWithObject(data []byte) bool {
	i := jsSkipSpace(data, 0)
	return i < len(data) && data[i] == '{'
}
