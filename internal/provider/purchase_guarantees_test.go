package provider

// The money guarantees beyond one provider process, one search and one apply: each test drives
// the real Terraform CLI the way a platform team does, and counts the emulator's purchases.

import (
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// alreadyBought matches the ways a purchase of hours bought since its plan is refused: by the
// fresh read of the history before buying, by Terraform when the apply's plan finds the training
// plan's end moved, or because the quote the plan showed is no longer offered.
var alreadyBought = regexp.MustCompile(`(?s)(are\s+already\s+covered\s+by\s+extension.*Nothing\s+was\s+bought|Provider produced inconsistent final plan.*\.start_date|is\s+no\s+longer\s+offered.*Nothing\s+was\s+bought)`)

// expectNoHoursPaidTwice fails the test when two extensions of a plan, not failed, cover the
// same hours.
func (e *testEmulator) expectNoHoursPaidTwice(t *testing.T, planARN string) {
	t.Helper()
	if pairs := e.Overlaps(planARN); len(pairs) > 0 {
		t.Errorf("extensions of %s cover the same hours: %v", planARN, pairs)
	}
}

// TestAccPurchaseGuarantee_twoProviderConfigurationsNeverBuyTheSameHours: two provider
// configurations are two provider processes, which share no memory. Each buys 48 hours of the
// same plan in one apply: one buys, the other sees those hours bought and buys nothing.
func TestAccPurchaseGuarantee_twoProviderConfigurationsNeverBuyTheSameHours(t *testing.T) {
	for _, declared := range []string{"requested duration", "offerings data source"} {
		t.Run(declared, func(t *testing.T) {
			forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
				emu := startEmulator(t, cfg)
				planARN := emu.AddPlan(emulator.PlanSpec{Name: "aliases"})
				config := requiredProviders + emu.providerBlock(`alias = "a"`) + emu.providerBlock(`alias = "b"`)
				for _, alias := range []string{"a", "b"} {
					if declared == "requested duration" {
						config += fmt.Sprintf(`
resource "sagemaker_training_plan_extension" %[1]q {
  provider                 = sagemaker.%[1]s
  training_plan_arn        = %[2]q
  requested_duration_hours = 48
}
`, alias, planARN)
						continue
					}
					config += fmt.Sprintf(`
data "sagemaker_training_plan_extension_offerings" %[1]q {
  provider          = sagemaker.%[1]s
  training_plan_arn = %[2]q
  duration_hours    = 48
}

resource "sagemaker_training_plan_extension" %[1]q {
  provider                            = sagemaker.%[1]s
  training_plan_arn                   = %[2]q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.%[1]s.offerings[0].training_plan_extension_offering_id

  lifecycle {
    ignore_changes = [training_plan_extension_offering_id]
  }
}
`, alias, planARN)
				}
				cli := newPluginTerraformCLI(t, config)
				out, err := cli.run("apply", "-auto-approve", "-input=false")
				// The second configuration buys nothing: its purchase is refused when its create is
				// planned again during apply and finds the plan's end moved (Terraform's
				// "inconsistent final plan"), or, when that plan came first, by the fresh read of
				// the history under the purchase lock. When AWS quoted both configurations the
				// same offering ID, the second adopts the first's purchase of it.
				adopted := errorMatching("SageMaker training plan extension (", ") adopted").MatchString(out)
				if !adopted && (err == nil || !alreadyBought.MatchString(out)) {
					t.Errorf("the second purchase of the same hours was neither refused nor adopted (err %v):\n%s", err, out)
				}
				emu.expectPurchases(t, 1)
				emu.expectNoHoursPaidTwice(t, planARN)
			})
		})
	}
}

