package analyze

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/logline"
)

// writeText writes the report as text tables. The layout is for people and
// may change; --json is the stable form.
func writeText(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	in := &rep.Input
	line := func(cells ...string) { io.WriteString(tw, strings.Join(cells, "\t")+"\n") }
	flush := func() { tw.Flush() }

	io.WriteString(tw, "INPUT\n")
	line("  files", strings.Join(in.Files, " "))
	s := strconv.FormatUint(in.Lines, 10) + " (" + formatBytes(float64(in.Bytes)) + "), " + strconv.FormatUint(in.TimedLines, 10) + " with a time"
	if in.BlankLines > 0 {
		s += ", " + strconv.FormatUint(in.BlankLines, 10) + " blank skipped"
	}
	if in.UnmatchedLines > 0 {
		s += ", " + strconv.FormatUint(in.UnmatchedLines, 10) + " not matching --format"
	}
	if in.StructuredLines > 0 {
		s += ", " + strconv.FormatUint(in.StructuredLines, 10) + " JSON/logfmt"
	}
	if in.ContinuationLines > 0 {
		s += ", " + strconv.FormatUint(in.ContinuationLines, 10) + " continuation lines joined to their record"
	}
	if in.MalformedLines > 0 {
		s += ", " + strconv.FormatUint(in.MalformedLines, 10) + " malformed JSON/logfmt read as text"
	}
	line("  lines", s)
	if in.TimedLines > 0 {
		line("  time", formatTime(in.FirstSeen)+" .. "+formatTime(in.LastSeen)+" ("+formatDuration(in.LastSeen.Sub(in.FirstSeen))+")")
	} else {
		line("  time", "no timestamps found: no time series and no anomaly detection")
	}
	s = strconv.Itoa(in.Patterns) + " (" + strconv.Itoa(in.Signatures) + " signatures)"
	if in.EvictedSignatures > 0 {
		s += ", " + strconv.FormatUint(in.EvictedSignatures, 10) + " rare signatures evicted (" + strconv.FormatUint(in.EvictedLines, 10) + " lines)"
	}
	line("  patterns", s)
	if in.TimedLines > 0 {
		line("  interval", intervalText(in))
	}
	if in.Interrupted {
		line("  note", "interrupted: the report covers the lines read so far")
	}
	flush()

	io.WriteString(tw, "\nPATTERNS")
	if len(rep.Patterns) < in.Patterns {
		io.WriteString(tw, " (top "+strconv.Itoa(len(rep.Patterns))+" of "+strconv.Itoa(in.Patterns)+")")
	}
	io.WriteString(tw, "\n")
	if len(rep.Patterns) > 0 {
		line("  #", "COUNT", "SHARE", "BYTES", "LEVELS", "FIRST SEEN", "LAST SEEN", "RATE", "TEMPLATE")
	}
	for i, p := range rep.Patterns {
		tmpl := clip(p.Template)
		if len(p.ErrorTypes) > 0 {
			tmpl += "  [errors: " + formatCounts(p.ErrorTypes) + "]"
		}
		line("  "+strconv.Itoa(i+1), strconv.FormatUint(p.Count, 10), formatPercent(p.Share), formatBytes(float64(p.Bytes)),
			formatLevels(p.Levels, p.Count), formatTime(p.FirstSeen), formatTime(p.LastSeen), formatRate(p.Rate), tmpl)
	}
	flush()

	io.WriteString(tw, "\nCLUSTERS")
	if len(rep.Clusters) == 0 {
		io.WriteString(tw, ": none (no two patterns are related)\n")
	} else {
		io.WriteString(tw, " (related patterns)\n")
		line("  COUNT", "PATTERNS", "LABEL", "TEMPLATE (most frequent member)")
		for _, c := range rep.Clusters {
			line("  "+strconv.FormatUint(c.Count, 10), strconv.Itoa(len(c.Patterns)), logline.Printable(c.Label), clip(c.Template))
		}
	}
	flush()

	io.WriteString(tw, "\nANOMALIES")
	switch {
	case in.AnomalyEvents == 0:
		io.WriteString(tw, ": none\n")
	default:
		io.WriteString(tw, " ("+strconv.Itoa(in.AnomalyEvents)+" events")
		if in.AnomalyEvents > len(rep.Anomalies) {
			io.WriteString(tw, ", the first "+strconv.Itoa(len(rep.Anomalies))+" listed")
		}
		io.WriteString(tw, "; value and baseline are lines per bucket of SCALE)\n")
		line("  START", "TYPE", "SEVERITY", "SCALE", "VALUE", "BASELINE", "DETECTED", "END", "TEMPLATE")
		for _, e := range rep.Anomalies {
			end := "active"
			if !e.End.IsZero() {
				end = formatTime(e.End)
			}
			tmpl := clip(e.Template)
			if tmpl == "" {
				tmpl = "(all " + e.Level + " lines)"
			}
			line("  "+formatTime(e.Start), e.Type, e.Severity, formatInterval(time.Duration(e.Scale*float64(time.Second))), formatFloat(e.Value), formatFloat(e.Baseline),
				formatTime(e.Detected), end, tmpl)
		}
	}
	flush()

	io.WriteString(tw, "\nRECOMMENDED POLICY (target: keep "+formatPercent(rep.Projection.TargetKeepFraction)+" of the lines)\n")
	flush()
	var pb bytes.Buffer
	enc := json.NewEncoder(&pb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep.Policy); err != nil {
		return err
	}
	if _, err := w.Write(pb.Bytes()); err != nil {
		return err
	}

	pr := &rep.Projection
	io.WriteString(tw, "\nPROJECTION (at "+formatMoney(pr.PricePerGB)+" per GB")
	if !pr.Reachable {
		io.WriteString(tw, "; the target is not reachable: "+unreachableText(pr))
	}
	io.WriteString(tw, ")\n")
	io.WriteString(tw, "  "+projectionMethodText(pr)+"\n")
	line("  ", "TOTAL", "KEPT", "REDUCTION")
	line("  lines", strconv.FormatUint(pr.Lines, 10), strconv.FormatFloat(pr.KeptLines, 'f', 0, 64), formatPercent(pr.LineReduction))
	line("  bytes", formatBytes(float64(pr.Bytes)), formatBytes(pr.KeptBytes), formatPercent(pr.ByteReduction))
	line("  cost", formatMoney(pr.Cost), formatMoney(pr.KeptCost), formatMoney(pr.Savings)+" saved")
	if r := pr.Per30Days; r != nil {
		line("  bytes per 30 days", formatBytes(r.Bytes), formatBytes(r.KeptBytes), "")
		line("  cost per 30 days", formatMoney(r.Cost), formatMoney(r.KeptCost), formatMoney(r.Savings)+" saved")
	}
	if alt := pr.Alternative; alt != nil {
		io.WriteString(tw, "\nALTERNATIVE (meets the target by bounding the anomaly valve; not recommended: anomalies are no longer kept in full)\n")
		io.WriteString(tw, "  "+alternativeText(pr)+"\n")
	}
	return tw.Flush()
}

