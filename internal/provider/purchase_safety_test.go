package provider

// One test per purchase safety rule. Each drives the real Terraform CLI against the emulator
// and asserts how many extensions the emulator sold: the money a real account would have spent.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/fixture"
)

// testPurchaseFault applies a config whose purchase meets a fault and expects the outcome.
func testPurchaseFault(t *testing.T, fault emulator.Fault, wantExtendCalls int) {
	t.Helper()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "faults"})
	emu.InjectFault(emulator.OpExtendTrainingPlan, fault)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + extensionConfig(planARN, offeringID, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id"), knownvalue.StringExact(offeringID)),
				statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.NotNull()),
			},
			Check: emu.checkBoughtOnce,
		}},
	})
	emu.expectPurchases(t, 1)
	if !emu.HasExtension(planARN, offeringID) {
		t.Error("the plan's history lacks the extension")
	}
	emu.expectPurchaseCalls(t, wantExtendCalls)
}

func TestAccPurchaseSafety_commitThen500IsReconciled(t *testing.T) {
	t.Parallel()
	// AWS bought, then answered 500: a retry would buy again. The history shows the purchase.
	testPurchaseFault(t, emulator.Fault{Kind: emulator.FaultCommitThenFail}, 1)
}

func TestAccPurchaseSafety_connectionResetAfterCommitIsReconciled(t *testing.T) {
	t.Parallel()
	testPurchaseFault(t, emulator.Fault{Kind: emulator.FaultCommitThenReset}, 1)
}

func TestAccPurchaseSafety_everyPurchasingPlanSaysSo(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "warned"})

	byOffering := newTerraformCLI(t, emu.providerConfig()+extensionConfig(planARN, offeringID, ""))
	out := byOffering.mustRun("plan", "-input=false")
	if !errorMatching("this plan buys a SageMaker training plan extension", "Applying buys offering "+offeringID+", starting at", "for training plan "+planARN,
		"cannot be cancelled", "Its length and price are not known to this plan").MatchString(out) {
		t.Errorf("the plan by offering ID does not warn about the purchase:\n%s", out)
	}
	byOffering.mustRun("apply", "-auto-approve", "-input=false")

	// A plan by duration shows the quote, and points at the extension of the same length that
	// was just bought (here by the other configuration), with the import block that adopts it.
	byDuration := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 48, ""))
	out = byDuration.mustRun("plan", "-input=false")
	for _, want := range []*regexp.Regexp{
		errorMatching("this plan buys a SageMaker training plan extension", "Applying buys an extension of 48 hours from", "for 4719.36 USD for training plan "+planARN, "cannot be cancelled"),
		errorMatching("a similar SageMaker training plan extension was bought recently", "offering "+offeringID+", 48 hours", "import {", fmt.Sprintf("id = %q", planARN+","+offeringID)),
	} {
		if !want.MatchString(out) {
			t.Errorf("the plan by duration lacks %s:\n%s", want, out)
		}
	}
	emu.expectPurchases(t, 1)
}

func TestAccPurchaseSafety_throttledPurchaseIsRetried(t *testing.T) {
	t.Parallel()
	// Throttling means AWS refused without acting, so retrying cannot buy twice.
	testPurchaseFault(t, emulator.Fault{Kind: emulator.FaultThrottle, Times: 2}, 3)
}

func TestAccPurchaseSafety_throttledReadsAreRetried(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "throttled-reads"})
	emu.InjectFault(emulator.OpDescribeTrainingPlanExtensionHistory, emulator.Fault{Kind: emulator.FaultThrottle, Times: 3})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + extensionConfig(planARN, offeringID, ""),
			Check:  emu.checkBoughtOnce,
		}},
	})
	emu.expectPurchases(t, 1)
	if n := emu.Calls(emulator.OpDescribeTrainingPlanExtensionHistory); n < 4 {
		t.Errorf("history read %d times, want at least 3 throttled reads and a successful one", n)
	}
}