// TestAccPurchaseGuarantee_savedPlanAfterAnOutsidePurchaseBuysNothing: someone buys the hours a
// saved plan shows (another workspace, the console) before it is applied, with a quote of
// their own, and AWS keeps the saved plan's quote on sale. The apply buys nothing.
func TestAccPurchaseGuarantee_savedPlanAfterAnOutsidePurchaseBuysNothing(t *testing.T) {
	for _, declared := range []string{"offerings data source", "requested duration"} {
		t.Run(declared, func(t *testing.T) {
			forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
				emu := startEmulator(t, cfg)
				planARN := emu.AddPlan(emulator.PlanSpec{Name: "saved-plan"})
				config := dataSourceExtensionConfig(emu, planARN, "")
				if declared == "requested duration" {
					config = emu.providerConfig() + durationConfig(planARN, 24, "")
				}
				cli := newTerraformCLI(t, config)
				cli.mustRun("plan", "-input=false", "-out=tfplan")
				if _, err := emu.BuyWindow(planARN, 24); err != nil {
					t.Fatal(err)
				}
				out, err := cli.run("apply", "-input=false", "tfplan")
				if err == nil || !alreadyBought.MatchString(out) {
					t.Errorf("the saved plan's apply did not refuse hours bought since (err %v):\n%s", err, out)
				}
				emu.expectPurchases(t, 1)
				emu.expectNoHoursPaidTwice(t, planARN)
			})
		})
	}
}

// TestAccPurchaseGuarantee_oneRunBuysOneExtensionPerPlan: AWS quotes extensions only from a
// plan's current end, so several resources buying from one plan in one run would all buy the
// same hours. The plan refuses them before anything is bought, and says what to declare.
func TestAccPurchaseGuarantee_oneRunBuysOneExtensionPerPlan(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "counted"})
	counted := func(count, hours int) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  count                    = %d
  training_plan_arn        = %q
  requested_duration_hours = %d
}
`, count, planARN, hours)
	}
	byOffering := emu.providerConfig() + offeringsConfig(planARN, "") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  count                               = 2
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[count.index].training_plan_extension_offering_id
}
`, planARN)
	refused := errorMatching("two purchases of the same hours", "AWS quotes extensions only from the current end of a training plan",
		"Nothing was bought", "declare one extension of the total length")

	// Their training plans known only after apply, two purchases may be for the same plan.
	blindPair := strings.Replace(strings.Replace(blindConfig(emu, "counted", `max_upfront_fee = "20000"`),
		"resource \"sagemaker_training_plan_extension\" \"test\" {", "resource \"sagemaker_training_plan_extension\" \"test\" {\n  count = 2", 1),
		"requested_duration_hours = 168", "requested_duration_hours = 24", 1)
	for _, config := range []string{counted(3, 48), byOffering, blindPair} {
		cli := newTerraformCLI(t, config)
		if out, err := cli.run("plan", "-input=false"); err == nil || !refused.MatchString(out) {
			t.Errorf("the plan does not refuse two purchases of the same hours (err %v):\n%s", err, out)
		}
		if out, err := cli.run("apply", "-auto-approve", "-input=false"); err == nil || !refused.MatchString(out) {
			t.Errorf("the apply does not refuse two purchases of the same hours (err %v):\n%s", err, out)
		}
	}
	emu.expectPurchaseCalls(t, 0)

	// What the error suggests: one extension of the total length.
	newTerraformCLI(t, counted(1, 144)).mustRun("apply", "-auto-approve", "-input=false")
	emu.expectPurchases(t, 1)
	emu.expectNoHoursPaidTwice(t, planARN)
}

