package analyze_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/analyze"
)

// TestAPI_matchesCLI checks that the library's report is the command's:
// WriteJSON and WriteText print byte for byte what Run prints for the same
// input and the same settings given as flags.
func TestAPI_matchesCLI(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_200.log")
	gz := filepath.Join("testdata", "loghub_mix.log.gz")
	tests := []struct {
		name  string
		opts  analyze.Options
		args  []string
		files []string
	}{
		{"defaults", analyze.Options{}, nil, []string{hdfs}},
		{"format target price top", analyze.Options{Format: "<Date> <Time> <Pid> <Level> <Component>: <Content>", Target: 0.2, PricePerGB: 1, Top: 5},
			[]string{"--format", "<Date> <Time> <Pid> <Level> <Component>: <Content>", "--target", "0.2", "--price-per-gb", "1", "--top", "5"}, []string{hdfs}},
		{"all patterns, auto interval", analyze.Options{Top: -1, AutoInterval: true}, []string{"--top", "0", "--interval", "0"}, []string{hdfs}},
		{"fixed interval, no join", analyze.Options{Interval: 10 * time.Second, NoJoin: true}, []string{"--interval", "10s", "--join=false"}, []string{hdfs}},
		{"gzip, two files", analyze.Options{}, nil, []string{gz, hdfs}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rep, err := analyze.AnalyzeFiles(context.Background(), test.opts, test.files...)
			require.NoError(t, err)
			for _, mode := range []string{"json", "text"} {
				var cliOut, cliErr, libOut bytes.Buffer
				args := append([]string{"--quiet"}, test.args...)
				if mode == "json" {
					args = append(args, "--json")
					require.NoError(t, rep.WriteJSON(&libOut))
				} else {
					require.NoError(t, rep.WriteText(&libOut))
				}
				code := analyze.Run(context.Background(), append(args, test.files...), nil, &cliOut, &cliErr)
				require.Equal(t, 0, code, cliErr.String())
				assert.Equal(t, cliOut.String(), libOut.String(), mode)
			}
		})
	}
}

// TestAnalyze_readerEqualsFile checks that Analyze over a reader reports
// what AnalyzeFiles reports for the file, but for the input's name, the
// projection and the policy: a file is read a second time through a
// sampler (method "replay"), and its policy generated again with the
// records the anomaly valve keeps charged first; a reader cannot be read
// again, so its projection is the rates times the counts (method "rates")
// of the policy generated from the counts alone.
func TestAnalyze_readerEqualsFile(t *testing.T) {
	path := filepath.Join("testdata", "openssh_100.log")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	fromReader, err := analyze.Analyze(context.Background(), f, analyze.Options{})
	require.NoError(t, err)
	fromFile, err := analyze.AnalyzeFiles(context.Background(), analyze.Options{}, path)
	require.NoError(t, err)
	assert.Equal(t, []string{"-"}, fromReader.Input.Files)
	assert.Equal(t, []string{path}, fromFile.Input.Files)
	fromReader.Input.Files = fromFile.Input.Files
	assert.Equal(t, "replay", fromFile.Projection.Method)
	assert.Equal(t, "rates", fromReader.Projection.Method)
	fromReader.Projection = fromFile.Projection
	assert.NotEmpty(t, fromFile.Projection.KeptByReason["anomaly"], "the valve opens on this sample")
	fromReader.Policy = fromFile.Policy
	require.Len(t, fromReader.Patterns, len(fromFile.Patterns))
	for i := range fromReader.Patterns {
		fromReader.Patterns[i].Rate, fromReader.Patterns[i].Kept = fromFile.Patterns[i].Rate, fromFile.Patterns[i].Kept
	}
	assert.Equal(t, fromFile, fromReader)
	assert.Equal(t, uint64(100), fromFile.Input.Lines, "the sample has 100 lines")
}

// TestOptions_invalid checks that bad options are refused, as the command
// refuses the flags.
func TestOptions_invalid(t *testing.T) {
	tests := []struct {
		name string
		opts analyze.Options
		want string
	}{
		{"target above 1", analyze.Options{Target: 1.5}, "Target"},
		{"negative target", analyze.Options{Target: -0.1}, "Target"},
		{"negative price", analyze.Options{PricePerGB: -1}, "PricePerGB"},
		{"negative interval", analyze.Options{Interval: -time.Second}, "Interval"},
		{"bad format", analyze.Options{Format: "<Content"}, ""},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rep, err := analyze.Analyze(context.Background(), strings.NewReader("a line\n"), test.opts)
			require.Error(t, err)
			assert.Nil(t, rep)
			assert.Contains(t, err.Error(), test.want)
		})
	}
	_, err := analyze.AnalyzeFiles(context.Background(), analyze.Options{})
	assert.Error(t, err, "no file")
	_, err = analyze.AnalyzeFiles(context.Background(), analyze.Options{}, "-")
	assert.Error(t, err, `"-" is not a file`)
	_, err = analyze.AnalyzeFiles(context.Background(), analyze.Options{}, filepath.Join(t.TempDir(), "missing.log"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestAnalyze_cancelled checks that a cancelled context returns the report
// of the lines read so far, marked interrupted, with the cause.
func TestAnalyze_cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := analyze.Analyze(ctx, strings.NewReader("2026-03-14T10:00:00Z INFO hello\n"), analyze.Options{})
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, rep)
	assert.True(t, rep.Input.Interrupted)
}
