package loghub

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Sample is one system (or software family) of a hand-labelled sample
// file: its message contents in file order and the expected template of
// each.
type Sample struct {
	System string
	Lines  []string
	Want   []string
}

// ReadSamples reads a hand-labelled sample file, the format of the
// cluster package's testdata/unshipped and testdata/unseen files: "## name"
// starts a system (sections with one name are merged, in file order); an
// unindented line is an expected template; a line starting with a tab is
// a message (tab removed) whose expected template is the last one above;
// lines starting with "#" and empty lines are comments. A message before
// any template, or a template before any system, is an error naming the
// line.
func ReadSamples(path string) ([]*Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		out  []*Sample
		cur  *Sample
		tmpl string
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			name := strings.TrimPrefix(line, "## ")
			cur = nil
			for _, s := range out {
				if s.System == name {
					cur = s
				}
			}
			if cur == nil {
				cur = &Sample{System: name}
				out = append(out, cur)
			}
			tmpl = ""
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "\t"):
			if cur == nil || tmpl == "" {
				return nil, fmt.Errorf("%s:%d: message line before any system or template", path, n)
			}
			cur.Lines = append(cur.Lines, line[1:])
			cur.Want = append(cur.Want, tmpl)
		default:
			if cur == nil {
				return nil, fmt.Errorf("%s:%d: template before any system", path, n)
			}
			tmpl = line
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
