package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/srex-dev/lipservice-go/signature"
)

// MaxDocumentBytes is the largest policy document [Load] reads. A full
// pattern_rates table ([MaxPatternRates] entries) takes about 2 MiB.
const MaxDocumentBytes = 8 << 20

// Parse decodes a JSON policy document and validates it. Errors match
// [ErrInvalidPolicy]; a failed validation is a *[ValidationError].
// Unknown top-level fields are ignored unless they look like a misspelled
// policy field (global_rat, targetPerSecond), which is an error naming the
// field; unknown fields inside exempt are an error (see the package
// documentation).
func Parse(data []byte) (*Policy, error) {
	p := new(Policy)
	if err := json.Unmarshal(data, p); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, ve
		}
		return nil, fmt.Errorf("%w: decode: %w", ErrInvalidPolicy, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Load reads and parses the policy file at path (see [Parse]). A file
// larger than [MaxDocumentBytes] is rejected with [ErrInvalidPolicy]; I/O
// errors are returned wrapped with the path.
func Load(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: load: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("policy: load %s: %w", path, err)
	}
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: %s: larger than %d bytes", ErrInvalidPolicy, path, MaxDocumentBytes)
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("policy: load %s: %w", path, err)
	}
	return p, nil
}

// wirePolicy is the JSON shape of a Policy, with the parts that need
// field-named errors or strict decoding left raw.
type wirePolicy struct {
	Version         int64              `json:"version"`
	GlobalRate      *float64           `json:"global_rate"`
	SeverityRates   map[string]float64 `json:"severity_rates"`
	PatternRates    map[string]float64 `json:"pattern_rates"`
	PatternMap      map[string]string  `json:"pattern_map"`
	AnomalyBoost    float64            `json:"anomaly_boost"`
	Reasoning       string             `json:"reasoning"`
	GeneratedBy     string             `json:"generated_by"`
	LLMModel        string             `json:"llm_model"`
	FirstN          *int               `json:"first_n"`
	WindowSeconds   float64            `json:"window_seconds"`
	Exempt          json.RawMessage    `json:"exempt"`
	TargetPerSecond float64            `json:"target_per_second"`
	DryRun          bool               `json:"dry_run"`
	SigVersion      int                `json:"signature_version"`
}

// UnmarshalJSON decodes the wire form described in the package
// documentation into p, replacing its contents. It does not validate rates
// (use [Parse] or [Policy.Validate]) but rejects signature keys that are not
// 16 hex digits, unknown fields inside exempt and top-level keys that look
// like a misspelled field, with a *[ValidationError].
func (p *Policy) UnmarshalJSON(data []byte) error {
	var w wirePolicy
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return err
	}
	for k := range keys {
		if name := misspelled(k); name != "" {
			return &ValidationError{Field: k, Reason: "unknown field (did you mean " + strconv.Quote(name) + "?)"}
		}
	}
	np := Policy{
		Version:          w.Version,
		GlobalRate:       w.GlobalRate,
		SeverityRates:    w.SeverityRates,
		AnomalyBoost:     w.AnomalyBoost,
		Reasoning:        w.Reasoning,
		GeneratedBy:      w.GeneratedBy,
		LLMModel:         w.LLMModel,
		FirstN:           w.FirstN,
		WindowSeconds:    w.WindowSeconds,
		TargetPerSecond:  w.TargetPerSecond,
		DryRun:           w.DryRun,
		SignatureVersion: w.SigVersion,
	}
	if w.PatternRates != nil {
		np.PatternRates = make(map[signature.Sig]float64, len(w.PatternRates))
		for k, r := range w.PatternRates {
			sig, err := signature.Parse(k)
			if err != nil {
				return &ValidationError{Field: "pattern_rates[" + k + "]", Reason: "key is not a 16-hex-digit signature"}
			}
			np.PatternRates[sig] = r
		}
	}
	if w.PatternMap != nil {
		np.PatternMap = make(map[signature.Sig]signature.Sig, len(w.PatternMap))
		for k, v := range w.PatternMap {
			sig, err := signature.Parse(k)
			if err != nil {
				return &ValidationError{Field: "pattern_map[" + k + "]", Reason: "key is not a 16-hex-digit signature"}
			}
			id, err := signature.Parse(v)
			if err != nil {
				return &ValidationError{Field: "pattern_map[" + k + "]", Reason: "value is not a 16-hex-digit signature"}
			}
			np.PatternMap[sig] = id
		}
	}
	if len(w.Exempt) > 0 && !bytes.Equal(bytes.TrimSpace(w.Exempt), []byte("null")) {
		dec := json.NewDecoder(bytes.NewReader(w.Exempt))
		dec.DisallowUnknownFields()
		var e Exemptions
		if err := dec.Decode(&e); err != nil {
			return &ValidationError{Field: "exempt", Reason: err.Error()}
		}
		np.Exempt = &e
	}
	*p = np
	return nil
}
