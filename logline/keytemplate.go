package logline

import "strings"

// KeysTemplate is the template that names the pattern of a JSON or logfmt
// record without a message field (Zeek's logs, JSON access logs), whose
// pattern ID is made of its attribute keys alone (see [Parser]): each key
// as "key=<*>", in line order, separated by spaces; a key of
// [Keys].Values, which [Record].Keys carries as "key=value", is written as
// it is. It is "" when keys is empty. Values never enter it, as they never
// enter the pattern ID.
func KeysTemplate(keys []string) string {
	return string(AppendKeysTemplate(nil, keys))
}

// AppendKeysTemplate appends [KeysTemplate] of keys to dst, for callers
// that render many without allocating.
func AppendKeysTemplate(dst []byte, keys []string) []byte {
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, k...)
		if !strings.Contains(k, "=") {
			dst = append(dst, "=<*>"...)
		}
	}
	return dst
}
