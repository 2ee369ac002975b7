// Package logline splits raw log lines into a header (timestamp, level,
// other fields) and the message content that the pattern engine mines.
//
// [Compile] turns a Loghub log_format string such as
// `<Date> <Time> <Level> \[<Process>\] <Component>: <Content>` into a line
// parser exactly as the Loghub reference loader does; [Detect] recognizes a
// common timestamp/level header without a format. Both run offline (the CLI),
// so [Compile] may use regexp; [Detect] is a byte scanner.
package logline
