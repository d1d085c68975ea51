package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// TestAccProvider_accountGuardKnownOnlyAfterApply: an account list that depends on a resource
// yet to be created cannot guard a plan, which fails, naming the argument, before any
// SageMaker call.
func TestAccProvider_accountGuardKnownOnlyAfterApply(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	emu.AddPlan(emulator.PlanSpec{Name: "unknown-guard"})
	config := emu.providerConfigWith("allowed_account_ids = [terraform_data.account.output]") + `
resource "terraform_data" "account" {
  input = "123456789012"
}

data "sagemaker_training_plan" "test" {
  name = "unknown-guard"
}
`
	emu.ResetCalls()
	out, err := newTerraformCLI(t, config).run("plan", "-input=false")
	if err == nil || !errorMatching("allowed_account_ids is known only after apply", "needs it to be configured").MatchString(out) {
		t.Errorf("a plan with an unknown allowed_account_ids is not refused by name (err %v):\n%s", err, out)
	}
	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("the refused plan made %d SageMaker calls, want 0", n)
	}
}

// TestAccProvider_accountGuardsStopBeforeSageMaker pins that credentials for the wrong account
// never reach SageMaker, however the plan's ARN was found.
func TestAccProvider_accountGuardsStopBeforeSageMaker(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	emu.AddPlan(emulator.PlanSpec{Name: "guarded"})
	// The ARN comes from a lookup by name, as the docs recommend: it names whatever account the
	// credentials reach.
	config := func(guard string) string {
		return emu.providerConfigWith(guard) + `
data "sagemaker_training_plan" "test" {
  name = "guarded"
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = data.sagemaker_training_plan.test.arn
  requested_duration_hours = 24
}
`
	}
	var steps []resource.TestStep
	for _, tc := range []struct {
		guard string
		want  *regexp.Regexp
	}{
		{`allowed_account_ids = ["999999999999"]`, errorMatching("credentials for a disallowed AWS account", "account 123456789012, which allowed_account_ids does not list", "Nothing was read or bought")},
		{`forbidden_account_ids = ["123456789012"]`, errorMatching("credentials for a disallowed AWS account", "account 123456789012, which forbidden_account_ids lists")},
		{"allowed_account_ids = [\"123456789012\"]\n  skip_credentials_validation = true\n  skip_requesting_account_id = true", errorMatching("account ID unknown", "allowed_account_ids needs the account ID")},
		{"allowed_account_ids = [\"123456789012\"]\n  forbidden_account_ids = [\"999999999999\"]", errorMatching("Invalid Attribute Combination", "forbidden_account_ids", "allowed_account_ids")},
		{`allowed_account_ids = ["12345"]`, errorMatching("allowed_account_ids", "must be a 12-digit AWS account ID", `got: 12345`)},
	} {
		steps = append(steps, resource.TestStep{Config: config(tc.guard), PlanOnly: true, ExpectError: tc.want})
	}
	emu.ResetCalls()
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("refused accounts made %d SageMaker calls, want 0", n)
	}

	// The allowed account plans as usual.
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{
		{Config: config(`allowed_account_ids = ["123456789012"]`), PlanOnly: true, ExpectNonEmptyPlan: true},
	}})
	if n := emu.Calls(emulator.OpDescribeTrainingPlan); n == 0 {
		t.Error("the allowed account made no SageMaker call")
	}
	emu.expectPurchaseCalls(t, 0)
}

