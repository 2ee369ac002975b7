// Package logline splits raw log lines into a header (timestamp, level,
// other fields) and the message content that the pattern engine mines.
//
// [Compile] turns a Loghub log_format string such as
// `<Date> <Time> <Level> \[<Process>\] <Component>: <Content>` into a line
// parser exactly as the Loghub reference loader does; [Detect] recognizes a
// common timestamp/level header without a format; [Parser] reads JSON and
// logfmt lines from their fields and gives them the pattern ID slogx gives
// the same record in-process; [Continues] and [Joiner] join the
// continuation lines of multi-line records (stack traces, dumps) to the
// record above. All run offline (the CLI), so [Compile] may use regexp;
// [Detect], [Parser] and [Continues] are byte scanners that do not
// allocate.
package logline
