package quality

import (
	"bytes"
	"math"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
)

// Table renders results as a plain-text table, one row per method. An
// incident cell is the retention of the incident's lines; for a method that
// reports events it is followed by the detection latency and the retention
// after detection, as "98.1% @+3s 100.0%", or "undetected". A silence has
// no lines, so only its detection is shown. "pattern ids" is the number of
// distinct pattern IDs a method gave the stream (compare with the
// templates), and "new-pattern events (not new)" its NewPattern events,
// with those not of a brand-new template in parentheses.
func Table(results []Result) string {
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	head := []string{"method", "kept", "reduction", "templates", "rare", "ERROR", "WARN"}
	if len(results) > 0 {
		for _, ir := range results[0].Incidents {
			head = append(head, ir.Name)
		}
	}
	head = append(head, "new first-10", "count err mean", "count err max", "events (other)", "pattern ids", "new-pattern events (not new)")
	writeRow(w, head)
	for i := range results {
		r := &results[i]
		row := []string{
			r.Method,
			strconv.Itoa(r.Kept) + "/" + strconv.Itoa(r.Lines),
			pct(r.Reduction()),
			strconv.Itoa(r.Covered) + "/" + strconv.Itoa(r.Templates),
			strconv.Itoa(r.RareCovered) + "/" + strconv.Itoa(r.Rare),
			pct(r.ErrorRetention()),
			pct(r.WarnRetention()),
		}
		for _, ir := range r.Incidents {
			row = append(row, incidentCell(&ir, r.HasEvents))
		}
		events := "-"
		if r.HasEvents {
			events = strconv.Itoa(r.Events) + " (" + strconv.Itoa(len(r.Unmatched)) + ")"
		}
		ids, news := "-", "-"
		if r.PatternIDs > 0 {
			ids = strconv.Itoa(r.PatternIDs)
		}
		if r.HasEvents {
			news = strconv.Itoa(r.NewEvents) + " (" + strconv.Itoa(r.NewOther) + ")"
		}
		row = append(row, pct(r.NewRetention()), pct(r.CountErrMean), pct(r.CountErrMax), events, ids, news)
		writeRow(w, row)
	}
	w.Flush()
	return buf.String()
}

func writeRow(w *tabwriter.Writer, cells []string) {
	for _, c := range cells {
		w.Write([]byte(c))
		w.Write([]byte{'\t'})
	}
	w.Write([]byte{'\n'})
}

func incidentCell(ir *IncidentResult, detector bool) string {
	s := ""
	if ir.Kind != loggen.Silence || ir.Lines > 0 {
		s = pct(ir.Retention())
	}
	if !detector {
		if s == "" {
			return "-"
		}
		return s
	}
	if !ir.Detected {
		return s + " undetected"
	}
	s += " @+" + seconds(ir.Latency)
	if ir.After > 0 {
		s += " " + pct(ir.AfterRetention())
	}
	return s
}

func pct(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 0, 64) + "s"
}