// unreachableText says why the target is not reachable.
func unreachableText(pr *Projection) string {
	if pr.Unreachable != "" {
		return pr.Unreachable
	}
	return "errors and the rate floor keep more"
}

// alternativeText describes the projection's alternative policy.
func alternativeText(pr *Projection) string {
	alt := pr.Alternative
	s := alt.Change + "; replayed: keeps " + strconv.FormatFloat(alt.KeptLines, 'f', 0, 64) + " of " +
		strconv.FormatUint(pr.Lines, 10) + " lines (" + formatPercent(1-alt.LineReduction) + ")"
	return s + "; --json gives its policy under projection.alternative"
}

// maxTextTemplate is the longest template the text tables show, in bytes;
// longer ones are cut at a UTF-8 boundary and end in "…".
const maxTextTemplate = 160

// clip shortens s to maxTextTemplate bytes.
//
// Non-printing bytes are escaped first (logline.Printable), so that a
// control byte or invalid UTF-8 cannot break the table or the terminal.
func clip(s string) string {
	s = logline.Printable(s)
	if len(s) <= maxTextTemplate {
		return s
	}
	i := maxTextTemplate
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// intervalOf returns the anomaly interval of the report.
func intervalOf(in *InputSummary) time.Duration {
	return time.Duration(in.AnomalyInterval * float64(time.Second))
}

// intervalText describes the anomaly interval and where it came from.
func intervalText(in *InputSummary) string {
	s := "anomalies counted per " + formatInterval(intervalOf(in))
	if in.AnomalyIntervalAuto {
		return s + " (chosen from the input's rate by --interval 0)"
	}
	return s + " (--interval; 0 chooses it from the input's rate)"
}

// projectionMethodText says how the projection was computed and, for a
// replay, which of the sampler's rules kept the lines.
func projectionMethodText(pr *Projection) string {
	if pr.Method != methodReplay {
		return "the policy's rates times the counts (the input cannot be read twice: first-N, windows and the anomaly valve not simulated)"
	}
	s := "the input replayed through the sampler with this policy (seed 1, as sample --seed 1)"
	if len(pr.KeptByReason) == 0 {
		return s
	}
	s += "; kept by"
	for i, k := range slices.Sorted(maps.Keys(pr.KeptByReason)) {
		if i > 0 {
			s += ","
		}
		s += " " + k + " " + strconv.FormatUint(pr.KeptByReason[k], 10)
	}
	return s
}
