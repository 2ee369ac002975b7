package policy

import (
	"reflect"
	"strings"
	"sync"
)

// knownFields returns the JSON names of the top-level policy fields, read
// once from wirePolicy's tags so that a field added there is known here.
var knownFields = sync.OnceValue(func() []string {
	t := reflect.TypeFor[wirePolicy]()
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
})

// misspelled returns the known top-level field that key is a likely
// misspelling of, or "" when key is not close to any of them.
//
// Unknown top-level fields are otherwise ignored, so that a newer server can
// add metadata without breaking older SDKs (see the package documentation).
// A misspelled rule, though, would silently keep or drop what its author
// did not mean, so a key is rejected when it is the same as a known field
// apart from case, '_' and '-' (targetPerSecond, Global-Rate), or within a
// small edit distance of one: 1 edit for names of up to 6 bytes, 2 for
// longer ones (global_rat, severty_rates). The bound is relative to the
// name's length so that short metadata keys (id, team_id) are never
// mistaken for short rule names (first_n, dry_run).
func misspelled(key string) string {
	folded := fold(key)
	for _, name := range knownFields() {
		if name == key {
			return ""
		}
	}
	for _, name := range knownFields() {
		if fold(name) == folded {
			return name
		}
		limit := 1
		if len(name) > 6 {
			limit = 2
		}
		if editDistance(key, name, limit) <= limit {
			return name
		}
	}
	return ""
}

// fold lower-cases s and removes '_' and '-'.
func fold(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c == '-':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// editDistance returns the optimal-string-alignment distance between a and
// b (insertions, deletions, substitutions and transpositions of adjacent
// bytes), or limit+1 as soon as it is known to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
