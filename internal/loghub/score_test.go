package loghub_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/loghub"
)

func TestScore(t *testing.T) {
	// 4 lines: group A = {0,1}, B = {2}, C = {3}.
	truth := []string{"a <*>", "a <*>", "b", "c"}
	tests := []struct {
		name string
		pred []string
		want loghub.Scores
	}{
		{"perfect", []string{"a <*>", "a <*>", "b", "c"}, loghub.Scores{GA: 1, PA: 1, FGA: 1, FTA: 1}},
		{"merged b and c", []string{"a <*>", "a <*>", "x", "x"}, loghub.Scores{GA: 0.5, PA: 0.5, FGA: 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0/3), FTA: 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0/3)}},
		{"right groups wrong text", []string{"a x", "a x", "b", "c"}, loghub.Scores{GA: 1, PA: 0.5, FGA: 1, FTA: 2.0 / 3}},
		{"split a", []string{"a 1", "a 2", "b", "c"}, loghub.Scores{GA: 0.5, PA: 0.5, FGA: 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0/3), FTA: 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0/3)}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := loghub.Score(truth, test.pred)
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"GA", got.GA, test.want.GA}, {"PA", got.PA, test.want.PA}, {"FGA", got.FGA, test.want.FGA}, {"FTA", got.FTA, test.want.FTA}} {
				if d := c.got - c.want; d > 1e-12 || d < -1e-12 {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
	if got := loghub.Score(nil, nil); got != (loghub.Scores{}) {
		t.Errorf("Score of no lines = %+v, want zero", got)
	}
}

func TestTruth(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "X"), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "LineId,Content,EventId,EventTemplate\n1,a 1,E1,a <*>\n2,\"b, c\",E2,\"b, c\"\n"
	if err := os.WriteFile(filepath.Join(dir, "X", "X_2k.log_structured_corrected.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := loghub.Truth(dir, "X")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a <*>", "b, c"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Truth = %q, want %q", got, want)
	}
	if _, err := loghub.Truth(dir, "Y"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Truth of a missing system: %v, want os.ErrNotExist", err)
	}
}

func BenchmarkScore(b *testing.B) {
	truth := make([]string, 2000)
	pred := make([]string, 2000)
	for i := range truth {
		truth[i] = fmt.Sprint("t", i%50)
		pred[i] = fmt.Sprint("p", i%40)
	}
	b.ReportAllocs()
	for b.Loop() {
		loghub.Score(truth, pred)
	}
}