// dataSourceExtensionConfig is the offering-ID configuration the docs show: the ID comes from
// a search, and ignore_changes keeps the bought one when later searches return new quotes.
func dataSourceExtensionConfig(emu *testEmulator, planARN, extra string) string {
	return emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 24") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id

  lifecycle {
    ignore_changes = [training_plan_extension_offering_id]
  }
  %s
}
`, planARN, extra)
}

func TestAccPurchaseSafety_createTimeoutNeverTaints(t *testing.T) {
	t.Parallel()
	for _, declared := range []string{"offerings data source", "requested duration"} {
		t.Run(declared, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Config{PendingDelay: time.Hour})
			planARN := emu.AddPlan(emulator.PlanSpec{Name: "slow"})
			// The purchase is answered after the create timeout: the request was sent, so only
			// the history can tell, and the extension stays Pending for an hour.
			emu.InjectFault(emulator.OpExtendTrainingPlan, emulator.Fault{Kind: emulator.FaultLatency, Latency: 3 * time.Second, Times: 1})
			timeout := `timeouts {
    create = "1s"
  }`
			config := dataSourceExtensionConfig(emu, planARN, timeout)
			if declared == "requested duration" {
				config = emu.providerConfig() + durationConfig(planARN, 24, timeout)
			}

			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
						},
						Check: emu.checkBoughtOnce,
					},
					// Two more applies (with a fresh quote from the data source each time): nothing to buy.
					{Config: config, Check: emu.checkBoughtOnce},
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionNoop)},
						},
						Check: emu.checkBoughtOnce,
					},
				},
			})
			emu.expectPurchases(t, 1)
			emu.expectPurchaseCalls(t, 1)
		})
	}
}

func TestAccPurchaseSafety_offeringsDataSourceDayTwo(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "expiring"})
	// The configuration the docs show for offering IDs from the data source.
	config := emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 24") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = try(data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id, null)

  lifecycle {
    ignore_changes = [training_plan_extension_offering_id]
  }
}
`, planARN)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: emu.checkBoughtOnce},
			{
				// The plan expired: the search finds nothing, and plans and the destroy still work.
				PreConfig: func() {
					if err := emu.SetPlanStatus(planARN, emulator.StatusExpired); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("offerings"), knownvalue.ListSizeExact(0)),
				},
				Check: emu.checkBoughtOnce,
			},
		},
	})
	emu.expectPurchases(t, 1)
}

func TestAccPurchaseSafety_paymentFailedIsNeverBoughtAgain(t *testing.T) {
	t.Parallel()
	for _, declared := range []string{"fixed offering ID", "offerings data source"} {
		t.Run(declared, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Config{PendingDelay: 500 * time.Millisecond})
			planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "unpaid", PaymentFails: true})
			config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")
			if declared == "offerings data source" {
				config = dataSourceExtensionConfig(emu, planARN, "")
			}

			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, Check: emu.checkBoughtOnce},
					{
						// The payment has failed since: the refresh says so, and nothing is bought.
						PreConfig: func() { time.Sleep(time.Second) },
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionNoop)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Failed")),
							statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("payment_status"), knownvalue.StringExact("Failed")),
						},
						Check: emu.checkBoughtOnce,
					},
				},
			})
			emu.expectPurchaseCalls(t, 1)
		})
	}
}

func TestAccPurchaseSafety_replaceWithFixedOfferingAdopts(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "replace"})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: emu.checkBoughtOnce},
			{
				Config: config,
				Taint:  []string{extensionAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: emu.checkBoughtOnce,
			},
		},
	})

	// terraform apply -replace, which the testing framework has no step for.
	cli := newTerraformCLI(t, config)
	cli.mustRun("apply", "-auto-approve", "-input=false")
	out := cli.mustRun("apply", "-auto-approve", "-input=false", "-replace="+extensionAddr)
	if !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("apply -replace did not replace the extension:\n%s", out)
	}
	if got := cli.offeringInState(); got != offeringID {
		t.Errorf("after -replace the resource holds %s, want %s", got, offeringID)
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 1)
}

// TestAccPurchaseSafety_replaceByDurationBuysAsAsked pins what the docs say: a replacement the
// user asks for is a new purchase when the configuration names a duration, not a quote.
func TestAccPurchaseSafety_replaceByDurationBuysAsAsked(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "replace-duration"})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))
	cli.mustRun("apply", "-auto-approve", "-input=false")
	first := cli.offeringInState()

	out := cli.mustRun("plan", "-input=false", "-replace="+extensionAddr)
	if !errorMatching(extensionAddr+" will be replaced, as requested", "Plan: 1 to add, 0 to change, 1 to destroy").MatchString(out) {
		t.Errorf("the plan does not show the replacement:\n%s", out)
	}
	emu.expectPurchases(t, 1)
	cli.mustRun("apply", "-auto-approve", "-input=false", "-replace="+extensionAddr)
	emu.expectPurchases(t, 2)
	if second := cli.offeringInState(); second == first {
		t.Errorf("the replacement still holds offering %s", first)
	}
}

