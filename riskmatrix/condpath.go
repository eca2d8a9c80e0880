package riskmatrix

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/kycsdk/kyc/internal/condition"
	"github.com/kycsdk/kyc/profile"
)

// condPath is a path a condition of the matrix reads under dprofile,
// resolved when the matrix is loaded. condition.Walk reads a typed Profile
// through its MarshalJSON, which encodes the whole profile at every lookup;
// resolving the path to struct fields once keeps a condition to a few
// field reads, with the same None and AttributeError semantics.
type condPath struct {
	segs []string
	// steps walk to a scalar leaf; nil when the path ends on an object or
	// a list, or enters free JSON, and the lookup goes through
	// condition.Walk from the top-level field.
	steps []step
	top   step // the top-level field, for the fallback
	topOK bool
}

// addCondPath records a path read by a condition; the path was checked by
// conditionPathProblem.
func (m *Matrix) addCondPath(segs []string) {
	for _, c := range m.condPaths {
		if slices.Equal(c.segs, segs) {
			return
		}
	}
	c := condPath{segs: slices.Clone(segs)}
	if a, msg := resolvePath(joinDots(segs)); msg == "" && !a.dynLeaf {
		c.steps = a.steps
	}
	if len(segs) > 0 {
		if f, ok := fieldByJSONName(profileType, segs[0]); ok {
			c.top, c.topOK = step{field: f.Index[0], omitEmpty: hasOmitEmpty(f)}, true
		}
	}
	m.condPaths = append(m.condPaths, c)
}

func joinDots(segs []string) string {
	n := 0
	for _, s := range segs {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for i, s := range segs {
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, s...)
	}
	return string(b)
}

// lookup reads the path on p as condition.Walk reads the profile's JSON.
func (c *condPath) lookup(p *profile.Profile) (any, error) {
	if c.steps != nil {
		return c.scalar(p)
	}
	if !c.topOK {
		return condition.Walk(p, c.segs)
	}
	v := reflect.ValueOf(p).Elem().Field(c.top.field)
	if omitted(v, c.top.omitEmpty) {
		if len(c.segs) == 1 {
			return nil, nil
		}
		return nil, noneAttr(c.segs[1])
	}
	if v.Kind() == reflect.Slice && v.IsNil() {
		return condition.Walk([]any{}, c.segs[1:]) // an empty list, as condition.Walk reads it
	}
	return condition.Walk(v.Interface(), c.segs[1:])
}

// scalar walks the resolved steps: an omitted member reads as None, and a
// member of None is an AttributeError, as in the seed's dot access
// (seed 003, 3.3.1).
func (c *condPath) scalar(p *profile.Profile) (any, error) {
	v := reflect.ValueOf(p).Elem()
	for i, s := range c.steps {
		child, present := member(v, s)
		if i == len(c.steps)-1 {
			if !present {
				return nil, nil
			}
			return boxed(readTyped(indirect(child))), nil
		}
		if !present {
			return nil, noneAttr(c.segs[i+1])
		}
		v = indirect(child)
	}
	return nil, nil
}

// member reads one step from a present container.
func member(v reflect.Value, s step) (reflect.Value, bool) {
	if s.isMap {
		c := v.MapIndex(s.key)
		return c, c.IsValid()
	}
	c := v.Field(s.field)
	return c, !omitted(c, s.omitEmpty)
}

// omitted says whether the field reads as None: a nil pointer always (it is
// null), an empty value that omitempty leaves out of the JSON, except a
// list, which reads as the empty list it is, as condition.Walk reads it.
func omitted(v reflect.Value, omitEmpty bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Slice:
		return false
	case reflect.Map, reflect.String, reflect.Array:
		return omitEmpty && v.Len() == 0
	case reflect.Struct:
		return false
	}
	return omitEmpty && v.IsZero()
}

func boxed(s scalar) any {
	switch s.kind {
	case stringValue:
		return s.s
	case boolValue:
		return s.b
	case numberValue:
		if s.isInt {
			return s.i
		}
		return s.n
	}
	return nil
}

func noneAttr(name string) error {
	return &condition.EvalError{Kind: "AttributeError", Msg: fmt.Sprintf("'NoneType' object has no attribute '%s'", name)}
}
