package smtp_test

import (
	"os"
	"testing"

	"hearth/backend/childtest"
)

func TestMain(m *testing.M) {
	os.Exit(childtest.Run(m, map[string]string{"TestKilledSendChild": killChildDir, "TestKilledOnceChild": onceChildDir}))
}
