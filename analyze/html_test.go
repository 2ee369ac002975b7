package analyze_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// htmlDoc is what the HTML tests look at in a report page.
type htmlDoc struct {
	count     map[string]int // elements by name
	classes   map[string]int // elements by class word
	anomalies int            // rows of the anomalies table
	text      string         // the character data, concatenated
	external  []string       // attributes and styles that load a resource
}

// parseHTML tokenizes page with encoding/xml in its lenient HTML mode (the
// report is well-formed apart from HTML void elements) and collects an
// htmlDoc.
func parseHTML(t *testing.T, page []byte) htmlDoc {
	t.Helper()
	d := htmlDoc{count: map[string]int{}, classes: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var text strings.Builder
	inAnomalies := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the page does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			d.count[tok.Name.Local]++
			for _, a := range tok.Attr {
				switch strings.ToLower(a.Name.Local) {
				case "src", "href", "srcset", "action", "poster", "data":
					d.external = append(d.external, a.Name.Local+"="+a.Value)
				case "class":
					for _, c := range strings.Fields(a.Value) {
						d.classes[c]++
						if c == "anomalies" {
							inAnomalies = true
						}
					}
				}
				if strings.Contains(a.Value, "url(") {
					d.external = append(d.external, a.Name.Local+"="+a.Value)
				}
			}
			if inAnomalies && tok.Name.Local == "tr" {
				d.anomalies++
			}
		case xml.EndElement:
			if tok.Name.Local == "table" {
				inAnomalies = false
			}
		case xml.CharData:
			s := string(tok)
			text.WriteString(s)
			if strings.Contains(s, "url(") || strings.Contains(s, "@import") {
				d.external = append(d.external, s)
			}
		}
	}
	d.text = text.String()
	if d.anomalies > 0 {
		d.anomalies-- // the header row
	}
	return d
}
