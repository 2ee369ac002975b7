// Token helpers of the Miner: splitting templates, glob matching and the
// merge of two differing tokens. Split from miner.go (issue 12); no code
// changed.

package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/signature"
)

// splitTokens splits a template at single spaces (templates never hold other
// whitespace). The tokens share the template's memory.
func splitTokens(t string) []string {
	if t == "" {
		return nil
	}
	n := strings.Count(t, " ") + 1
	toks := make([]string, 0, n)
	for {
		i := strings.IndexByte(t, ' ')
		if i < 0 {
			if t != "" {
				toks = append(toks, t)
			}
			return toks
		}
		if i > 0 {
			toks = append(toks, t[:i])
		}
		t = t[i+1:]
	}
}

// globMatch reports whether s matches pattern p in which every <*> stands for
// any string.
func globMatch(p, s string) bool {
	i := strings.Index(p, signature.Wildcard)
	if i < 0 {
		return p == s
	}
	if !strings.HasPrefix(s, p[:i]) {
		return false
	}
	s = s[i:]
	rest := p[i+len(signature.Wildcard):]
	if rest == "" {
		return true
	}
	for k := 0; k <= len(s); k++ {
		if globMatch(rest, s[k:]) {
			return true
		}
	}
	return false
}

// mergeDelims are the bytes at which two differing tokens may share a
// prefix or suffix that is kept around the <*>.
const mergeDelims = "=:([{<'\"@#/,"

// mergeToken generalizes template token a so that it also covers b: the
// longest common prefix ending in a delimiter and the longest common suffix
// starting with one are kept around a single <*>. A kept prefix or suffix
// never ends or starts inside a <*> of a (whose '<' and '>' are
// delimiters too): merging "(<*>" with itself gave "(<<*>>", which covers
// neither (FuzzMiner). A suffix that is only a trailing '/' is not kept:
// it ends a directory path, which is the value.
func mergeToken(a, b string) string {
	if a == b {
		return a
	}
	if a == signature.Wildcard || b == signature.Wildcard {
		return signature.Wildcard
	}
	if v := varList(a, b); v != a {
		return v
	}
	if dumpPair(a, b) {
		return mergeDump(a)
	}
	if namePair(a, b) {
		// name:<*> is one value (tcp:<*>, "cart:<*>"): keep the quote
		// before it and the quotes and closing punctuation after it.
		e := len(a)
		for e > 0 && (a[e-1] == '"' || a[e-1] == '\'' || closingPunct(a[e-1])) {
			e--
		}
		q := ""
		if a[0] == '"' || a[0] == '\'' {
			q = a[:1]
		}
		return q + signature.Wildcard + a[e:]
	}
	if qualifiedPair(a, b) {
		// A qualified name is one value: its parts are not delimiters
		// (layouts/application and layouts/auth are <*>, not layouts/<*>).
		open, _, close := qualifiedCore(a)
		return open + signature.Wildcard + close
	}
	lim := min(len(a), len(b))
	p := 0
	for p < lim && a[p] == b[p] {
		p++
	}
	for p > 0 && (!strings.ContainsRune(mergeDelims, rune(a[p-1])) || strings.HasPrefix(a[p-1:], signature.Wildcard)) {
		p--
	}
	s := 0
	for s < lim-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && (!strings.ContainsRune(mergeDelims+")]}>", rune(a[len(a)-s])) || strings.HasSuffix(a[:len(a)-s+1], signature.Wildcard)) {
		s--
	}
	if s == 1 && a[len(a)-1] == '/' {
		// A trailing slash ends a directory path (path=kubernetes/,
		// path=userpass/): it is part of the value, not a delimiter.
		s = 0
	}
	if p == 0 && s == 0 {
		return signature.Wildcard
	}
	out := a[:p] + signature.Wildcard + a[len(a)-s:]
	for strings.Contains(out, "<*><*>") {
		out = strings.ReplaceAll(out, "<*><*>", signature.Wildcard)
	}
	return out
}

// varList returns "<*>" and the closing punctuation when a and b are comma
// lists of different lengths with the same closing punctuation (ISR 1,2,3
// then 1,2; acls to: yarn,curi then hadoop: a list of variable length is
// one value), and a otherwise (a list of fixed length, as [1440,900],
// keeps its commas).
func varList(a, b string) string {
	if listPair(a, b) {
		_, t := listItems(a)
		return signature.Wildcard + t
	}
	return a
}

// listPair reports whether a and b are comma lists ([listItems]) of
// different lengths, one of them two items or more, with the same closing
// punctuation: the same list of names or values written at two lengths
// (issue 9: Spark's "acls to: yarn,curi" and "acls to: hadoop", Ceph's
// "mons a,b,c" and "mons ceph-node2,ceph-node3"). A list of one item is a
// single name or value, so it pairs only with a longer list.
func listPair(a, b string) bool {
	if strings.IndexByte(a, ',') < 0 && strings.IndexByte(b, ',') < 0 {
		return false // no list of two items: the common case, one scan
	}
	na, ta := listItems(a)
	nb, tb := listItems(b)
	return na > 0 && nb > 0 && na != nb && max(na, nb) >= 2 && ta == tb
}

// listItems returns the number of items of s when s is a comma list
// followed only by closing punctuation, and that punctuation; 0 otherwise.
// An item is a variable ("<*>") or a name: a letter or digit, then
// letters, digits and _ - . (so "<*>,<*>,<*>", "a,b,c", "yarn,<*>" and a
// lone "hadoop" are lists; an item with '=' or ':' is a field, and an
// empty item, a quote or a bracket inside is another shape).
func listItems(s string) (int, string) {
	e := len(s)
	for e > 0 && strings.IndexByte(".;:)]}", s[e-1]) >= 0 {
		e--
	}
	core, n := s[:e], 0
	for {
		if strings.HasPrefix(core, signature.Wildcard) {
			core = core[len(signature.Wildcard):]
		} else {
			k := 0
			for k < len(core) && (isAlnum(core[k]) || k > 0 && (core[k] == '_' || core[k] == '-' || core[k] == '.')) {
				k++
			}
			if k == 0 {
				return 0, ""
			}
			core = core[k:]
		}
		n++
		if core == "" {
			return n, s[e:]
		}
		if core[0] != ',' {
			return 0, ""
		}
		core = core[1:]
	}
}