// TestAccPurchaseGuarantee_unconfirmedPurchaseSettlesInTheNextApply: the connection drops before
// AWS acts, so nothing is bought, but the provider cannot know that. The apply keeps the
// offering in state and says so; the next plan shows the purchase of the same offering, and
// the next apply buys it once.
func TestAccPurchaseGuarantee_unconfirmedPurchaseSettlesInTheNextApply(t *testing.T) {
	for _, declared := range []string{"requested duration", "offerings data source"} {
		t.Run(declared, func(t *testing.T) {
			forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
				emu := startEmulator(t, cfg)
				planARN := emu.AddPlan(emulator.PlanSpec{Name: "unconfirmed"})
				emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultReset, Times: 1})
				config := dataSourceExtensionConfig(emu, planARN, "")
				if declared == "requested duration" {
					config = emu.providerConfig() + durationConfig(planARN, 24, "")
				}
				cli := newTerraformCLI(t, config)

				out := cli.mustRun("apply", "-auto-approve", "-input=false")
				if !errorMatching("purchase unconfirmed", "got no clear answer from AWS", "The next plan settles it").MatchString(out) {
					t.Errorf("the apply does not say the purchase is unconfirmed:\n%s", out)
				}
				offering := cli.offeringInState()
				emu.expectPurchases(t, 0)

				out, err := cli.run("plan", "-input=false", "-detailed-exitcode")
				if exitCode(err) != 2 || !errorMatching(extensionAddr+" will be updated in-place", "Plan: 0 to add, 1 to change",
					"this plan buys a SageMaker training plan extension", "Applying buys offering "+offering, "AWS never confirmed it").MatchString(out) {
					t.Errorf("the next plan does not show the purchase of the same offering (exit %d):\n%s", exitCode(err), out)
				}
				cli.mustRun("apply", "-auto-approve", "-input=false")
				emu.expectPurchases(t, 1)
				if !emu.HasExtension(planARN, offering) {
					t.Errorf("the plan's history lacks offering %s, the one the first apply sent", offering)
				}
				if got := cli.offeringInState(); got != offering {
					t.Errorf("state holds offering %s, want %s", got, offering)
				}
				if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
					t.Errorf("a plan after the settled purchase is not empty (exit %d):\n%s", exitCode(err), out)
				}
				emu.expectPurchaseCalls(t, 2)
			})
		})
	}
}

// TestAccPurchaseGuarantee_lateAnswerIsAdoptedByTheNextRefresh: a purchase that answers after
// the attempt's bound is reconciled, found missing, and kept unconfirmed; AWS completes it a
// little later, and the next refresh adopts it: nothing is bought again.
func TestAccPurchaseGuarantee_lateAnswerIsAdoptedByTheNextRefresh(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "late"})
	// Longer than the tests' five-second attempt bound and four seconds of reconciliation.
	const lateBy = 12 * time.Second
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultLatency, Latency: lateBy, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))

	started := time.Now()
	out := cli.mustRun("apply", "-auto-approve", "-input=false")
	if !errorMatching("purchase unconfirmed", "context deadline exceeded").MatchString(out) {
		t.Errorf("the apply does not say the purchase is unconfirmed:\n%s", out)
	}
	if took := time.Since(started); took >= lateBy {
		t.Errorf("the apply waited %s for a purchase that answers after %s: the attempt is not bounded", took, lateBy)
	}
	// AWS completes the purchase lateBy after it arrived, which is some time after the apply
	// started: wait for it rather than for a fixed time.
	for deadline := started.Add(2 * lateBy); emu.Purchases() == 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	emu.expectPurchases(t, 1)
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan after AWS completed the purchase is not empty (exit %d):\n%s", exitCode(err), out)
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 1)
}

