package logline

import (
	"fmt"
	"strings"
)

// Validate checks a Loghub log_format written by a person (the CLI's
// --format) for the mistakes that [Compile] accepts silently, because the
// reference loader does, but that leave every line unmatched or without a
// message: it returns an error wrapping [ErrFormat] when the format
//
//   - has no <Content> field (Compile then takes the whole line as the
//     message, which is never what a --format is for);
//   - names a field twice (the second silently shadows the first);
//   - has a '<' that does not open a <Name> closed by '>' on the same
//     field (a typo such as "<Date <Time>" or "<Content"), or a field
//     name with white space in it.
//
// A literal '<' or '>' must be escaped as \< or \> (regular-expression
// syntax, as everywhere in the literal text of a format). Validate then
// compiles the format, so its error covers Compile's too.
func Validate(format string) error {
	seen := map[string]bool{}
	content := false
	for i := 0; i < len(format); i++ {
		switch format[i] {
		case '\\':
			i++ // an escaped character is literal
		case '<':
			j := strings.IndexAny(format[i+1:], "<>")
			if j < 0 || format[i+1+j] != '>' {
				return fmt.Errorf("%w: %q: unclosed '<' at byte %d (escape a literal one as \\<)", ErrFormat, format, i)
			}
			name := format[i+1 : i+1+j]
			if name == "" || strings.ContainsAny(name, " \t") {
				return fmt.Errorf("%w: %q: bad field name %q at byte %d", ErrFormat, format, name, i)
			}
			if seen[name] {
				return fmt.Errorf("%w: %q: field <%s> appears twice", ErrFormat, format, name)
			}
			seen[name] = true
			content = content || name == "Content"
			i += j + 1
		}
	}
	if !content {
		return fmt.Errorf("%w: %q has no <Content> field (the message of each line)", ErrFormat, format)
	}
	_, err := Compile(format)
	return err
}
