package httpapi

import (
	_ "embed"
	"net/http"
	"strconv"
)

// document is the OpenAPI 3.1 description of the API, served at
// /openapi.json; the handler's tests validate every response against it.
//
//go:embed openapi.json
var document []byte

// Document returns the OpenAPI 3.1 document of the API (a copy).
func Document() []byte { return append([]byte(nil), document...) }

func serveDocument(w http.ResponseWriter, r *http.Request) {
	if rec, ok := w.(*recorder); ok {
		rec.route = "GET /openapi.json"
	}
	h := w.Header()
	h.Set("Content-Type", mediaJSON)
	h.Set("Content-Length", strconv.Itoa(len(document)))
	w.Write(document)
}
