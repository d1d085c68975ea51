package provider

import (
	"fmt"
	"testing"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// TestAccProvider_oneCallerIdentityPerRun pins that configuring the provider validates the
// credentials and learns the account with one STS call, and makes none when told to skip both.
// (skip_credentials_validation alone asks IAM first, as the aws provider does, which would send
// a request beyond the emulator.)
func TestAccProvider_oneCallerIdentityPerRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		skip string
		want int
	}{
		{"", 1},
		{"skip_requesting_account_id = true", 1},
		{"skip_credentials_validation = true\n  skip_requesting_account_id = true", 0},
	} {
		t.Run(tc.skip, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Config{})
			emu.AddPlan(emulator.PlanSpec{Name: "sts"})
			cli := newTerraformCLI(t, emu.providerConfigWith(tc.skip)+`
data "sagemaker_training_plan" "test" {
  name = "sts"
}
`)
			emu.ResetCalls()
			cli.mustRun("plan", "-input=false")
			if n := emu.Calls(emulator.OpGetCallerIdentity); n != tc.want {
				t.Errorf("one plan made %d STS GetCallerIdentity calls, want %d", n, tc.want)
			}
			if n := emu.Calls(emulator.OpDescribeTrainingPlan); n != 1 {
				t.Errorf("one plan made %d DescribeTrainingPlan calls, want 1", n)
			}
		})
	}
}

// TestAccProvider_missingRegionBeforeCredentials pins that a missing Region is reported as
// such, before any credential check.
func TestAccProvider_missingRegionBeforeCredentials(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	emu := startEmulator(t, emulator.Config{})
	config := requiredProviders + fmt.Sprintf(`
provider "sagemaker" {
  access_key = %[1]q
  secret_key = %[2]q
  endpoints {
    sagemaker = %[3]q
    sts       = %[3]q
  }
}

data "sagemaker_training_plan" "test" {
  name = "any"
}
`, emu.Config().AccessKeyID, emu.Config().SecretAccessKey, emu.url)
	out, err := newTerraformCLI(t, config).run("plan", "-input=false")
	if err == nil || !errorMatching("missing AWS Region", "Set region in the provider block").MatchString(out) {
		t.Errorf("plan without a Region: %v\n%s", err, out)
	}
	if n := emu.Calls(emulator.OpGetCallerIdentity); n != 0 {
		t.Errorf("STS was called %d times without a Region, want 0", n)
	}
}