// TestAccPurchaseGuarantee_faultsUnderLoadSettleInTwoApplies: twelve plans, each extended once in
// one apply, while the purchases meet every fault AWS can answer with. After two applies each
// plan has exactly the one extension asked for.
func TestAccPurchaseGuarantee_faultsUnderLoadSettleInTwoApplies(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	var plans []string
	for i := range 12 {
		plans = append(plans, emu.AddPlan(emulator.PlanSpec{Name: fmt.Sprintf("load-%d", i)}))
	}
	for _, f := range []emulator.Fault{
		{Kind: emulator.FaultReset, Times: 3},
		{Kind: emulator.FaultCommitThenReset, Times: 2},
		{Kind: emulator.FaultCommitThenFail, Times: 2},
		{Kind: emulator.FaultThrottle, Times: 3},
		{Kind: emulator.FaultError, Status: 500, Code: "InternalFailure", Message: "injected", Times: 2},
	} {
		emu.InjectFault(emulator.OpExtendTrainingPlan, f)
	}
	config := emu.providerConfig() + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  for_each                 = toset(%s)
  training_plan_arn        = each.value
  requested_duration_hours = 24
}
`, hclList(plans))
	cli := newTerraformCLI(t, config)
	_, _ = cli.run("apply", "-auto-approve", "-input=false") // some purchases fail, as AWS answered
	cli.mustRun("apply", "-auto-approve", "-input=false")
	for _, planARN := range plans {
		if n := emu.PurchasesOf(planARN); n != 1 {
			t.Errorf("%s was extended %d times, want once", planARN, n)
		}
		emu.expectNoHoursPaidTwice(t, planARN)
	}
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan after two applies is not empty (exit %d):\n%s", exitCode(err), out)
	}
}

// hclList writes strings as an HCL list.
func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// exitCode is a CLI command's exit status, 0 when it succeeded.
func exitCode(err error) int {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestAccPurchaseGuarantee_unconfirmedOfferingGoneIsBoughtAnew: when AWS no longer sells the
// offering of a purchase it never confirmed, the settling apply buys nothing and says so; the
// refresh after it forgets the offering, and the plan after shows a new, priced purchase.
func TestAccPurchaseGuarantee_unconfirmedOfferingGoneIsBoughtAnew(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "gone"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultReset, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))
	cli.mustRun("apply", "-auto-approve", "-input=false")
	first := cli.offeringInState()
	emu.Withdraw(planARN)

	out, err := cli.run("apply", "-auto-approve", "-input=false")
	if err == nil || !errorMatching("AWS does not sell it", "never happened, and nothing was bought now", "the next plan shows a new purchase").MatchString(out) {
		t.Errorf("the settling apply does not say the purchase never happened (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 0)
	out = cli.mustRun("plan", "-input=false")
	if !errorMatching(extensionAddr+" will be created", "Plan: 1 to add", "was never bought", "for 2359.68 USD").MatchString(out) {
		t.Errorf("the plan after does not show a new purchase with its price:\n%s", out)
	}
	cli.mustRun("apply", "-auto-approve", "-input=false")
	emu.expectPurchases(t, 1)
	if cli.offeringInState() == first {
		t.Errorf("state still holds the offering AWS stopped selling, %s", first)
	}
	emu.expectNoHoursPaidTwice(t, planARN)
}

// blindConfig buys by duration from a plan looked up by a data source that depends on a
// resource replaced on every apply: the plan's ARN is known only after apply.
func blindConfig(emu *testEmulator, planName, extra string) string {
	return emu.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "every_run" {
  triggers_replace = [timestamp()]
}

data "sagemaker_training_plan" "test" {
  name       = %q
  depends_on = [terraform_data.every_run]
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = data.sagemaker_training_plan.test.arn
  requested_duration_hours = 168
  %s
}
`, planName, extra)
}