// TestAccPurchaseSafety_replaceWithDataSourceOfferingBuysAsAsked pins what the docs say of the
// offering-ID configuration they recommend: a replacement the user asks for (each taint, then
// apply -replace) creates from the data source's current quote, so each buys one extension,
// and nothing else does.
func TestAccPurchaseSafety_replaceWithDataSourceOfferingBuysAsAsked(t *testing.T) {
	forEachOfferingIDMode(t, func(t *testing.T, cfg emulator.Config) {
		emu := startEmulator(t, cfg)
		planARN := emu.AddPlan(emulator.PlanSpec{Name: "replace-data-source"})
		config := dataSourceExtensionConfig(emu, planARN, "")

		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config, Check: emu.checkBoughtOnce},
				{
					Config: config,
					Taint:  []string{extensionAddr},
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					},
					Check: emu.checkPurchases(2),
				},
				{Config: config, Taint: []string{extensionAddr}, Check: emu.checkPurchases(3)},
				{Config: config, Check: emu.checkPurchases(3)},
			},
		})

		cli := newTerraformCLI(t, config)
		cli.mustRun("apply", "-auto-approve", "-input=false")
		emu.expectPurchases(t, 4)
		first := cli.offeringInState()
		cli.mustRun("apply", "-auto-approve", "-input=false", "-replace="+extensionAddr)
		emu.expectPurchases(t, 5)
		if second := cli.offeringInState(); second == first {
			t.Errorf("the replacement still holds offering %s", first)
		}
		cli.mustRun("apply", "-auto-approve", "-input=false")
		emu.expectPurchases(t, 5)
		emu.expectPurchaseCalls(t, 5)
	})
}

func TestAccPurchaseSafety_offeringOfAnotherPlan(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planA, offeringOfA := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "plan-a"})
	planB := emu.AddPlan(emulator.PlanSpec{Name: "plan-b"})
	config := emu.providerConfig() + extensionConfig(planB, offeringOfA, "")

	// Quoted by the data source in the same run: refused at plan time, nothing bought.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + offeringsConfig(planA, "duration_hours = 24") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id
}
`, planB),
			ExpectError: errorMatching("offering quoted for another training plan", "was quoted for training plan "+planA, "training_plan_arn is "+planB),
		}},
	})
	emu.expectPurchases(t, 0)

	// An ID written by hand cannot be checked before buying: the purchase extends plan A, the
	// apply says so, and three applies buy it once.
	cli := newTerraformCLI(t, config)
	for i, want := range []string{"bought for another training plan", "not found in its training plan's history", "not found in its training plan's history"} {
		out := cli.mustRun("apply", "-auto-approve", "-input=false")
		if !errorMatching(want).MatchString(out) {
			t.Errorf("apply %d does not warn %q:\n%s", i+1, want, out)
		}
		emu.expectPurchases(t, 1)
	}
	if !emu.HasExtension(planA, offeringOfA) {
		t.Error("plan A's history lacks the extension")
	}
	if got := cli.offeringInState(); got != offeringOfA {
		t.Errorf("state holds offering %q, want %s", got, offeringOfA)
	}
}

func TestAccPurchaseSafety_stateLostThenApplyAdopts(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "state-lost"})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			// Dropping the resource only forgets it: state no longer knows the extension.
			{Config: emu.providerConfig()},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Scheduled")),
				},
				Check: emu.checkBoughtOnce,
			},
		},
	})
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 1)
}

func TestAccPurchaseSafety_changedInputsAreRefused(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "bought"})
	otherOffering, err := emu.AddOffering(planARN, 24)
	if err != nil {
		t.Fatal(err)
	}
	otherPlanARN, otherPlanOffering := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "other"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				Config:      emu.providerConfig() + extensionConfig(planARN, otherOffering, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("a purchased SageMaker training plan extension cannot be changed", "training_plan_extension_offering_id changes from", offeringID, otherOffering, "declare a new sagemaker_training_plan_extension resource", "ignore_changes = [training_plan_extension_offering_id]"),
			},
			{
				Config:      emu.providerConfig() + extensionConfig(otherPlanARN, otherPlanOffering, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("training_plan_arn changes from", planARN, otherPlanARN),
			},
			{
				// A value unknown until apply is checked when it is known: the same offering
				// passes, and every plan shows the update again (terraform_data is replaced).
				Config:             unknownUntilApply(emu, planARN, offeringID),
				ExpectNonEmptyPlan: true,
				Check:              emu.checkBoughtOnce,
			},
			{
				// Another offering fails the apply, before anything is bought.
				Config:      unknownUntilApply(emu, planARN, otherOffering),
				ExpectError: errorMatching("training_plan_extension_offering_id changes from", offeringID, otherOffering),
			},
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
		},
	})
	emu.expectPurchases(t, 1)
}

// unknownUntilApply declares the extension with an offering ID known only after apply.
func unknownUntilApply(emu *testEmulator, planARN, offeringID string) string {
	return emu.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "offering" {
  input            = %q
  triggers_replace = [timestamp()]
}
`, offeringID) + extensionConfig(planARN, "${terraform_data.offering.output}", "")
}

