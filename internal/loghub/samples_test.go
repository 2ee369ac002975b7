package loghub_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/loghub"
)

func TestReadSamples(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []loghub.Sample
		wantErr string
	}{
		{
			name: "systems, templates, comments, merged sections",
			file: "# header\n\n## A\nuser <*> in\n\tuser bob in\n\tuser eve in\n## B\n# note\ndone\n\tdone\n## A\nbye <*>\n\tbye 1\n",
			want: []loghub.Sample{
				{System: "A", Lines: []string{"user bob in", "user eve in", "bye 1"}, Want: []string{"user <*> in", "user <*> in", "bye <*>"}},
				{System: "B", Lines: []string{"done"}, Want: []string{"done"}},
			},
		},
		{name: "message before a template", file: "## A\n\tlost\n", wantErr: ":2: message line before any system or template"},
		{name: "template before a system", file: "orphan\n", wantErr: ":1: template before any system"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "samples.txt")
			require.NoError(t, os.WriteFile(path, []byte(test.file), 0o644))
			got, err := loghub.ReadSamples(path)
			if test.wantErr != "" {
				require.Error(t, err)
				assert.True(t, strings.HasSuffix(err.Error(), test.wantErr), "error %q", err)
				return
			}
			require.NoError(t, err)
			require.Len(t, got, len(test.want))
			for i := range got {
				assert.Equal(t, test.want[i], *got[i])
			}
		})
	}
}
