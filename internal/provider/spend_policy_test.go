package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// guardrailsExamples holds the policy, its limits and the expiry check the spend guide shows.
const guardrailsExamples = "../../examples/guardrails"

// TestAccSpendPolicy_opa runs the guide's policy with opa eval on saved plans of the emulator:
// one allowed, and one denied for each rule.
func TestAccSpendPolicy_opa(t *testing.T) {
	t.Parallel()
	opa := os.Getenv("OPA")
	if opa == "" {
		t.Fatal("no OPA CLI: set OPA or run make test, which installs one")
	}
	emu := startEmulator(t, emulator.Config{})
	var plans []string
	for i := range 3 {
		plans = append(plans, emu.AddPlan(emulator.PlanSpec{Name: fmt.Sprintf("policed-%d", i)}))
	}
	// A week of 8 instances costs 16517.76 USD; the guide's limits allow 50000 USD, USD only,
	// and two weeks per extension.
	weekOf := func(name, planARN string, hours int) string {
		return fmt.Sprintf("\nresource \"sagemaker_training_plan_extension\" %q {\n  training_plan_arn        = %q\n  requested_duration_hours = %d\n}\n", name, planARN, hours)
	}
	for _, c := range []struct {
		name, config string
		limits       string
		denied       []string
	}{
		{name: "allowed", config: weekOf("a", plans[0], 168) + weekOf("b", plans[1], 168)},
		{name: "over the total", config: weekOf("a", plans[0], 336) + weekOf("b", plans[1], 168), denied: []string{"the plan buys training plan extensions for 49553.28 USD in all; a plan may spend at most 40000"},
			limits: `{"limits": {"max_total_upfront_fee": 40000}}`},
		{name: "another currency", config: weekOf("a", plans[0], 168), denied: []string{"sagemaker_training_plan_extension.a buys in USD; purchases must be in EUR"},
			limits: `{"limits": {"currency_code": "EUR"}}`},
		{name: "too long", config: weekOf("a", plans[0], 504), denied: []string{"sagemaker_training_plan_extension.a buys 504 hours; an extension may be at most 336 hours"}},
		{name: "offering from the data source", config: offeringsConfig(plans[2], "duration_hours = 336") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "c" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id
}
`, plans[2]), limits: `{"limits": {"max_total_upfront_fee": 30000}}`, denied: []string{"the plan buys training plan extensions for 33035.52 USD in all; a plan may spend at most 30000"}},
		{name: "quote chosen at apply", config: strings.TrimPrefix(blindConfig(emu, "policed-0", `max_upfront_fee = "60000"`), emu.providerConfig()),
			denied: []string{"the plan buys training plan extensions for 60000 USD in all; a plan may spend at most 50000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cli := newTerraformCLI(t, emu.providerConfig()+c.config)
			cli.mustRun("plan", "-input=false", "-out=tfplan")
			cli.writeFile("tfplan.json", cli.mustRun("show", "-json", "tfplan"))
			args := []string{"eval", "--format", "json", "-d", filepath.Join(guardrailsExamples, "sagemaker_extensions.rego"), "-i", filepath.Join(cli.dir, "tfplan.json")}
			if c.limits != "" {
				cli.writeFile("limits.json", c.limits)
				args = append(args, "-d", filepath.Join(cli.dir, "limits.json"))
			}
			out, err := exec.Command(opa, append(args, "data.sagemaker.extensions.deny")...).CombinedOutput()
			if err != nil {
				t.Fatalf("opa eval: %v\n%s", err, out)
			}
			var result struct {
				Result []struct {
					Expressions []struct{ Value []string } `json:"expressions"`
				} `json:"result"`
			}
			if err := json.Unmarshal(out, &result); err != nil || len(result.Result) != 1 || len(result.Result[0].Expressions) != 1 {
				t.Fatalf("opa eval printed %s (%v)", out, err)
			}
			denied := result.Result[0].Expressions[0].Value
			slices.Sort(denied)
			if !slices.Equal(denied, c.denied) {
				t.Errorf("the policy denies %q, want %q", denied, c.denied)
			}
		})
	}
	emu.expectPurchaseCalls(t, 0)
}

// TestAccSpendGuard_expiryCheck plans the guide's check block against a training plan that ends
// in 3 days, which warns, and one that ends in 30, which does not. Neither buys anything.
func TestAccSpendGuard_expiryCheck(t *testing.T) {
	t.Parallel()
	check, err := os.ReadFile(filepath.Join(guardrailsExamples, "expiry-check.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		endsIn time.Duration
		warns  bool
	}{{3 * 24 * time.Hour, true}, {30 * 24 * time.Hour, false}} {
		emu := startEmulator(t, emulator.Config{})
		emu.AddPlan(emulator.PlanSpec{Name: "llm-pretraining", Start: time.Now().Add(-10 * 24 * time.Hour), Duration: 10*24*time.Hour + c.endsIn})
		out := newTerraformCLI(t, emu.providerConfig()+string(check)).mustRun("plan", "-input=false")
		warned := errorMatching("Check block assertion failed", "Training plan llm-pretraining ends at", "within 14 days", "Extend it with a sagemaker_training_plan_extension").MatchString(out)
		if warned != c.warns {
			t.Errorf("a plan ending in %s: warned %v, want %v:\n%s", c.endsIn, warned, c.warns, out)
		}
		emu.expectPurchaseCalls(t, 0)
	}
}
