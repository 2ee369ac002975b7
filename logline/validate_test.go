package logline_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name, format string
		wantErr      string // "" when valid
	}{
		{"hdfs", "<Date> <Time> <Pid> <Level> <Component>: <Content>", ""},
		{"escaped brackets", `<Date> <Time> <Level> \[<Process>\] <Component>: <Content>`, ""},
		{"escaped angle", `\<<Level>\> <Content>`, ""},
		{"no content", "<Date> <Time> <Level>", "no <Content>"},
		{"no field", "just text", "no <Content>"},
		{"duplicate", "<Date> <Date> <Content>", "<Date> appears twice"},
		{"unclosed at end", "<Date> <Content", "unclosed '<'"},
		{"unclosed before a field", "<Date <Time> <Content>", "unclosed '<'"},
		{"empty name", "<> <Content>", "bad field name"},
		{"space in name", "<Log Level> <Content>", "bad field name"},
		{"does not compile", "<Content> (unbalanced", "missing closing )"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			err := logline.Validate(test.format)
			if test.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, logline.ErrFormat), "wraps ErrFormat: %v", err)
			assert.Contains(t, err.Error(), test.wantErr)
		})
	}
}

// TestValidate_loghub checks that every format of the Loghub corpus is
// valid.
func TestValidate_loghub(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(loghubDir, "formats.json"))
	if err != nil {
		t.Skipf("Loghub corpus not found at %s (it ships outside the repo, in ../shared/loghub2k): skipping", loghubDir)
	}
	var fms map[string]struct {
		LogFormat string `json:"log_format"`
	}
	require.NoError(t, json.Unmarshal(b, &fms))
	require.NotEmpty(t, fms)
	for name, fm := range fms {
		assert.NoError(t, logline.Validate(fm.LogFormat), name)
	}
}
