package anomaly

import "errors"

// ErrInvalidOption is returned by [New] and [Thresholds.Validate] for an
// option value outside its documented range. The returned error wraps it and
// names the field: test for it with errors.Is.
var ErrInvalidOption = errors.New("anomaly: invalid option")
