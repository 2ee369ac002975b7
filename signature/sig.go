package signature

import (
	"errors"

	"github.com/srex-dev/lipservice-go/internal/fnv"
)

// Sig is the stable 64-bit signature of a template: the FNV-1a 64 hash of the
// template's bytes (see SPEC.md). Its text form is 16 lower-case hex digits,
// which is how policies and stats reports refer to patterns.
//
// The zero Sig is a valid value (a template that hashes to 0 is possible but
// vanishingly rare); it is not used as "no signature" anywhere.
type Sig uint64

// ErrSyntax is returned by [Parse] for text that is not 16 hex digits.
var ErrSyntax = errors.New("signature: want 16 hex digits")

// OfTemplate returns the signature of an already-normalized template.
func OfTemplate(template string) Sig { return Sig(fnv.String(template)) }

const hexDigits = "0123456789abcdef"

// AppendText appends the 16-digit lower-case hex form of s to b.
// It implements [encoding.TextAppender].
func (s Sig) AppendText(b []byte) ([]byte, error) {
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[(uint64(s)>>uint(shift))&0xf])
	}
	return b, nil
}

// String returns the 16-digit lower-case hex form of s.
func (s Sig) String() string {
	var buf [16]byte
	b, _ := s.AppendText(buf[:0])
	return string(b)
}

// MarshalText implements [encoding.TextMarshaler]; the form is that of [Sig.String].
func (s Sig) MarshalText() ([]byte, error) { return s.AppendText(make([]byte, 0, 16)) }

// UnmarshalText implements [encoding.TextUnmarshaler]. It accepts exactly 16
// hex digits, in either case.
func (s *Sig) UnmarshalText(text []byte) error {
	v, err := parse(text)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Parse parses the 16-digit hex form produced by [Sig.String].
func Parse(text string) (Sig, error) { return parse([]byte(text)) }

func parse(text []byte) (Sig, error) {
	if len(text) != 16 {
		return 0, ErrSyntax
	}
	var v uint64
	for _, c := range text {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, ErrSyntax
		}
		v = v<<4 | uint64(d)
	}
	return Sig(v), nil
}
