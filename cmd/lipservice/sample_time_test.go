package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSample_yearlessEventTimes checks issue 20 item 2: on syslog lines
// without a year, sample reports anomaly times in the input's own years
// (year 0, as analyze does), in the text summary and in --json, and an
// event never ends before it was detected nor long after the input ends.
// The files are the first lines of Loghub's Linux, Mac and OpenSSH logs.
func TestSample_yearlessEventTimes(t *testing.T) {
	for _, name := range []string{"linux_150.log", "mac_150.log", "openssh_100.log"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"sample", "--json", "--seed", "1", path}, strings.NewReader(""), &out, &errOut)
			require.Equal(t, 0, code, errOut.String())
			var sum struct {
				Events []struct {
					Type     string    `json:"type"`
					Start    time.Time `json:"start"`
					Detected time.Time `json:"detected"`
					End      time.Time `json:"end"`
				} `json:"anomaly_events"`
			}
			require.NoError(t, json.Unmarshal(errOut.Bytes(), &sum), errOut.String())
			ended := 0
			for _, e := range sum.Events {
				assert.Equal(t, 0, e.Start.Year(), "start of %s in the input's year 0", e.Type)
				assert.Equal(t, 0, e.Detected.Year(), "detected of %s in the input's year 0", e.Type)
				if e.End.IsZero() {
					continue
				}
				ended++
				assert.Equal(t, 0, e.End.Year(), "end of %s in the input's year 0, not 1754", e.Type)
				assert.False(t, e.End.Before(e.Detected), "%s ends %v before it was detected %v", e.Type, e.End, e.Detected)
				assert.Less(t, e.End.Sub(e.Detected), 7*24*time.Hour, "%s lasts less than a week of a short log", e.Type)
			}
			require.Positive(t, ended, "the file produces ended events")

			out.Reset()
			errOut.Reset()
			code = run(context.Background(), []string{"sample", "--seed", "1", path}, strings.NewReader(""), &out, &errOut)
			require.Equal(t, 0, code, errOut.String())
			assert.Contains(t, errOut.String(), "ended 0000-", "text summary")
			assert.NotContains(t, errOut.String(), "ended 1754", "text summary")
		})
	}
}
