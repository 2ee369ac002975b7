// Package generate computes a sampling policy from pattern statistics:
// [Policy] turns the volume of each pattern over a window ([Input]) into
// per-pattern rates that bring the kept volume to a [Target], keeping
// errors, new and anomalous patterns in full.
//
// The server runs it on the stats its services report, and the CLI's
// analyze command on a log file. It is a package of its own, apart from the
// policy model, so that a program that only samples does not build it.
package generate
