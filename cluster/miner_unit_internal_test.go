package cluster

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitUnits(t *testing.T) {
	tests := []struct {
		tmpl  string
		core  string
		units []string
	}{
		{"took <*> ms", "took <*>", []string{"", "ms"}},
		{"took <*> ms, then <*> s.", "took <*>, then <*>.", []string{"", "ms", "", "s"}},
		{"done (<*> MB), exiting", "done (<*>), exiting", []string{"", "MB", ""}},
		{"size=<*> bytes ok", "size=<*> ok", []string{"bytes", ""}},
		{"<*> bytes sent, <*> received", "<*> sent, <*> received", []string{"bytes", "", "", ""}},
		{"took <*>", "took <*>", nil},
		{"set to ms", "set to ms", nil},       // no variable before it
		{"took <*>, ms", "took <*>, ms", nil}, // the variable ends in punctuation
		{"took <*> msg", "took <*> msg", nil}, // not a unit
		{"<*> s <*> s", "<*> <*>", []string{"s", "s"}},
		{"<*> ms", "<*>", []string{"ms"}},
	}
	for _, tt := range tests {
		toks, units := splitUnits(splitTokens(tt.tmpl), nil)
		assert.Equal(t, tt.core, strings.Join(toks, " "), tt.tmpl)
		assert.Equal(t, tt.units, units, tt.tmpl)
		// Rendering the units back gives the template again.
		assert.Equal(t, tt.tmpl, strings.Join(withUnits(toks, units, len(toks)), " "), tt.tmpl)
	}
	// A JSON object's tokens keep their units.
	toks, units := splitUnits([]string{`{"took":`, `"<*> ms"}`}, []bool{true, false})
	assert.Equal(t, []string{`{"took":`, `"<*> ms"}`}, toks)
	assert.Nil(t, units)
}

func TestTakeUnits(t *testing.T) {
	tests := []struct {
		have, add, want []string
		changed         bool
	}{
		{[]string{"", "ms"}, []string{"", "ms"}, []string{"", "ms"}, false},
		{[]string{"", "ms"}, []string{"", "s"}, []string{"", mixedUnit}, true},
		{[]string{"", "ms"}, nil, []string{"", mixedUnit}, true},
		{nil, []string{"", "ms"}, []string{"", mixedUnit}, true},
		{[]string{"", mixedUnit}, []string{"", "ms"}, []string{"", mixedUnit}, false},
		{nil, nil, nil, false},
	}
	for _, tt := range tests {
		n := &node{tokens: []string{"took", "<*>"}, units: append([]string(nil), tt.have...)}
		changed := n.takeUnits(tt.add)
		assert.Equal(t, tt.changed, changed, "%q + %q", tt.have, tt.add)
		assert.Equal(t, tt.want, n.units, "%q + %q", tt.have, tt.add)
	}
}
