// Package loggen generates a seeded, reproducible stream of realistic service
// log lines with incidents injected at known times, together with the ground
// truth of every line (its template, its level, and the incident it belongs
// to).
//
// It is the input of the sampling-quality harness (internal/quality) and of
// the CLI's sample fixtures: the same seed always produces byte-identical
// lines, so a quality table or a golden file can be reproduced anywhere.
//
// # The simulated service
//
// An e-commerce API with 46 templates (see [Generator.Templates]):
//
//   - 30 regular templates whose mean rates follow a Zipf law (rank k gets a
//     share proportional to 1/k^1.2), so a few chatty INFO/DEBUG templates
//     carry most of the volume;
//   - 3 uncommon and 5 background WARN/ERROR templates at fixed low rates
//     (steady background errors);
//   - 6 rare templates that occur only 1 to 4 times in the whole stream;
//   - 2 templates that exist only inside an incident (a brand-new WARN and a
//     brand-new ERROR).
//
// Messages carry printf-style variables: ids, hex and UUID identifiers,
// durations, IP addresses and ports, host names, e-mail addresses, user
// names, money amounts and paths.
//
// # Incidents
//
// Five incidents are placed at fixed fractions of the duration D (see
// [Generator.Incidents]): a chatty pattern spiking 20× (0.25 D, for 0.05 D),
// an error surge of two background ERROR templates 40× (0.45 D, for
// 0.075 D), a brand-new WARN template (0.60 D, for 0.10 D), a brand-new ERROR
// template (0.75 D, for 0.05 D) and a chatty pattern going silent (0.85 D to
// the end).
//
// # Line layout
//
// Every line is "<RFC 3339 time, milliseconds, UTC> <LEVEL> <message>", for
// example
//
//	2026-03-14T10:00:00.123Z INFO cache miss for key product:4821, loading from database
//
// Arrivals are Poisson: for every simulated second and template the count is
// drawn from a Poisson law with the template's current rate, and arrival
// times are uniform within the second at millisecond resolution; lines are
// emitted in time order.
package loggen
