package signature_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/signature"
)

// FuzzNormalize checks that Normalize never panics, keeps valid UTF-8
// valid, is idempotent, and that Of agrees with OfTemplate of the template.
func FuzzNormalize(f *testing.F) {
	for _, test := range normalizeTests {
		f.Add(test.in)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		n := signature.Normalize(msg)
		if utf8.ValidString(msg) && !utf8.ValidString(n) {
			t.Errorf("Normalize(%q) = %q is not valid UTF-8", msg, n)
		}
		if len(msg) < signature.MaxMessageBytes/4 {
			if nn := signature.Normalize(n); nn != n {
				t.Errorf("not idempotent: Normalize(%q) = %q, Normalize of that = %q", msg, n, nn)
			}
		}
		if signature.Of(msg) != signature.OfTemplate(n) {
			t.Errorf("Of(%q) != OfTemplate(Normalize(%q))", msg, msg)
		}
		if signature.Of(n) != signature.OfTemplate(signature.Normalize(n)) {
			t.Errorf("equal templates gave different signatures for %q", msg)
		}
	})
}

// FuzzErrorType checks that ErrorType never panics and returns "" , a
// substring of the message, or one of its lower-case constants.
func FuzzErrorType(f *testing.F) {
	for _, test := range errorTypeTests {
		f.Add(test.msg)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		got := signature.ErrorType(msg)
		if got == "" || strings.Contains(msg, got) {
			return
		}
		if got != strings.ToLower(got) {
			t.Errorf("ErrorType(%q) = %q: neither a substring nor a constant", msg, got)
		}
		if !strings.Contains(strings.ToLower(msg), got) && got != "panic" && got != "runtime error" {
			t.Errorf("ErrorType(%q) = %q does not occur in the message", msg, got)
		}
	})
}
