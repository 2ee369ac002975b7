package cluster

import (
	"strings"
)

// jsonTokens splits the normalized template t into the miner's tokens when
// t is one JSON object written without spaces between its members (the
// form of every JSON logger's compact output), and reports ok; otherwise it
// returns ok false and the template is split at spaces as any message.
//
// The object is split after each member's ':' and after each ',' between
// members, outside strings, so that a key is one token and its value the
// next: positions align member by member, and the value-position rules
// apply to each member. A nested object is flattened the same way (its
// members are tokens, '{' stays glued to its first key and '}' to its last
// value), because audit and access records put the varying fields (user,
// object name, status) inside nested objects, whose keys are as constant as
// the top-level ones. An array is one value token: its items have no keys
// to align by, and a list of variable length is one value (varList). Inside
// a string, words are split at spaces as in a plain message, so that a
// string that carries a message ("msg", Docker's "log") is mined word by
// word, and two messages in the same field stay apart as they do in plain
// text.
//
// glue[i] reports that token i is followed by token i+1 without a space
// (a split at a member boundary); the template is the tokens joined
// accordingly (see [node.setTokens]), so no space is inserted. A template
// with a space outside strings (JSON written with ", " and ": "), an
// unbalanced object, or a non-object is not split here: its spaces already
// separate its members.
//
// The cost for a message that is not a JSON object is a check of its first
// and last byte.
func jsonTokens(t string) (toks []string, glue []bool, ok bool) {
	n := len(t)
	if n < 2 || t[0] != '{' || t[n-1] != '}' {
		return nil, nil, false
	}
	var stack [32]byte // open '{' and '[' outside strings
	depth := 0
	inStr, esc, isKey := false, false, false
	expectKey := false // in an object, before a member's key
	start := 0
	cut := func(end int, g bool) {
		if end > start {
			toks = append(toks, t[start:end])
			glue = append(glue, g)
		} else if len(glue) > 0 && !g {
			// Spaces in a row: one separator, as in plain text.
			glue[len(glue)-1] = false
		}
		start = end
	}
	for i := 0; i < n; i++ {
		c := t[i]
		inArr := depth > 0 && stack[depth-1] == '['
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c == ' ' && !inArr && !isKey:
				cut(i, false)
				start = i + 1
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
			isKey = expectKey && !inArr
			expectKey = false
		case '{':
			if depth == len(stack) {
				return nil, nil, false
			}
			stack[depth] = '{'
			depth++
			expectKey = !(depth > 1 && stack[depth-2] == '[')
		case '[':
			if depth == len(stack) {
				return nil, nil, false
			}
			stack[depth] = '['
			depth++
		case '}', ']':
			if depth == 0 || (c == '}') != (stack[depth-1] == '{') {
				return nil, nil, false
			}
			depth--
			expectKey = false
			if depth == 0 && i != n-1 {
				return nil, nil, false
			}
		case ':':
			if !inArr && depth > 0 {
				cut(i+1, true)
			}
		case ',':
			if !inArr && depth > 0 {
				cut(i+1, true)
				expectKey = true
			}
		case ' ', '\t':
			return nil, nil, false
		}
	}
	if depth != 0 || inStr || len(toks) == 0 {
		return nil, nil, false
	}
	cut(n, false)
	glue[len(glue)-1] = false
	return toks, glue, true
}

// tokenize splits a normalized template into tokens: by JSON members when
// it is one JSON object ([jsonTokens]; glue is then not nil), else at
// spaces.
func tokenize(t string) ([]string, []bool) {
	if toks, glue, ok := jsonTokens(t); ok {
		return toks, glue
	}
	return joinDumps(splitTokens(t)), nil
}

// joinTokens joins toks with a space, or with nothing after the tokens
// that glue marks (a JSON member boundary).
func joinTokens(toks []string, glue []bool) string {
	if glue == nil {
		return strings.Join(toks, " ")
	}
	var b strings.Builder
	for i, t := range toks {
		b.WriteString(t)
		if i < len(toks)-1 && !glue[i] {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// shapeOf hashes the glue of a JSON template's tokens (0 for a plain
// message): patterns are grouped by it, so a message is compared only with
// patterns whose members and words fall at the same positions.
func shapeOf(glue []bool) uint64 {
	if glue == nil {
		return 0
	}
	h := uint64(14695981039346656037)
	for _, g := range glue {
		b := uint64(1)
		if g {
			b = 2
		}
		h = (h ^ b) * 1099511628211
	}
	return h | 1
}

// jsonKey reports whether token i of a JSON template is a member's key:
// glued to the next token and ending in ':' (a word inside a string that
// ends in ':' is followed by a space).
func jsonKey(toks []string, glue []bool, i int) bool {
	return glue != nil && i < len(glue) && glue[i] && strings.HasSuffix(toks[i], ":")
}
