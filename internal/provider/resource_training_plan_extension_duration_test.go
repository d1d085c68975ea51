package provider

// Buying by duration: the plan chooses the quote and shows its price; apply buys exactly that
// quote or nothing. Every test runs with the emulator repeating offering IDs for the same
// capacity and with it minting new ones, because AWS does not say which it does.

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// weekFee is what the emulator charges for 168 hours of 8 instances at 12.29 USD.
const weekFee = "16517.76"

// durationConfig declares one extension resource named "test" bought by duration.
func durationConfig(planARN string, hours int, extra string) string {
	return fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = %q
  requested_duration_hours = %d
  %s
}
`, planARN, hours, extra)
}

// forEachOfferingIDMode runs a test against an emulator that repeats offering IDs and one that
// mints new IDs on every search.
func forEachOfferingIDMode(t *testing.T, test func(t *testing.T, cfg emulator.Config)) {
	t.Parallel()
	for _, repeat := range []bool{true, false} {
		t.Run(fmt.Sprintf("RepeatOfferingIDs=%v", repeat), func(t *testing.T) {
			t.Parallel()
			test(t, emulator.Config{RepeatOfferingIDs: repeat})
		})
	}
}

// betweenPlanAndApply is a plan check that acts on the world after terraform plan -out has
// saved the plan and before terraform apply applies it.
type betweenPlanAndApply func()

func (act betweenPlanAndApply) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	act()
}

func (e *testEmulator) checkPurchases(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.Purchases(); got != want {
			return fmt.Errorf("the emulator recorded %d purchases, want %d", got, want)
		}
		return nil
	}
}

func TestAccTrainingPlanExtension_byDurationPlanShowsThePrice(t *testing.T) {
	forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
		emu := startEmulator(t, cfg)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "by-duration"})
		config := func(extra string) string {
			return emu.providerConfig() + durationConfig(planARN, 168, extra)
		}
		var searchesAfterPurchase int

		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					// The saved plan (terraform show -json) holds the price; its apply buys at it.
					Config: config(`max_upfront_fee = "20000"`),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact(weekFee)),
							plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("currency_code"), knownvalue.StringExact("USD")),
							plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(168)),
							plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("start_date"), knownvalue.StringRegexp(rfc3339Pattern)),
							plancheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("end_date"), knownvalue.StringRegexp(rfc3339Pattern)),
							plancheck.ExpectUnknownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id")),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact(weekFee)),
						statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(168)),
						statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id"), knownvalue.StringRegexp(regexp.MustCompile(`^tpeo-`))),
						statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("requested_duration_hours"), knownvalue.Int64Exact(168)),
					},
					Check: func(*terraform.State) error {
						searchesAfterPurchase = emu.Calls(emulator.OpSearchTrainingPlanOfferings)
						return emu.checkBoughtOnce(nil)
					},
				},
				{
					// The cap can change at any time: an update in place, with no search.
					Config: config(`max_upfront_fee = "30000"`),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionUpdate)},
					},
					Check: emu.checkBoughtOnce,
				},
				{
					Config:      emu.providerConfig() + durationConfig(planARN, 336, ""),
					PlanOnly:    true,
					ExpectError: errorMatching("a purchased SageMaker training plan extension cannot be changed", "requested_duration_hours changes from 168 to 336", "declare a new sagemaker_training_plan_extension resource"),
				},
			},
		})
		emu.expectPurchases(t, 1)
		if n := emu.Calls(emulator.OpSearchTrainingPlanOfferings); n != searchesAfterPurchase {
			t.Errorf("offerings were searched %d times after the purchase, want none", n-searchesAfterPurchase)
		}
	})
}

func TestAccTrainingPlanExtension_byDurationQuoteGoneBeforeApply(t *testing.T) {
	forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
		emu := startEmulator(t, cfg)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "quote-gone"})
		config := emu.providerConfig() + durationConfig(planARN, 168, "")

		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					// Someone else buys the same capacity between plan and apply.
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{betweenPlanAndApply(func() {
							id, err := emu.AddOffering(planARN, 168)
							if err == nil {
								err = emu.Buy(id)
							}
							if err != nil {
								t.Error(err)
							}
						})},
					},
					ExpectError: regexp.MustCompile(`(?s)(Provider produced inconsistent final plan.*start_date|is no longer offered.*Run terraform plan again)`),
				},
				{
					// A new plan shows the next quote, and its apply buys it.
					Config: config,
					Check:  emu.checkPurchases(2),
				},
			},
		})
		emu.expectPurchaseCalls(t, 1)
	})
}

func TestAccTrainingPlanExtension_byDurationPriceChangeBeforeApply(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "price-change"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + durationConfig(planARN, 168, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{betweenPlanAndApply(func() {
					if err := emu.SetHourlyFee(planARN, 20); err != nil {
						t.Error(err)
					}
				})},
			},
			ExpectError: regexp.MustCompile(`(?s)(Provider produced inconsistent final plan.*upfront_fee|is no longer offered)`),
		}},
	})
	emu.expectPurchases(t, 0)
	emu.expectPurchaseCalls(t, 0)
}

func TestAccTrainingPlanExtension_byDurationNothingToBuy(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "capped"})
	fullPlanARN := emu.AddPlan(emulator.PlanSpec{Name: "full", NoCapacity: true})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig() + durationConfig(planARN, 168, `max_upfront_fee = "10000.50"`),
				PlanOnly:    true,
				ExpectError: errorMatching("no SageMaker training plan extension offering to buy", "no extension offering of 168 hours", `costs at most max_upfront_fee = "10000.50"`, "The cheapest quote seen is "+weekFee+" USD", "Nothing was bought"),
			},
			{
				Config:      emu.providerConfig() + durationConfig(fullPlanARN, 168, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("AWS offers no extension of 168 hours for training plan "+fullPlanARN, "Nothing was bought"),
			},
		},
	})
	emu.expectPurchaseCalls(t, 0)
}

func TestAccTrainingPlanExtension_byDurationPlanUnknownUntilApply(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "late"})
	// Each step replaces terraform_data, so the ARN is unknown when the step plans.
	config := func(maxFee string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "plan" {
  input            = %q
  triggers_replace = [%[2]q]
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = terraform_data.plan.output
  requested_duration_hours = 168
  max_upfront_fee          = %[2]q
}
`, planARN, maxFee)
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The cap holds when the quote can only be chosen at apply.
				Config:      config("100"),
				ExpectError: errorMatching("no extension offering of 168 hours", `max_upfront_fee = "100"`),
			},
			{
				Config: config("20000"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(extensionAddr, tfjsonpath.New("upfront_fee"))},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact(weekFee)),
				},
				Check: emu.checkBoughtOnce,
			},
		},
	})
	emu.expectPurchases(t, 1)
}