// TestAccProvider_copiedAWSProviderBlock plans and applies with the arguments a platform team's
// aws provider block has, and checks the role session they ask for.
func TestAccProvider_copiedAWSProviderBlock(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "copied"})
	config := emu.providerConfigWith(`
  sts_region          = "us-west-2"
  allowed_account_ids = ["123456789012"]
  max_retries         = 0
  retry_mode          = "standard"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/platform"
    session_name = "terraform"
  }

  assume_role {
    role_arn            = "arn:aws:iam::123456789012:role/gpu-capacity-buyer"
    session_name        = "terraform-capacity"
    duration            = "1h"
    external_id         = "ml-platform"
    source_identity     = "alice"
    policy_arns         = ["arn:aws:iam::aws:policy/AmazonSageMakerReadOnly"]
    tags                = { team = "ml-platform", cost-center = "4711" }
    transitive_tag_keys = ["team"]
  }
`) + durationConfig(planARN, 24, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, Check: emu.checkBoughtOnce}},
	})
	// Terraform configures the provider anew for each command, so each role is assumed more
	// than once; every buyer session must come from a platform session.
	platform, buyer := map[string]bool{}, map[string]emulator.RoleSession{}
	for _, s := range emu.RoleSessions() {
		switch s.RoleARN {
		case "arn:aws:iam::123456789012:role/platform":
			if s.Caller != emulator.DefaultAccessKeyID || s.SessionName != "terraform" {
				t.Errorf("platform role session = %+v, want it assumed with the provider's own key", s)
			}
			platform[s.AccessKeyID] = true
		case "arn:aws:iam::123456789012:role/gpu-capacity-buyer":
			buyer[s.AccessKeyID] = s
		}
	}
	if len(platform) == 0 || len(buyer) == 0 {
		t.Fatalf("the emulator issued %d platform and %d buyer sessions, want both roles assumed", len(platform), len(buyer))
	}
	for _, s := range buyer {
		if !platform[s.Caller] || s.SessionName != "terraform-capacity" || s.SourceIdentity != "alice" || s.ExternalID != "ml-platform" ||
			s.DurationSeconds != 3600 || s.Tags["team"] != "ml-platform" || s.Tags["cost-center"] != "4711" ||
			fmt.Sprint(s.TransitiveTagKeys) != "[team]" || fmt.Sprint(s.PolicyARNs) != "[arn:aws:iam::aws:policy/AmazonSageMakerReadOnly]" {
			t.Errorf("buyer role session = %+v, want it assumed with a platform session's credentials and every argument", s)
		}
	}
	// The purchase was signed by the last role of the chain.
	if signer := emu.Signer(emulator.OpExtendTrainingPlan); buyer[signer].AccessKeyID == "" {
		t.Errorf("the purchase was signed by %s, not by a gpu-capacity-buyer session", signer)
	}
}

// TestAccProvider_assumeRoleWithWebIdentity assumes a role with an OIDC token file, as CI does.
func TestAccProvider_assumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	emu.AddPlan(emulator.PlanSpec{Name: "oidc"})
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm1sL2NhcGFjaXR5In0.c2ln"), 0o600); err != nil {
		t.Fatal(err)
	}
	// No static keys: they would take precedence over the web identity, as in the aws provider.
	config := requiredProviders + fmt.Sprintf(`
provider "sagemaker" {
  region = %[1]q

  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/ci"
    session_name            = "github-actions"
    web_identity_token_file = %[2]q
    duration                = "30m"
  }

  endpoints {
    sagemaker = %[3]q
    sts       = %[3]q
  }
}

data "sagemaker_training_plan" "test" {
  name = "oidc"
}
`, emu.Config().Region, tokenFile, emu.url)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config}},
	})
	sessions := emu.RoleSessions()
	if len(sessions) == 0 {
		t.Fatal("the emulator issued no role session")
	}
	for _, s := range sessions {
		if s.Action != emulator.OpAssumeRoleWithWebIdentity || s.RoleARN != "arn:aws:iam::123456789012:role/ci" || s.SessionName != "github-actions" ||
			s.DurationSeconds != 1800 || s.WebIdentityToken != "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm1sL2NhcGFjaXR5In0.c2ln" {
			t.Errorf("role session = %+v", s)
		}
	}
	signer := emu.Signer(emulator.OpDescribeTrainingPlan)
	if !slices.ContainsFunc(sessions, func(s emulator.RoleSession) bool { return s.AccessKeyID == signer }) {
		t.Errorf("the plan lookup was signed by %s, not by a web identity session", signer)
	}
}
