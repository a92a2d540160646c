package importer

import (
	"os"
	"testing"

	"hearth/backend/childtest"
)

// hostileFileEnv names the file a TestHostileFileChild process reads (hostile_test.go).
const hostileFileEnv = "HEARTH_HOSTILE_FILE"

func TestMain(m *testing.M) {
	os.Exit(childtest.Run(m, map[string]string{"TestHostileFileChild": hostileFileEnv}))
}
