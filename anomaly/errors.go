package anomaly

import (
	"errors"
	"fmt"
)

// ErrInvalidOption is returned by [New] and [Thresholds.Validate] for an
// option value outside its documented range. The returned error wraps it and
// names the field: test for it with errors.Is.
var ErrInvalidOption = errors.New("anomaly: invalid option")

// panicError is the error of a panic recovered inside the detector (see
// [Detector.ObserveSafe]); an error panic value is wrapped.
func panicError(p any) error {
	if err, ok := p.(error); ok {
		return fmt.Errorf("anomaly: panic: %w", err)
	}
	return fmt.Errorf("anomaly: panic: %v", p)
}
