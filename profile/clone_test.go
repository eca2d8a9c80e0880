package profile_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
)

// TestCloneSharesNothing fills every field of a profile reflectively (so a
// field added later is covered without editing the test), clones it, and
// checks the copy is equal and that no pointer, slice or map of the copy
// points into the original.
func TestCloneSharesNothing(t *testing.T) {
	p := new(profile.Profile)
	fill(reflect.ValueOf(p).Elem(), 0)
	p.Metadata = profile.Object{"a": map[string]any{"b": []any{"c", map[string]any{"d": true}}}}
	for i := range p.Addresses {
		p.Addresses[i].Extra = profile.Object{"k": []any{"v"}}
	}
	for i := range p.Relations {
		p.Relations[i].Extra = profile.Object{"k": map[string]any{"v": "w"}}
	}
	c := p.Clone()
	if d := cmp.Diff(p, c); d != "" {
		t.Fatalf("clone differs (-orig +clone):\n%s", d)
	}
	if path, shared := sharedMemory(reflect.ValueOf(p), reflect.ValueOf(c), "profile"); shared {
		t.Fatalf("%s is shared between the profile and its clone", path)
	}
	if (*profile.Profile)(nil).Clone() != nil {
		t.Fatal("Clone of nil is not nil")
	}
}

// fill gives every settable field of v a non-zero value: one element per
// slice and map, a target per pointer.
func fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint8:
		v.SetUint('1')
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() != reflect.Interface {
			fill(e, depth+1)
		} else {
			e.Set(reflect.ValueOf("v"))
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// sharedMemory reports the first path at which a and b hold the same
// pointer, slice backing array or map.
func sharedMemory(a, b reflect.Value, path string) (string, bool) {
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if a.IsNil() || b.IsNil() {
			return "", false
		}
		if a.Kind() != reflect.Slice || a.Len() > 0 {
			if a.UnsafePointer() == b.UnsafePointer() {
				return path, true
			}
		}
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return "", false
		}
		return sharedMemory(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p, ok := sharedMemory(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); ok {
					return p, true
				}
			}
		}
	case reflect.Slice:
		for i := range min(a.Len(), b.Len()) {
			if p, ok := sharedMemory(a.Index(i), b.Index(i), path+"[]"); ok {
				return p, true
			}
		}
	case reflect.Map:
		for _, k := range a.MapKeys() {
			if p, ok := sharedMemory(a.MapIndex(k), b.MapIndex(k), path+"["+k.String()+"]"); ok {
				return p, true
			}
		}
	}
	return "", false
}
