package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/signature"
)

// labelDelims are the bytes at which labelToken splits a template token: the
// token delimiters of the template-correction rules of Khan et al. (ICSE
// 2022), with which the corrected Loghub ground truth was written, in every
// system alike, and the backslash: an escaped quote (\") delimits as the
// quote does, so a quoted value inside quoted text labels as \"<*>\".
var labelDelims = func() (t [256]bool) {
	for _, c := range []byte(" ,!;:=|\"'[](){}.-+@#$%&\\") {
		t[c] = true
	}
	return t
}()

// angleWild is a variable in angle brackets that delimit it on both sides
// (an Erlang pid <0.1201.0>, normalized to <<*>>): the brackets stay, as
// those of [<*>] and (<*>) do. An angle bracket glued to a word is not a
// delimiter (IOThunderboltSwitch<0> labels as one <*> in Loghub's Mac).
const angleWild = "<" + signature.Wildcard + ">"

// labelTokens rewrites, in place, the tokens of a normalized template to the
// labelling conventions of the corrected Loghub templates (Khan et al., "Guidelines
// for Assessing the Accuracy of Log Message Template Identification
// Techniques", ICSE 2022, rules BL, WV, DV and CV), which apply to any log
// format:
//
//   - each token is split at the delimiters of [labelDelims]; a piece that
//     contains <*> and no '/' becomes a single <*> (a word glued to a
//     variable is variable: *<*> and <*>> become <*>), and a piece that is
//     true, false, null, root or admin in any case, or the null of other
//     languages as they print it (None, nil: Python, Go, Ruby), becomes
//     <*> (booleans and null are values, never constants; root and admin
//     are the default user names of the correction rules, user names
//     being variables; "none" in lower case is an English word and a
//     closed-set value, reason 'none', so only the exact spellings count);
//   - a <*> in angle brackets that stand at the token's start or after a
//     delimiter and before its end or a delimiter stays <<*>> ([angleWild]);
//   - then runs of <*> joined by '.' or by nothing become one <*>.
//
// The miner mines these tokens instead of the normalized ones, so the
// pattern templates follow the same conventions. Tokens that no rule
// changes are kept as they are, without allocating.
func labelTokens(toks []string) {
	for i, t := range toks {
		toks[i] = labelToken(t)
	}
}

// labelToken applies the rules of labelTokens to one token.
func labelToken(t string) string {
	if !needsLabel(t) {
		return t
	}
	var b strings.Builder
	b.Grow(len(t))
	for i := 0; i < len(t); {
		if strings.HasPrefix(t[i:], angleWild) && (i == 0 || labelDelims[t[i-1]]) && (i+len(angleWild) == len(t) || labelDelims[t[i+len(angleWild)]]) {
			b.WriteString(angleWild)
			i += len(angleWild)
			continue
		}
		if labelDelims[t[i]] {
			b.WriteByte(t[i])
			i++
			continue
		}
		j := i
		for j < len(t) && !labelDelims[t[j]] {
			j++
		}
		p := t[i:j]
		switch {
		case strings.Contains(p, signature.Wildcard) && strings.IndexByte(p, '/') < 0:
			b.WriteString(signature.Wildcard)
		case isLabelValue(p):
			b.WriteString(signature.Wildcard)
		default:
			b.WriteString(p)
		}
		i = j
	}
	out := b.String()
	for {
		prev := out
		out = strings.ReplaceAll(out, "<*>.<*>", signature.Wildcard)
		out = strings.ReplaceAll(out, "<*><*>", signature.Wildcard)
		if out == prev {
			break
		}
	}
	if out == t {
		return t
	}
	return out
}

// needsLabel reports whether a rule of labelToken can change t: it holds a
// <*> that is not the whole token, or a piece that is one of the values of
// isLabelValue.
func needsLabel(t string) bool {
	if t == signature.Wildcard {
		return false
	}
	if strings.Contains(t, signature.Wildcard) {
		return true
	}
	for i := 0; i < len(t); i++ {
		switch t[i] | 0x20 {
		case 't', 'f', 'n', 'r', 'a':
			if (i == 0 || labelDelims[t[i-1]]) && isLabelValue(labelPiece(t[i:])) {
				return true
			}
		}
	}
	return false
}

// labelPiece returns the prefix of s up to the first label delimiter.
func labelPiece(s string) string {
	for j := 0; j < len(s); j++ {
		if labelDelims[s[j]] {
			return s[:j]
		}
	}
	return s
}

// isLabelValue reports whether p is true, false, null, root or admin, in
// any ASCII case, or None or nil as written.
func isLabelValue(p string) bool {
	switch len(p) {
	case 3:
		return p == "nil"
	case 4:
		return strings.EqualFold(p, "true") || strings.EqualFold(p, "null") || strings.EqualFold(p, "root") || p == "None"
	case 5:
		return strings.EqualFold(p, "false") || strings.EqualFold(p, "admin")
	}
	return false
}