// TestAccTrainingPlanExtension_byDurationTwoResourcesOneApplyAtATime: two resources that buy
// from one plan are refused in one apply (TestAccPurchaseGuarantee_oneRunBuysOneExtensionPerPlan);
// applied one at a time, as the error suggests, each buys its own hours.
func TestAccTrainingPlanExtension_byDurationTwoResourcesOneApplyAtATime(t *testing.T) {
	forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
		emu := startEmulator(t, cfg)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "shared"})
		cli := newTerraformCLI(t, emu.providerConfig()+fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "first" {
  training_plan_arn        = %[1]q
  requested_duration_hours = 168
}

resource "sagemaker_training_plan_extension" "second" {
  training_plan_arn        = %[1]q
  requested_duration_hours = 168
}
`, planARN))
		cli.mustRun("apply", "-auto-approve", "-input=false", "-target=sagemaker_training_plan_extension.first")
		emu.expectPurchases(t, 1)
		cli.mustRun("apply", "-auto-approve", "-input=false")
		emu.expectPurchases(t, 2)
		emu.expectNoHoursPaidTwice(t, planARN)
		if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 0 {
			t.Errorf("the plan after both purchases is not empty:\n%s", out)
		}
	})
}

func TestAccTrainingPlanExtension_byDurationDayTwo(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "day-two"})
	config := emu.providerConfig() + durationConfig(planARN, 24, `max_upfront_fee = "5000"`)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := emu.Calls(emulator.OpSearchTrainingPlanOfferings); n != 0 {
				return fmt.Errorf("the plan and destroy of a bought extension searched offerings %d times, want 0", n)
			}
			return emu.checkBoughtOnce(nil)
		},
		Steps: []resource.TestStep{
			{Config: config, Check: emu.checkBoughtOnce},
			{
				// The plan can no longer be extended: plans and the destroy still work, with no search.
				PreConfig: func() {
					if err := emu.SetPlanStatus(planARN, emulator.StatusExpired); err != nil {
						t.Fatal(err)
					}
					emu.ResetCalls()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccTrainingPlanExtension_requestedDurationRecordsWhatWasBought(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "recorded"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				// Switching to the duration the extension has is bookkeeping: an update, no purchase.
				PreConfig: emu.ResetCalls,
				Config:    emu.providerConfig() + durationConfig(planARN, 48, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id"), knownvalue.StringExact(offeringID)),
				},
				Check: emu.checkBoughtOnce,
			},
		},
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				Config:      emu.providerConfig() + durationConfig(planARN, 24, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("requested_duration_hours changes from null to 24"),
			},
		},
	})
	emu.expectPurchases(t, 1)
	if n := emu.Calls(emulator.OpSearchTrainingPlanOfferings); n != 0 {
		t.Errorf("offerings were searched %d times, want 0", n)
	}
}
