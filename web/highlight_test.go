package web

import (
	"reflect"
	"testing"

	"github.com/hallmark-dev/hallmark"
)

func TestHighlight(t *testing.T) {
	sig := func(field string, a, b int) hallmark.Signal {
		return hallmark.Signal{Detector: "brand_mark", Mark: "Acme", Span: &hallmark.Span{Field: field, Start: a, End: b}}
	}
	text := "Äcme Rep1ica shoes"
	got := highlight(text, "title", []hallmark.Signal{
		sig("title", 6, 13), // Rep1ica (Ä is two bytes)
		sig("title", 0, 5),  // Äcme
		sig("title", 1, 3),  // cuts Ä in two: dropped
		sig("title", 8, 10), // overlaps: dropped
		sig("title", 15, 99),
		sig("description", 0, 5),
		{Detector: "price"},
	})
	want := []segment{
		{Text: "Äcme", Mark: true, Label: "brand_mark: Acme"},
		{Text: " "},
		{Text: "Rep1ica", Mark: true, Label: "brand_mark: Acme"},
		{Text: " shoes"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}
