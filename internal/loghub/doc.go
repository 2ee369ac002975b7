// Package loghub scores mined templates against the Loghub-2k ground truth:
// the GA, PA, FGA and FTA metrics of the corpus's RESULTS.md (section 4),
// the reading of a system's corrected templates, and the reading of the
// project's hand-labelled sample files (ReadSamples). The corpus ships
// outside the repository (../shared/loghub2k); the accuracy tests of the
// cluster and logline packages share this code so that every table in the
// project is scored the same way. It is imported by test files only.
package loghub
