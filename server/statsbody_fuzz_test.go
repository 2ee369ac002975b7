package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
)

// FuzzStreamStats checks the streaming stats decoder against the whole-body
// decoder it replaced (encoding/json with unknown fields rejected): it never
// panics; what it accepts, the whole-body decoder accepts with the same
// result; and what the whole-body decoder accepts, it accepts too, unless
// the patterns are over the limit (errTooManyPatterns) or the "patterns"
// field is repeated (rejected on purpose).
func FuzzStreamStats(f *testing.F) {
	p := `{"signature":"0123456789abcdef","template":"x <*>","count":2,"first_seen":"2026-03-14T10:00:00Z","level_counts":{"INFO":2}}`
	for _, seed := range []string{
		`{"service_name":"a","patterns":[` + p + `,` + p + `]}`,
		`{"service_name":"a","patterns":[{},{},{},{}]}`,
		`{"service_name":"a","patterns":null,"total_logs":3}`,
		`{"Service_Name":"a","PATTERNS":[` + p + `],"team_id":2,"unique_patterns":1,"timestamp":"2026-03-14T10:00:00Z"}`,
		`{"service_name":"a","patterns":[],"patterns":[]}`,
		`{"service_name":"a","nope":1}`,
		`{"service_name":"a","patterns":[{"nope":1}]}`,
		`{"total_logs":"many"}`,
		`{"total_logs":-1}`,
		`[{}]`,
		`{"patterns":[{}`,
		`{"patterns":{}}`,
		`{"patterns":[null,1]}`,
		`{"service_name":"a","service_name":"b"}`,
		``,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	const maxPatterns = 3
	f.Fuzz(func(t *testing.T, body []byte) {
		var got policy.StatsReport
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		serr := streamStats(dec, &got, maxPatterns)

		var want policy.StatsReport
		wdec := json.NewDecoder(bytes.NewReader(body))
		wdec.DisallowUnknownFields()
		werr := wdec.Decode(&want)
		if werr == nil && bytes.HasPrefix(bytes.TrimSpace(body), []byte("null")) {
			werr = errors.New("null is not an object") // the whole-body decoder accepts null
		}

		if serr == nil {
			if werr != nil {
				t.Fatalf("stream accepted what the whole-body decoder rejects (%v): %q", werr, body)
			}
			if len(got.Patterns) > maxPatterns {
				t.Fatalf("stream accepted %d patterns over the limit %d", len(got.Patterns), maxPatterns)
			}
			if !reflect.DeepEqual(normalize(got), normalize(want)) {
				t.Fatalf("stream and whole-body decoders differ on %q:\nstream %+v\nwhole  %+v", body, got, want)
			}
			return
		}
		if werr != nil {
			return // both reject
		}
		switch {
		case errors.Is(serr, errTooManyPatterns):
			// Legitimate when the whole-body decoder sees more than the
			// limit, or when an earlier repeated "patterns" field (which
			// the whole-body decoder overwrites) was over it.
			if len(want.Patterns) <= maxPatterns && strings.Count(strings.ToLower(string(body)), `"patterns"`) < 2 {
				t.Fatalf("stream over the limit where the whole-body decoder has %d patterns: %q", len(want.Patterns), body)
			}
		case strings.Contains(serr.Error(), "given twice"):
		default:
			t.Fatalf("stream rejected (%v) what the whole-body decoder accepts: %q", serr, body)
		}
	})
}

// normalize maps an empty patterns slice to nil: the decoders differ only
// there (the whole-body decoder keeps a non-nil empty slice for []).
func normalize(r policy.StatsReport) policy.StatsReport {
	if len(r.Patterns) == 0 {
		r.Patterns = nil
	}
	return r
}
