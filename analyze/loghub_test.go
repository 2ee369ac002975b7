package analyze

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loghubDir holds the Loghub-2k corpus shared by the project, outside the
// repository.
var loghubDir = filepath.Join("..", "..", "..", "shared", "loghub2k")

// TestFastFormatLoghub checks the byte matcher against the regular
// expression on every line of the Loghub-2k systems whose format it handles.
func TestFastFormatLoghub(t *testing.T) {
	if _, err := os.Stat(loghubDir); err != nil {
		t.Skipf("Loghub corpus not available at %s: %v", loghubDir, err)
	}
	for system, format := range loghubFormats {
		if compileFast(format) == nil {
			continue // optional groups: the regexp is used
		}
		t.Run(system, func(t *testing.T) {
			f, err := os.Open(filepath.Join(loghubDir, system, system+"_2k.log"))
			require.NoError(t, err)
			defer f.Close()
			sc := bufio.NewScanner(f)
			lines, decided := 0, 0
			for sc.Scan() {
				lines++
				if checkFastFormat(t, format, sc.Text()) {
					decided++
				}
			}
			require.NoError(t, sc.Err())
			assert.Equal(t, 2000, lines)
			t.Logf("%s: the fast matcher decided %d of %d lines", system, decided, lines)
			assert.Greater(t, decided, lines*9/10, "the fast path covers real lines")
		})
	}
}
