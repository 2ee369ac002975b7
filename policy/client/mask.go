package client

import (
	"strings"

	"github.com/srex-dev/lipservice-go/signature"
)

// identityWords are the words after which a token names a person or an
// account; MaskTemplate masks the token that follows one.
var identityWords = []string{"user", "username", "user_name", "account", "email", "customer", "owner", "member", "principal", "uid", "userid", "user_id"}

// MaskTemplate returns tpl with every value that could identify a person or
// carry a secret replaced by "<*>", for templates that leave the process in
// stats reports. It first applies [signature.Normalize] (numbers, IPs,
// hex, UUIDs, ...), then masks, token by token (tokens are separated by
// spaces):
//
//   - a token containing '@' (an e-mail address or user@host);
//   - the value of a key=value token ("token=abc" becomes "token=<*>");
//   - a token following one of the words user, username, account,
//     email, customer, owner, member, principal, uid, userid (case
//     insensitive, with an optional trailing ':'), as in "user alice";
//   - a token of 16 or more bytes mixing letters and digits (keys, tokens).
//
// This is a best-effort filter for text that was already normalized: it
// cannot recognize a bare name in free text ("alice logged in"). Values in
// structured attributes never reach a template at all.
func MaskTemplate(tpl string) string {
	t := signature.Normalize(tpl)
	var b strings.Builder
	b.Grow(len(t))
	prevIdentity := false
	for i := 0; i <= len(t); {
		j := strings.IndexByte(t[i:], ' ')
		if j < 0 {
			j = len(t)
		} else {
			j += i
		}
		tok := t[i:j]
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(maskToken(tok, prevIdentity))
		prevIdentity = isIdentityWord(tok)
		i = j + 1
	}
	return b.String()
}

const wildcard = "<*>"

func maskToken(tok string, afterIdentity bool) string {
	if tok == "" || tok == wildcard {
		return tok
	}
	if strings.IndexByte(tok, '@') >= 0 {
		return wildcard
	}
	if k := strings.IndexByte(tok, '='); k > 0 {
		if v := tok[k+1:]; v != "" && v != wildcard {
			return tok[:k+1] + wildcard
		}
		return tok
	}
	if afterIdentity {
		return wildcard
	}
	if len(tok) >= 16 {
		var letters, digits bool
		for i := 0; i < len(tok); i++ {
			c := tok[i]
			letters = letters || (c|0x20 >= 'a' && c|0x20 <= 'z')
			digits = digits || (c >= '0' && c <= '9')
		}
		if letters && digits {
			return wildcard
		}
	}
	return tok
}

func isIdentityWord(tok string) bool {
	tok = strings.TrimSuffix(tok, ":")
	for _, w := range identityWords {
		if strings.EqualFold(tok, w) {
			return true
		}
	}
	return false
}
