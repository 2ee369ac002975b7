package logline

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Format is a compiled Loghub log_format. It is safe for concurrent use.
type Format struct {
	re      *regexp.Regexp
	names   []string
	content int // index of <Content> in names, -1 when absent
}

// Fields is one parsed line: the value of every <Name> of the format, in
// format order, and the content.
type Fields struct {
	// Content is the value of <Content>, or the whole (trimmed) line when the
	// format has no <Content>.
	Content string
	// Names and Values are the format's field names and their values, in
	// order. Names is shared by every line of the Format and must not be
	// modified; Values is owned by the caller.
	Names, Values []string
}

// Get returns the value of the named field, or "" when there is none.
func (f Fields) Get(name string) string {
	for i, n := range f.Names {
		if n == name {
			return f.Values[i]
		}
	}
	return ""
}

// ErrFormat is returned by [Compile] for a format it cannot use.
var ErrFormat = errors.New("logline: invalid log format")

var fieldRE = regexp.MustCompile(`<[^<>]+>`)
var spacesRE = regexp.MustCompile(` +`)

// Compile compiles a Loghub log_format the way the Loghub reference loader
// (logparser's generate_logformat_regex) does:
//
//  1. split the format on tokens <Name>;
//  2. in the literal pieces between them, replace every run of spaces with
//     \s+ and keep everything else verbatim as regular-expression syntax
//     (so `\[` and `(...)?` in the format work as in the reference);
//  3. turn each <Name> into a lazy group (?P<Name>.*?);
//  4. anchor the whole expression with ^...$.
//
// [Format.Parse] applies it to the line with surrounding whitespace trimmed.
// It returns an error wrapping [ErrFormat] when the format has no field or
// does not compile.
func Compile(format string) (*Format, error) {
	locs := fieldRE.FindAllStringIndex(format, -1)
	if len(locs) == 0 {
		return nil, fmt.Errorf("%w: %q has no <Field>", ErrFormat, format)
	}
	var b strings.Builder
	b.WriteString("^")
	names := make([]string, 0, len(locs))
	prev := 0
	for _, l := range locs {
		b.WriteString(spacesRE.ReplaceAllString(format[prev:l[0]], `\s+`))
		name := format[l[0]+1 : l[1]-1]
		names = append(names, name)
		fmt.Fprintf(&b, "(?P<%s>.*?)", name)
		prev = l[1]
	}
	b.WriteString(spacesRE.ReplaceAllString(format[prev:], `\s+`))
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrFormat, format, err)
	}
	f := &Format{re: re, names: re.SubexpNames()[1:], content: -1}
	for i, n := range f.names {
		if n == "Content" {
			f.content = i
		}
	}
	return f, nil
}

// Names returns the format's field names in order. The caller owns the slice.
func (f *Format) Names() []string { return append([]string(nil), f.names...) }

// Parse matches line (with surrounding whitespace, including a trailing \r,
// trimmed) against the format. ok is false when the line does not match; the
// reference loader drops such lines.
func (f *Format) Parse(line string) (fields Fields, ok bool) {
	line = strings.TrimSpace(line)
	m := f.re.FindStringSubmatch(line)
	if m == nil {
		return Fields{}, false
	}
	fields = Fields{Names: f.names, Values: m[1:]}
	if f.content >= 0 {
		fields.Content = m[1+f.content]
	} else {
		fields.Content = line
	}
	return fields, true
}
