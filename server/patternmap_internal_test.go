package server

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/signature"
)

func storePattern(sig signature.Sig, tmpl string, count int64) store.Pattern {
	return store.Pattern{Signature: sig.String(), Template: tmpl, WindowCount: count,
		FirstSeen: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
}

// TestGroupFleet checks which reported signatures are grouped: only those
// that are the signature of a normalizer template (not those with
// attribute keys folded in, nor templates the normalizer would change).
func TestGroupFleet(t *testing.T) {
	const jose, zoe = `payment card_holder=José failed`, `payment card_holder=Zoë failed`
	family := signature.OfTemplate(`payment card_holder=<*> failed`)
	folded := func(tmpl string) signature.Sig { return signature.WithKey(signature.OfTemplate(tmpl), "user") }
	tests := []struct {
		name    string
		ps      []store.Pattern
		want    map[signature.Sig]signature.Sig
		wantIDs []signature.Sig // in order
	}{
		{
			name:    "exact signatures of one family",
			ps:      []store.Pattern{storePattern(signature.Of(jose), jose, 10), storePattern(signature.Of(zoe), zoe, 5)},
			want:    map[signature.Sig]signature.Sig{signature.Of(jose): family, signature.Of(zoe): family},
			wantIDs: []signature.Sig{family},
		},
		{
			name:    "attribute keys folded in",
			ps:      []store.Pattern{storePattern(folded(jose), jose, 10), storePattern(folded(zoe), zoe, 5)},
			want:    map[signature.Sig]signature.Sig{},
			wantIDs: []signature.Sig{folded(jose), folded(zoe)},
		},
		{
			name: "templates the normalizer would change",
			ps: []store.Pattern{storePattern(signature.OfTemplate("event 1 done"), "event 1 done", 10),
				storePattern(signature.OfTemplate("event 2 done"), "event 2 done", 5)},
			want:    map[signature.Sig]signature.Sig{},
			wantIDs: []signature.Sig{signature.OfTemplate("event 1 done"), signature.OfTemplate("event 2 done")},
		},
		{
			name:    "no volume in the window",
			ps:      []store.Pattern{storePattern(signature.Of(jose), jose, 10), storePattern(signature.Of(zoe), zoe, 0)},
			want:    map[signature.Sig]signature.Sig{},
			wantIDs: []signature.Sig{signature.Of(jose)},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			groups, mp := groupFleet(test.ps)
			assert.Equal(t, test.want, mp)
			var ids []signature.Sig
			for _, g := range groups {
				ids = append(ids, g.id)
			}
			assert.Equal(t, test.wantIDs, ids)
		})
	}
}

// TestGroupFleet_sums checks a group's sums: counts, errors capped at the
// count, and the earliest first sight.
func TestGroupFleet_sums(t *testing.T) {
	const jose, zoe = `payment card_holder=José failed`, `payment card_holder=Zoë failed`
	a, b := storePattern(signature.Of(jose), jose, 10), storePattern(signature.Of(zoe), zoe, 5)
	a.WindowErrors, a.RecentCount = 3, 4
	b.WindowErrors, b.RecentCount = 9, 5 // errors above the count: capped at 5
	b.FirstSeen = a.FirstSeen.Add(-time.Hour)
	groups, _ := groupFleet([]store.Pattern{a, b})
	require.Len(t, groups, 1)
	g := groups[0]
	assert.Equal(t, int64(15), g.count)
	assert.Equal(t, int64(8), g.errors)
	assert.Equal(t, int64(9), g.recent)
	assert.Equal(t, b.FirstSeen, g.firstSeen)
	assert.Equal(t, "payment card_holder=<*> failed", g.template)
	assert.ElementsMatch(t, []signature.Sig{signature.Of(jose), signature.Of(zoe)}, g.members)
}

// TestGroupFleet_cap checks that at most MaxFleetSignatures signatures are
// grouped, and that the ones dropped are the last (smallest volume).
func TestGroupFleet_cap(t *testing.T) {
	ps := make([]store.Pattern, MaxFleetSignatures+10)
	for i := range ps {
		tmpl := "event " + strconv.Itoa(i) + " done" // not a normalizer template: not mined
		ps[i] = storePattern(signature.OfTemplate(tmpl), tmpl, int64(len(ps)-i))
	}
	groups, mp := groupFleet(ps)
	assert.Len(t, groups, MaxFleetSignatures)
	assert.Empty(t, mp)
	assert.Equal(t, ps[MaxFleetSignatures-1].Signature, groups[len(groups)-1].id.String(), "the largest are kept, in order")
}

// BenchmarkGroupFleet groups the window of a service of n signatures (the
// store's default pattern cap is 10 000): normalizer templates of 100
// events, each with a variable plain word that the miner learns to merge
// (MinWordValues siblings).
func BenchmarkGroupFleet(b *testing.B) {
	word := func(v int) string {
		var w []byte
		for ; ; v /= 26 {
			w = append(w, byte('a'+v%26))
			if v < 26 {
				return string(w)
			}
		}
	}
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ps := make([]store.Pattern, n)
			for i := range ps {
				tmpl := signature.Normalize("event" + word(i%100) + " finished step " + word(i) + " in 5 ms")
				ps[i] = storePattern(signature.OfTemplate(tmpl), tmpl, int64(n-i))
			}
			b.ReportAllocs()
			var groups int
			for b.Loop() {
				g, _ := groupFleet(ps)
				groups = len(g)
			}
			b.ReportMetric(float64(groups), "patterns/op")
		})
	}
}
