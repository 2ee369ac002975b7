package sampler

import (
	"strings"
	"unsafe"

	"github.com/srex-dev/lipservice-go/signature"
)

// maxKeyValueBytes bounds the "key=value" text of a value key folded into
// a pattern ID; a longer one folds its key alone. It is
// logline.MaxKeyValueBytes (TestValueKeys_sameAsLogline checks that they
// agree), so that a line read from a file and the record logged in-process
// get the same pattern.
const maxKeyValueBytes = 256

// WithValueKeys names attributes whose value, not only whose key, enters
// the pattern ID: low-cardinality attributes that tell events apart, such
// as an HTTP status or method, so that log.Info("request", "status", 500)
// is not counted, rated and first-N'd with the status 200 records. An
// attribute whose key is one of keys (compared ignoring ASCII case) is
// folded into the pattern ID as "key=value" (the key as written, then '=',
// then [Attr].Value) instead of its key alone; a "key=value" longer than
// 256 bytes folds the key alone. It is the rule of `lipservice sample
// --value-keys` and logline.Keys.Values for JSON and logfmt lines, so a
// line read from a file and the same record logged in-process through an
// adapter get the same pattern ID.
//
// Value keys are part of the attribute keys of the pattern: setting any
// turns [WithAttrKeys] on. The adapters put the value's text in
// [Attr].Value: every string value, and for the attributes named here
// also numbers and booleans, written as strconv writes them (slogx;
// adapters that pass string values only fold "key=" for other kinds). A
// value of high cardinality (a user ID, a path) named here makes one
// pattern per value and fills the pattern table: name only fields with a
// few values.
//
// The default, and no keys, is none: values never enter the pattern ID.
// The Sampler copies keys.
func WithValueKeys(keys ...string) Option {
	keys = append([]string(nil), keys...)
	return optionFunc(func(c *config) { c.valueKeys = keys })
}

// ValueKeys returns the attribute keys whose values enter the pattern ID
// (see [WithValueKeys]), nil when there are none. The caller owns the
// returned slice. This method can be called concurrently.
func (s *Sampler) ValueKeys() []string {
	if len(s.valueKeys) == 0 {
		return nil
	}
	return append([]string(nil), s.valueKeys...)
}

// isValueKey reports whether key is one of values, ignoring ASCII case.
func isValueKey(values []string, key string) bool {
	for _, v := range values {
		if len(v) == len(key) && strings.EqualFold(v, key) {
			return true
		}
	}
	return false
}

// foldAttr folds one attribute into s: its key, or "key=value" for a value
// key (see WithValueKeys). It does not allocate: "key=value" is built on
// the stack.
func foldAttr(s signature.Sig, a *Attr, values []string) signature.Sig {
	if len(values) > 0 && isValueKey(values, a.Key) {
		if n := len(a.Key) + 1 + len(a.Value); n <= maxKeyValueBytes {
			var buf [maxKeyValueBytes]byte
			copy(buf[:], a.Key)
			buf[len(a.Key)] = '='
			copy(buf[len(a.Key)+1:], a.Value)
			return signature.WithKey(s, unsafe.String(&buf[0], n))
		}
	}
	return signature.WithKey(s, a.Key)
}
