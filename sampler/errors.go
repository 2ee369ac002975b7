package sampler

import "fmt"

// panicError turns a recovered panic value from a user callback into an
// error for the error handler.
func panicError(what string, p any) error {
	if err, ok := p.(error); ok {
		return fmt.Errorf("sampler: %s panicked: %w", what, err)
	}
	return fmt.Errorf("sampler: %s panicked: %v", what, p)
}
