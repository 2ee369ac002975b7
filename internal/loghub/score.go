package loghub

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
)

// Scores are the metrics of RESULTS.md section 4, each in [0, 1].
type Scores struct{ GA, PA, FGA, FTA float64 }

// Score computes GA, PA, FGA and FTA of the predicted templates pred
// against the ground truth truth (one template per line, same length), with
// template strings as labels on both sides, exactly as RESULTS.md section 4
// defines them:
//
//	GA  = lines of ground-truth groups whose lines are exactly a predicted group / N
//	PA  = lines whose predicted template equals the true one / N
//	FGA = F1 of the groups counted by GA (precision over predicted groups,
//	      recall over true groups)
//	FTA = F1 of the predicted groups whose every line has that template as truth
func Score(truth, pred []string) Scores {
	n := len(truth)
	if n == 0 {
		return Scores{}
	}
	gLines := map[string][]int{}
	pLines := map[string][]int{}
	for i := range truth {
		gLines[truth[i]] = append(gLines[truth[i]], i)
		pLines[pred[i]] = append(pLines[pred[i]], i)
	}
	correctLines, k := 0, 0
	for _, lines := range gLines {
		p := pred[lines[0]]
		ok := len(pLines[p]) == len(lines)
		for _, i := range lines {
			if pred[i] != p {
				ok = false
				break
			}
		}
		if ok {
			correctLines += len(lines)
			k++
		}
	}
	var s Scores
	s.GA = float64(correctLines) / float64(n)
	pga, rga := float64(k)/float64(len(pLines)), float64(k)/float64(len(gLines))
	if pga+rga > 0 {
		s.FGA = 2 * pga * rga / (pga + rga)
	}
	exact := 0
	for i := range truth {
		if truth[i] == pred[i] {
			exact++
		}
	}
	s.PA = float64(exact) / float64(n)
	c := 0
	for p, lines := range pLines {
		ok := true
		for _, i := range lines {
			if truth[i] != p {
				ok = false
				break
			}
		}
		if ok {
			c++
		}
	}
	pta, rta := float64(c)/float64(len(pLines)), float64(c)/float64(len(gLines))
	if pta+rta > 0 {
		s.FTA = 2 * pta * rta / (pta + rta)
	}
	return s
}

// Truth returns the corrected ground-truth template of every line of
// system (e.g. "HDFS") in the corpus at dir: the EventTemplate column of
// <dir>/<system>/<system>_2k.log_structured_corrected.csv. A missing file
// is reported with an error matching os.ErrNotExist.
func Truth(dir, system string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, system, system+"_2k.log_structured_corrected.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("loghub: %s: %w", system, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("loghub: %s: empty ground truth", system)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "EventTemplate" {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("loghub: %s: no EventTemplate column", system)
	}
	truth := make([]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		truth = append(truth, r[col])
	}
	return truth, nil
}