// TestAccPurchaseGuarantee_noPurchaseWithoutAPriceOrACap: when the training plan is known only
// after apply, the plan cannot show the quote's price; it refuses unless max_upfront_fee bounds
// the purchase, and apply keeps that cap when the market moved in between.
func TestAccPurchaseGuarantee_noPurchaseWithoutAPriceOrACap(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "blind"})

	out, err := newTerraformCLI(t, blindConfig(emu, "blind", "")).run("plan", "-input=false")
	if err == nil || !errorMatching("purchase without a price in the plan", "training_plan_arn is known only after apply",
		"removing a depends_on", "or set max_upfront_fee").MatchString(out) {
		t.Errorf("a plan that cannot show the price is not refused (err %v):\n%s", err, out)
	}

	// With a cap: the saved plan says the quote is chosen at apply within it; the market goes
	// up tenfold before apply, and nothing is bought.
	capped := newTerraformCLI(t, blindConfig(emu, "blind", `max_upfront_fee = "20000"`))
	out = capped.mustRun("plan", "-input=false", "-out=tfplan")
	if !errorMatching("is known only after apply, so what it buys is known then, never above max_upfront_fee = \"20000\"").MatchString(out) {
		t.Errorf("the capped plan does not say the cap bounds the purchase:\n%s", out)
	}
	if err := emu.Reprice(planARN, 122.9); err != nil {
		t.Fatal(err)
	}
	out, err = capped.run("apply", "-input=false", "tfplan")
	if err == nil || !errorMatching("no extension offering of 168 hours", `costs at most max_upfront_fee = "20000"`, "The cheapest quote seen is 165177.60 USD", "Nothing was bought").MatchString(out) {
		t.Errorf("the apply after a tenfold price rise is not refused (err %v):\n%s", err, out)
	}
	emu.expectPurchaseCalls(t, 0)

	// At the price the cap allows, the same configuration buys.
	if err := emu.Reprice(planARN, 12.29); err != nil {
		t.Fatal(err)
	}
	capped.mustRun("apply", "-auto-approve", "-input=false")
	emu.expectPurchases(t, 1)

	// By offering ID from a data source read only at apply: the same rule, and apply checks the
	// cap against the price the data source finds then.
	fromLateSearch := func(maxFee string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "every_run" {
  triggers_replace = [timestamp()]
}

data "sagemaker_training_plan_extension_offerings" "test" {
  training_plan_arn = %[1]q
  duration_hours    = 24
  depends_on        = [terraform_data.every_run]
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %[1]q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id
  max_upfront_fee                     = %[2]s

  lifecycle {
    ignore_changes = [training_plan_extension_offering_id]
  }
}
`, planARN, maxFee)
	}
	if out, err := newTerraformCLI(t, fromLateSearch("null")).run("plan", "-input=false"); err == nil ||
		!errorMatching("purchase without a price in the plan", "training_plan_extension_offering_id is known only after apply").MatchString(out) {
		t.Errorf("a plan by an offering ID known only after apply, with no cap, is not refused (err %v):\n%s", err, out)
	}
	if out, err := newTerraformCLI(t, fromLateSearch(`"2000"`)).run("apply", "-auto-approve", "-input=false"); err == nil ||
		!errorMatching("purchase above max_upfront_fee", "for 2359.68 USD", `costs more than max_upfront_fee = "2000"`, "Nothing was bought").MatchString(out) {
		t.Errorf("a purchase above the cap is not refused at apply (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 1)
	newTerraformCLI(t, fromLateSearch(`"3000"`)).mustRun("apply", "-auto-approve", "-input=false")
	emu.expectPurchases(t, 2)

	// A cap on an offering whose price apply cannot know is refused when planning.
	offeringID, err := emu.AddOffering(planARN, 48)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := newTerraformCLI(t, emu.providerConfig()+extensionConfig(planARN, offeringID, `max_upfront_fee = "5000"`)).run("plan", "-input=false"); err == nil ||
		!errorMatching("max_upfront_fee cannot be checked for this offering", "does not return offering "+offeringID).MatchString(out) {
		t.Errorf("a cap apply cannot check is not refused (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 2)
	emu.expectNoHoursPaidTwice(t, planARN)
}

// TestAccPurchaseGuarantee_offeringPlanShowsWhatItCanKnow: by offering ID, the plan shows the
// quote's terms when a search of the plan finds the offering again, and the price the offerings
// data source quoted in this run when it does not.
func TestAccPurchaseGuarantee_offeringPlanShowsWhatItCanKnow(t *testing.T) {
	forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
		emu := startEmulator(t, cfg)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "shown"})
		checks := []plancheck.PlanCheck{plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("start_date"), knownvalue.StringRegexp(rfc3339Pattern))}
		if cfg.RepeatOfferingIDs {
			checks = append(checks,
				plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact("2359.68")),
				plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(24)))
		} else {
			checks = append(checks, plancheck.ExpectUnknownValue(extensionAddr, tfjsonpath.New("upfront_fee")))
		}
		cli := newTerraformCLI(t, dataSourceExtensionConfig(emu, planARN, ""))
		out := cli.mustRun("plan", "-input=false")
		if !errorMatching("this plan buys a SageMaker training plan extension", "24 hours from", "for 2359.68 USD", "for training plan "+planARN).MatchString(out) {
			t.Errorf("the plan does not show the offering's price:\n%s", out)
		}
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:           dataSourceExtensionConfig(emu, planARN, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks},
				Check:            emu.checkBoughtOnce,
			}},
		})
	})
}

// TestAccPurchaseGuarantee_dayTwoUnknownPlanARN: after the purchase, a change elsewhere makes the
// training plan's ARN unknown when planning. Plans and applies keep working; only an ARN that
// really changes at apply fails, and nothing is bought.
func TestAccPurchaseGuarantee_dayTwoUnknownPlanARN(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	emu.AddPlan(emulator.PlanSpec{Name: "day-two"})
	emu.AddPlan(emulator.PlanSpec{Name: "other"})
	known := emu.providerConfig() + `
data "sagemaker_training_plan" "test" {
  name = "day-two"
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = data.sagemaker_training_plan.test.arn
  requested_duration_hours = 24
}
`
	cli := newTerraformCLI(t, known)
	cli.mustRun("apply", "-auto-approve", "-input=false")

	cli.setConfig(strings.Replace(blindConfig(emu, "day-two", ""), "requested_duration_hours = 168", "requested_duration_hours = 24", 1))
	for range 2 {
		out := cli.mustRun("apply", "-auto-approve", "-input=false")
		if strings.Contains(out, "cannot be changed") {
			t.Errorf("an unknown ARN that stays the same is refused:\n%s", out)
		}
	}
	cli.setConfig(strings.Replace(blindConfig(emu, "other", ""), "requested_duration_hours = 168", "requested_duration_hours = 24", 1))
	out, err := cli.run("apply", "-auto-approve", "-input=false")
	if err == nil || !errorMatching("a purchased SageMaker training plan extension cannot be changed", "training_plan_arn changes from", "training-plan/day-two", "training-plan/other", "nothing is bought").MatchString(out) {
		t.Errorf("an ARN that changes at apply is not refused (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 1)
}

// TestAccPurchaseGuarantee_equivalentEditsAreAccepted: edits that restate what was bought are
// updates with no API call, and a refused edit says what was really bought.
func TestAccPurchaseGuarantee_equivalentEditsAreAccepted(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "equivalent"})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))
	cli.mustRun("apply", "-auto-approve", "-input=false")
	bought := cli.offeringInState()
	emu.ResetCalls()

	for _, config := range []string{
		durationConfig(planARN, 20, ""),      // AWS sells 20 hours as 24
		extensionConfig(planARN, bought, ""), // the bought offering, by ID
		durationConfig(planARN, 24, ""),      // and back
		durationConfig(planARN, 24, `max_upfront_fee = "3000"`),
	} {
		cli.setConfig(emu.providerConfig() + config)
		out := cli.mustRun("apply", "-auto-approve", "-input=false")
		if !errorMatching("0 added", "0 destroyed").MatchString(out) {
			t.Errorf("an equivalent edit did more than an update:\n%s", out)
		}
	}
	if n := emu.SageMakerCalls() - emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory); n != 0 {
		t.Errorf("equivalent edits made %d SageMaker calls besides refreshes, want 0", n)
	}

	// An extension of a week, imported into a block that asks for a day.
	week, err := emu.BuyWindow(planARN, 168)
	if err != nil {
		t.Fatal(err)
	}
	importer := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, "")+fmt.Sprintf(`
import {
  to = %s
  id = %q
}
`, extensionAddr, planARN+","+week))
	out, err := importer.run("plan", "-input=false")
	if err == nil || !errorMatching("requested_duration_hours changes from null to 24", "was bought as 168 hours", "set it to 168").MatchString(out) {
		t.Errorf("the import into a block of another length does not say the length bought (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 2)
}

// TestAccPurchaseGuarantee_smallerRules: a fractional duration is an attribute error, and a
// purchase throttled to the end says that nothing was bought.
func TestAccPurchaseGuarantee_smallerRules(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "smaller"})

	out, err := newTerraformCLI(t, emu.providerConfig()+`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = "`+planARN+`"
  requested_duration_hours = 1.5
}
`).run("plan", "-input=false")
	if err == nil || !errorMatching("Invalid Attribute Value", "requested_duration_hours must be a whole number of hours from 1 to 4368, got: 1.5").MatchString(out) ||
		strings.Contains(out, "always an error in the provider") {
		t.Errorf("a fractional duration does not get an attribute error (err %v):\n%s", err, out)
	}
	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("a fractional duration reached SageMaker %d times", n)
	}

	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultThrottle})
	out, err = newTerraformCLI(t, emu.providerConfigWith("max_retries = 2")+durationConfig(planARN, 24, "")).run("apply", "-auto-approve", "-input=false")
	if err == nil || !errorMatching("ThrottlingException", "Nothing was bought").MatchString(out) {
		t.Errorf("a purchase throttled to the end does not say nothing was bought (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 0)
}

// TestAccPurchaseGuarantee_acceptedPurchaseIsNeverBoughtAgain: AWS accepts the purchase, but its
// answer is cut off, and its history lists the extension only after a while. The apply stores
// the purchase as bought, and no later apply buys again.
func TestAccPurchaseGuarantee_acceptedPurchaseIsNeverBoughtAgain(t *testing.T) {
	t.Parallel()
	// Longer than the tests' four seconds of reconciliation.
	const lag = 8 * time.Second
	emu := startEmulator(t, emulator.Config{HistoryLag: lag})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "accepted"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultCommitThenCutAnswer, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))

	out := cli.mustRun("apply", "-auto-approve", "-input=false")
	// The purchase arrived before the apply ended: its history lists it lag after that at most.
	listedBy := time.Now().Add(lag)
	if !errorMatching("bought, not yet in its training plan's history", "AWS accepted the purchase", "never bought again").MatchString(out) {
		t.Errorf("the apply does not store the accepted purchase as bought:\n%s", out)
	}
	bought := cli.offeringInState()
	if out := cli.mustRun("apply", "-auto-approve", "-input=false"); !errorMatching("No changes", "not found in its training plan's history").MatchString(out) {
		t.Errorf("an apply while the history lags does not keep the purchase:\n%s", out)
	}
	time.Sleep(time.Until(listedBy.Add(time.Second)))
	cli.mustRun("apply", "-refresh-only", "-auto-approve", "-input=false")
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan once the history lists the purchase is not empty (exit %d):\n%s", exitCode(err), out)
	}
	if got := cli.offeringInState(); got != bought || !emu.HasExtension(planARN, bought) {
		t.Errorf("state holds %s, the history has %s: %v", got, bought, emu.HasExtension(planARN, bought))
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 1)
}

// TestAccPurchaseGuarantee_unconfirmedPurchaseThatWentThroughIsAdopted: AWS bought, then answered
// 500, and its history lists the extension only after the reconciliation gave up. The next
// apply settles the unconfirmed purchase by adopting it, whether the history lists it by the
// time it reads it or AWS refuses the offering as used: nothing is bought twice.
func TestAccPurchaseGuarantee_unconfirmedPurchaseThatWentThroughIsAdopted(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{HistoryLag: 6 * time.Second})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "went-through"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultCommitThenFail, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))

	if out := cli.mustRun("apply", "-auto-approve", "-input=false"); !errorMatching("purchase unconfirmed", "InternalFailure").MatchString(out) {
		t.Errorf("the apply does not say the purchase is unconfirmed:\n%s", out)
	}
	bought := cli.offeringInState()
	cli.mustRun("apply", "-auto-approve", "-input=false")
	if got := cli.offeringInState(); got != bought || !emu.HasExtension(planARN, bought) {
		t.Errorf("state holds %s, want the offering bought first, %s", got, bought)
	}
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan after the settled purchase is not empty (exit %d):\n%s", exitCode(err), out)
	}
	emu.expectPurchases(t, 1)
	emu.expectNoHoursPaidTwice(t, planARN)
}

// TestAccPurchaseGuarantee_unconfirmedPurchaseWhileTheHistoryLags: AWS bought, then the
// connection dropped, and its history lists the extension only long after. The applies in
// between try the same offering, which AWS refuses as used; the plan's end shows the hours
// bought, so the offering stays in state and nothing else is bought, until a refresh adopts it.
func TestAccPurchaseGuarantee_unconfirmedPurchaseWhileTheHistoryLags(t *testing.T) {
	t.Parallel()
	// Longer than three applies with four seconds of reconciliation each.
	const lag = 30 * time.Second
	emu := startEmulator(t, emulator.Config{HistoryLag: lag})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "lagging"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultCommitThenReset, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))

	started := time.Now()
	if out := cli.mustRun("apply", "-auto-approve", "-input=false"); !errorMatching("purchase unconfirmed").MatchString(out) {
		t.Errorf("the apply does not say the purchase is unconfirmed:\n%s", out)
	}
	// The purchase arrived before the apply ended: its history lists it lag after that at most.
	listedBy := time.Now().Add(lag)
	bought := cli.offeringInState()
	for range 2 {
		out := cli.mustRun("apply", "-auto-approve", "-input=false")
		if !errorMatching("purchase still unconfirmed", "AWS no longer sells offering "+bought, "now ends at", "no extension in its history covers them", "Nothing was bought now").MatchString(out) {
			t.Errorf("an apply while the history lags does not keep the unconfirmed purchase:\n%s", out)
		}
		if got := cli.offeringInState(); got != bought {
			t.Errorf("state holds %s, want the offering bought first, %s", got, bought)
		}
		emu.expectPurchases(t, 1)
	}
	if time.Since(started) >= lag {
		t.Fatalf("the applies took longer than the history's lag (%s): the test proves nothing", lag)
	}
	time.Sleep(time.Until(listedBy.Add(time.Second)))
	cli.mustRun("apply", "-auto-approve", "-input=false")
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan once the history lists the purchase is not empty (exit %d):\n%s", exitCode(err), out)
	}
	if got := cli.offeringInState(); got != bought || !emu.HasExtension(planARN, bought) {
		t.Errorf("state holds %s, the history has %s: %v", got, bought, emu.HasExtension(planARN, bought))
	}
	emu.expectPurchases(t, 1)
	emu.expectNoHoursPaidTwice(t, planARN)
}

// TestAccPurchaseGuarantee_replacingAnUnconfirmedPurchase: -replace of an extension whose purchase
// AWS never confirmed plans one purchase, the replacement's: the purchase its first half
// planned to settle is the replacement's to plan.
func TestAccPurchaseGuarantee_replacingAnUnconfirmedPurchase(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "replaced"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultReset, Times: 1})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))
	cli.mustRun("apply", "-auto-approve", "-input=false")

	out := cli.mustRun("apply", "-auto-approve", "-input=false", "-replace="+extensionAddr)
	if !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("apply -replace did not replace the extension:\n%s", out)
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 2)
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
		t.Errorf("the plan after the replacement is not empty (exit %d):\n%s", exitCode(err), out)
	}
}
