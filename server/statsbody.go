package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/srex-dev/lipservice-go/policy"
)

// errTooManyPatterns stops the decoding of a stats report at the
// per-report pattern limit.
var errTooManyPatterns = errors.New("too many patterns")

// decodeStats reads a stats report body into rep as a stream, answering the
// request on failure: 413 for a body over the size limit or a patterns
// array longer than the per-report limit, 400 otherwise.
//
// The patterns array is read one element at a time and decoding stops at
// the first element beyond the limit, so the memory a report costs is
// bounded by the limit (about 130 bytes per decoded pattern plus its
// template) and by the body size (the decoder's buffer holds one element),
// whatever the number of elements the body carries. Decoding the whole
// body first would allocate a slice element for every "{}" of the body:
// 1.3 M elements, about 470 MB, in a 3.9 MB body.
//
// The accepted JSON is the one [policy.StatsReport] unmarshals, with
// unknown fields rejected and field names matched case-insensitively as
// encoding/json does, except that a repeated "patterns" field is rejected.
func (s *Server) decodeStats(w http.ResponseWriter, r *http.Request, rep *policy.StatsReport) bool {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := streamStats(dec, rep, s.cfg.maxPatterns)
	if err == nil {
		if dec.More() {
			err = errors.New("trailing data after the JSON object")
		} else {
			_, err = io.Copy(io.Discard, r.Body) // surface an over-limit tail
		}
	}
	if err == nil {
		return true
	}
	if errors.Is(err, errTooManyPatterns) {
		writeError(w, http.StatusRequestEntityTooLarge, "more than "+strconv.Itoa(s.cfg.maxPatterns)+" patterns in one report")
		return false
	}
	s.bodyError(w, err)
	return false
}

// streamStats decodes one JSON object from dec into rep, reading at most
// maxPatterns elements of its patterns array (errTooManyPatterns beyond).
func streamStats(dec *json.Decoder, rep *policy.StatsReport, maxPatterns int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("the body must be a JSON object")
	}
	if err := streamFields(dec, rep, maxPatterns); err != io.EOF {
		return err
	}
	return io.ErrUnexpectedEOF // the body ended inside the object
}

// streamFields decodes the fields of the object whose '{' was read, and
// its closing '}'.
func streamFields(dec *json.Decoder, rep *policy.StatsReport, maxPatterns int) error {
	seenPatterns := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string) // object keys are strings
		switch {
		case strings.EqualFold(key, "patterns"):
			if seenPatterns {
				return errors.New(`field "patterns" given twice`)
			}
			seenPatterns = true
			err = streamPatterns(dec, rep, maxPatterns)
		case strings.EqualFold(key, "service_name"):
			err = dec.Decode(&rep.ServiceName)
		case strings.EqualFold(key, "team_id"):
			err = dec.Decode(&rep.TeamID)
		case strings.EqualFold(key, "timestamp"):
			err = dec.Decode(&rep.Timestamp)
		case strings.EqualFold(key, "total_logs"):
			err = dec.Decode(&rep.TotalLogs)
		case strings.EqualFold(key, "unique_patterns"):
			err = dec.Decode(&rep.UniquePatterns)
		case strings.EqualFold(key, "signature_version"):
			err = dec.Decode(&rep.SignatureVersion)
		default:
			err = errors.New("json: unknown field " + strconv.Quote(key))
		}
		if err != nil {
			if e := (*json.UnmarshalTypeError)(nil); errors.As(err, &e) {
				err = errors.New("field " + strconv.Quote(key) + ": " + err.Error())
			}
			return err
		}
	}
	_, err := dec.Token() // the closing '}'
	return err
}

// streamPatterns decodes the patterns array (or null) into rep.Patterns,
// one element at a time, failing with errTooManyPatterns before it decodes
// element maxPatterns+1.
func streamPatterns(dec *json.Decoder, rep *policy.StatsReport, maxPatterns int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		rep.Patterns = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errors.New(`field "patterns" must be an array`)
	}
	// The elements go into chunks, each as long as all the earlier ones
	// together (16 at first, at most patternChunk), copied once into a
	// slice of the exact length at the end: about 2 × 128 bytes per
	// pattern in all, where append's growth of one slice would allocate
	// about 5 × as much at 10 000 patterns.
	var chunks [][]policy.PatternReport
	n := 0
	for dec.More() {
		if n >= maxPatterns {
			return errTooManyPatterns
		}
		if len(chunks) == 0 || len(chunks[len(chunks)-1]) == cap(chunks[len(chunks)-1]) {
			chunks = append(chunks, make([]policy.PatternReport, 0, min(max(n, 16), patternChunk, maxPatterns-n)))
		}
		c := &chunks[len(chunks)-1]
		*c = append(*c, policy.PatternReport{})
		if err := dec.Decode(&(*c)[len(*c)-1]); err != nil {
			return err
		}
		n++
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return err
	}
	rep.Patterns = make([]policy.PatternReport, 0, n)
	for _, c := range chunks {
		rep.Patterns = append(rep.Patterns, c...)
	}
	return nil
}

// patternChunk is the largest number of patterns in a chunk of
// [streamPatterns]: 64 KiB of 128-byte PatternReports.
const patternChunk = 512