func TestAccPurchaseSafety_requeriedOfferingsDataSource(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "requery"})
	config := func(lifecycle string) string {
		return emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 24") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id
  %s
}
`, planARN, lifecycle)
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Every plan searches again and sees a new quote; ignore_changes keeps the bought one.
				Config: config(`lifecycle {
    ignore_changes = [training_plan_extension_offering_id]
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: emu.checkBoughtOnce,
			},
			{
				Config:      config(""),
				PlanOnly:    true,
				ExpectError: errorMatching("a purchased SageMaker training plan extension cannot be changed", "ignore_changes = [training_plan_extension_offering_id]"),
			},
		},
	})
	emu.expectPurchases(t, 1)
	if n := emu.Calls(emulator.OpSearchTrainingPlanOfferings); n < 3 {
		t.Errorf("offerings searched %d times, want a new search on every plan", n)
	}
}

func TestAccPurchaseSafety_wrongSecretKeyBuysNothing(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "auth"})
	wrongKey := func(extra string) string {
		return strings.Replace(emu.providerConfigWith(extra), emu.Config().SecretAccessKey, "wrongSecretKey000000000000000000000000000", 1) +
			extensionConfig(planARN, offeringID, "")
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      wrongKey(""),
				ExpectError: errorMatching("validating provider credentials", "SignatureDoesNotMatch"),
			},
			{
				Config:      wrongKey("skip_credentials_validation = true\n  skip_requesting_account_id = true"),
				ExpectError: errorMatching("reading SageMaker training plan", "before purchasing", "InvalidSignatureException"),
			},
		},
	})
	emu.expectPurchases(t, 0)
	emu.expectPurchaseCalls(t, 0)
}

// TestAccPurchaseSafety_traceLogHoldsNoSecrets cannot run in parallel: it sets the log
// environment for the provider and the Terraform CLI.
func TestAccPurchaseSafety_traceLogHoldsNoSecrets(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	emu := startEmulator(t, emulator.Config{Latency: 10 * time.Millisecond})
	// Many purchases at once, one per plan: request logging must not mix up concurrent
	// requests either.
	estate := fixture.Estate{Plans: 40, HistoryPerPlan: 1, Extensions: 40}
	resources, err := estate.Seed(emu.Emulator)
	if err != nil {
		t.Fatal(err)
	}
	const sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENdoNotLog"
	// The secrets reach the provider block through variables, so the test harness, which logs
	// the configuration text, does not log them itself.
	t.Setenv("TF_VAR_secret_key", emu.Config().SecretAccessKey)
	t.Setenv("TF_VAR_token", sessionToken)
	config := strings.Replace(emu.providerConfigWith("token = var.token"), fmt.Sprintf("%q", emu.Config().SecretAccessKey), "var.secret_key", 1) + `
variable "secret_key" {
  type      = string
  sensitive = true
}

variable "token" {
  type      = string
  sensitive = true
}
` + resources
	if strings.Contains(config, emu.Config().SecretAccessKey) {
		t.Fatal("the configuration text holds the secret key")
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
		}},
	})
	emu.expectPurchases(t, estate.Extensions)

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// The log must really hold the API traffic, or the absence of secrets proves nothing.
	for _, want := range []string{"HTTP Request Sent", "SageMaker.ExtendTrainingPlan", "SageMaker.DescribeTrainingPlanExtensionHistory"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the TRACE log lacks %q", want)
		}
	}
	for name, secret := range map[string]string{"secret key": emu.Config().SecretAccessKey, "session token": sessionToken} {
		if strings.Contains(string(log), secret) {
			t.Errorf("the TRACE log holds the %s", name)
		}
	}
}
