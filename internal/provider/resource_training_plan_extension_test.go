package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

const extensionAddr = "sagemaker_training_plan_extension.test"

var rfc3339Pattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func TestAccTrainingPlanExtension_basic(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{PendingDelay: 500 * time.Millisecond})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "llm-pretraining", InstanceCount: 4})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// Destroy only forgets: the extension is still bought.
			if !emu.HasExtension(planARN, offeringID) {
				return fmt.Errorf("destroy removed extension %s from the emulator", offeringID)
			}
			return emu.checkBoughtOnce(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("id"), knownvalue.StringExact(planARN+","+offeringID)),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_arn"), knownvalue.StringExact(planARN)),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id"), knownvalue.StringExact(offeringID)),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("extended_at"), knownvalue.StringRegexp(rfc3339Pattern)),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("start_date"), knownvalue.StringRegexp(rfc3339Pattern)),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("end_date"), knownvalue.StringRegexp(rfc3339Pattern)),
					// Stored as soon as it is bought, before it settles.
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("payment_status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("availability_zone"), knownvalue.StringExact("us-west-2a")),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("availability_zone_id"), knownvalue.StringExact("usw2-az1")),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(48)),
					// 48 hours x 4 instances x 12.29 USD, as the emulator quotes it.
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact("2359.68")),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("currency_code"), knownvalue.StringExact("USD")),
				},
				Check: emu.checkBoughtOnce,
			},
			{
				// A refresh once the Pending period is over shows the settled extension.
				PreConfig:    func() { time.Sleep(500 * time.Millisecond) },
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(extensionAddr, "status", "Scheduled"),
					resource.TestCheckResourceAttr(extensionAddr, "payment_status", "Completed"),
				),
			},
			{
				ResourceName:            extensionAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
				Check:                   emu.checkBoughtOnce,
			},
		},
	})
}

func TestAccTrainingPlanExtension_storedBeforeItSettles(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{PendingDelay: time.Hour})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "pending"})
	config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// An hour of Pending does not hold the apply: the purchase is in state at once.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
				},
				Check: emu.checkBoughtOnce,
			},
			{
				PreConfig:    emu.SettleAll,
				RefreshState: true,
				Check:        resource.TestCheckResourceAttr(extensionAddr, "status", "Scheduled"),
			},
		},
	})
}

func TestAccTrainingPlanExtension_unknownOffering(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "p1"})
	unknown := "tpeo-" + fmt.Sprintf("%064x", 42)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      emu.providerConfig() + extensionConfig(planARN, unknown, ""),
			ExpectError: errorMatching("purchasing SageMaker training plan extension", "with sagemaker_training_plan_extension.test", "training_plan_extension_offering_id", "AWS does not sell offering", "search again", "requested_duration_hours", "ResourceNotFound"),
		}},
	})
	emu.expectPurchases(t, 0)
	emu.expectPurchaseCalls(t, 1)
}

// TestAccTrainingPlanExtension_vanishedExtensionIsKept also shows that shared history scans
// never hide a change made between two Terraform runs.
func TestAccTrainingPlanExtension_vanishedExtensionIsKept(t *testing.T) {
	t.Parallel()
	for _, vanished := range []string{"extension", "training plan"} {
		t.Run(vanished, func(t *testing.T) {
			t.Parallel()
			emu := startEmulator(t, emulator.Config{})
			planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "drift"})
			config := emu.providerConfig() + extensionConfig(planARN, offeringID, "")

			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							if vanished == "training plan" {
								emu.RemovePlan(planARN)
							} else if !emu.RemoveExtension(planARN, offeringID) {
								t.Fatal("extension not in the emulator")
							}
						},
						// Refreshed, the extension stays in state and nothing is planned.
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionNoop)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("training_plan_extension_offering_id"), knownvalue.StringExact(offeringID)),
						},
					},
				},
			})
			emu.expectPurchases(t, 1)
		})
	}
}

func TestAccTrainingPlanExtension_timeoutsChangeInPlace(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "timeouts"})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				Config: emu.providerConfig() + extensionConfig(planARN, offeringID, `timeouts {
    create = "45m"
    read   = "2m"
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringExact("Scheduled")),
				},
			},
		},
	})
	emu.expectPurchases(t, 1)
}

func TestAccTrainingPlanExtension_invalidInputsNeverReachAWS(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "valid"})
	otherRegionARN := "arn:aws:sagemaker:us-east-1:123456789012:training-plan/valid"
	otherAccountARN := "arn:aws:sagemaker:us-west-2:999999999999:training-plan/valid"
	otherPartitionARN := "arn:aws-cn:sagemaker:us-west-2:123456789012:training-plan/valid"

	cases := []struct {
		planARN, offeringID, extra string
		want                       *regexp.Regexp
	}{
		{"arn:aws:s3:::my-bucket/training-plan/valid-but-not-sagemaker", offeringID, "", errorMatching("training_plan_arn must be a SageMaker training plan ARN, arn:<partition>:sagemaker:<region>:<12-digit account>:training-plan/<name>", `got: "arn:aws:s3:::my-bucket`)},
		{"", offeringID, "", errorMatching(`training_plan_arn must be a SageMaker training plan ARN`, `got: ""`)},
		{"demo-plan", offeringID, "", errorMatching(`got: "demo-plan"`, `"demo-plan" looks like a training plan name`, `data "sagemaker_training_plan" "this"`, "training_plan_arn = data.sagemaker_training_plan.this.arn")},
		{offeringID, offeringID, "", errorMatching(`looks like an extension offering ID: it goes in training_plan_extension_offering_id`)},
		{planARN, "", "", errorMatching(`training_plan_extension_offering_id must be an extension offering ID`, `got: ""`)},
		{planARN, "offering-1234", "", errorMatching("training_plan_extension_offering_id must be an extension offering ID,", `"tpeo-" followed by letters and digits`, `got: "offering-1234"`)},
		{planARN, " " + offeringID, "", errorMatching(`got: " tpeo-`, "The value has white space at its start or end; remove it.")},
		{planARN, planARN, "", errorMatching(`looks like a training plan ARN: it goes in training_plan_arn`)},
		{otherRegionARN, offeringID, "", errorMatching("training_plan_arn", `is in region "us-east-1", but the provider is configured for region "us-west-2"`)},
		{otherAccountARN, offeringID, "", errorMatching("training_plan_arn", "belongs to account 999999999999, but the provider's credentials are for account 123456789012")},
		{otherPartitionARN, offeringID, "", errorMatching("training_plan_arn", `is in partition "aws-cn", but the provider is configured for region "us-west-2" in partition "aws"`)},
		{planARN, offeringID, `timeouts {
    create = "soon"
  }`, errorMatching(`create = "soon"`, `"soon" must be a string containing a sequence of decimal numbers`)},
		{planARN, offeringID, "requested_duration_hours = 168", errorMatching("Invalid Attribute Combination", "cannot be configured together", "requested_duration_hours,training_plan_extension_offering_id")},
	}
	var durationSteps []resource.TestStep
	byDuration := func(extra string) string {
		return fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn = %q
  %s
}
`, planARN, extra)
	}
	for _, tc := range []struct {
		extra string
		want  *regexp.Regexp
	}{
		{"", errorMatching("nothing to buy", "Set requested_duration_hours", "or training_plan_extension_offering_id")},
		{"requested_duration_hours = 0", errorMatching("requested_duration_hours must be a whole number of hours from 1 to 4368, got: 0")},
		{"requested_duration_hours = 5000", errorMatching("requested_duration_hours must be a whole number of hours from 1 to 4368, got: 5000")},
		{"requested_duration_hours = 168\n  max_upfront_fee = \"$25,000\"", errorMatching("max_upfront_fee", `must be a decimal amount such as "25000" or "25000.50"`, "got: $25,000")},
	} {
		durationSteps = append(durationSteps, resource.TestStep{Config: emu.providerConfig() + byDuration(tc.extra), PlanOnly: true, ExpectError: tc.want})
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      emu.providerConfig() + extensionConfig(tc.planARN, tc.offeringID, tc.extra),
			PlanOnly:    true,
			ExpectError: tc.want,
		})
	}
	steps = append(steps, durationSteps...)
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})

	if n := emu.SageMakerCalls(); n != 0 {
		t.Errorf("invalid inputs sent %d SageMaker requests, want 0", n)
	}
	emu.expectPurchases(t, 0)
}
