package kyc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestEveryOperationResolvesItsTenant holds every exported Service method
// that acts for an operator to the per-tenant rule: its first statement is
// s = s.resolve(ctx, op), so that the tenant's configuration (policy,
// workflow, matrix, catalogues) applies to it. A method that forgot it
// would run under the Service's own options for every tenant.
func TestEveryOperationResolvesItsTenant(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || !takesOperator(fn) || !onService(fn) {
				continue
			}
			checked++
			if !startsWithResolve(fn) {
				t.Errorf("%s: Service.%s acts for an operator but does not begin with s = s.resolve(ctx, op)", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if checked < 40 {
		t.Fatalf("checked %d methods; the walk over the package's files is broken", checked)
	}
}

func onService(fn *ast.FuncDecl) bool {
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Service"
}

func takesOperator(fn *ast.FuncDecl) bool {
	for _, p := range fn.Type.Params.List {
		if id, ok := p.Type.(*ast.Ident); ok && id.Name == "Operator" {
			return true
		}
	}
	return false
}

func startsWithResolve(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return false
	}
	as, ok := fn.Body.List[0].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return false
	}
	call, ok := as.Rhs[0].(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "resolve"
}
