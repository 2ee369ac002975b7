// Package benchutil holds what the project's benchmarks share: CPU time of
// the calling thread and of the process, and a loop over log lines that
// reports lines/s and CPU time per line. On a shared machine wall time
// mostly measures the other tenants, so benchmarks report CPU time next to
// it. It is imported by test files only.
package benchutil
