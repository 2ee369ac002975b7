package logline_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/logline"
)

func ExampleCompile() {
	f, err := logline.Compile(`<Date> <Time> <Level> \[<Process>\] <Component>: <Content>`)
	if err != nil {
		panic(err)
	}
	fields, ok := f.Parse("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.MRAppMaster: Created MRAppMaster")
	fmt.Println(ok, fields.Get("Level"), fields.Get("Process"))
	fmt.Println(fields.Content)
	fmt.Println(logline.FieldsTime(fields))
	// Output:
	// true INFO main
	// Created MRAppMaster
	// 2015-10-18 18:01:47.978 +0000 UTC
}

func ExampleDetect() {
	for _, line := range []string{
		"2024-03-05T10:20:30Z WARN disk at 91%",
		"Jun 14 15:16:01 combo sshd[19939]: session opened",
		"no header here",
	} {
		content, ts, level, ok := logline.Detect(line)
		fmt.Printf("%v %q %q %s\n", ok, level, content, ts.Format("Jan 2 15:04:05"))
	}
	// Output:
	// true "WARN" "disk at 91%" Mar 5 10:20:30
	// true "" "session opened" Jun 14 15:16:01
	// false "" "no header here" Jan 1 00:00:00
}

func ExampleTimeFields() {
	// OpenSSH's log_format puts the month in <Date> and the day in <Day>.
	names := []string{"Date", "Day", "Time", "Component", "Pid", "Content"}
	tf := logline.NewTimeFields(names)
	var years logline.YearRoller
	for _, values := range [][]string{
		{"Dec", "31", "23:59:58", "LabSZ", "24200", "a"},
		{"Jan", "1", "00:00:01", "LabSZ", "24200", "b"},
	} {
		t := years.Roll(tf.Time(values))
		fmt.Println(t.Format("2006-01-02 15:04:05"))
	}
	// Output:
	// 0000-12-31 23:59:58
	// 0001-01-01 00:00:01
}
