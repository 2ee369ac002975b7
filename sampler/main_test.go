package sampler_test

import (
	"testing"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }
