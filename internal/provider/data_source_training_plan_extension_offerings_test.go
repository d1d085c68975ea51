package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

const offeringsAddr = "data.sagemaker_training_plan_extension_offerings.test"

func offeringsConfig(planARN, extra string) string {
	return fmt.Sprintf(`
data "sagemaker_training_plan_extension_offerings" "test" {
  training_plan_arn = %q
  %s
}
`, planARN, extra)
}

func TestAccTrainingPlanExtensionOfferingsDataSource(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "offerings", InstanceCount: 2})
	soldOut := emu.AddPlan(emulator.PlanSpec{Name: "sold-out", NoCapacity: true})
	expired := emu.AddPlan(emulator.PlanSpec{Name: "expired", Status: emulator.StatusExpired})
	rfc3339 := knownvalue.StringRegexp(rfc3339Pattern)
	offering := func(hours int64, fee string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"training_plan_extension_offering_id": knownvalue.StringRegexp(offeringIDPattern),
			"availability_zone":                   knownvalue.StringExact("us-west-2a"),
			"start_date":                          rfc3339,
			"end_date":                            rfc3339,
			"duration_hours":                      knownvalue.Int64Exact(hours),
			"upfront_fee":                         knownvalue.StringExact(fee),
			"currency_code":                       knownvalue.StringExact("USD"),
		})
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + offeringsConfig(planARN, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("offerings"), knownvalue.ListExact([]knownvalue.Check{
						offering(24, "589.92"), offering(168, "4129.44"), offering(336, "8258.88"),
					})),
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("lowest_upfront_fee"), knownvalue.StringExact("589.92")),
				},
			},
			{
				// 30 hours is rounded up to two days.
				Config: emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 30"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("offerings"), knownvalue.ListExact([]knownvalue.Check{offering(48, "1179.84")})),
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(30)),
				},
			},
			{
				Config: emu.providerConfig() + offeringsConfig(soldOut, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("offerings"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("lowest_upfront_fee"), knownvalue.Null()),
				},
			},
			{
				// A plan AWS will not extend finds nothing, so a workspace that bought from it can
				// still plan and destroy.
				Config: emu.providerConfig() + offeringsConfig(expired, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(offeringsAddr, tfjsonpath.New("offerings"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config:      emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 4369"),
				ExpectError: errorMatching("duration_hours must be a whole number of hours from 1 to 4368, got: 4369"),
			},
			{
				Config:      emu.providerConfig() + offeringsConfig(planARN, "duration_hours = 0"),
				ExpectError: errorMatching("duration_hours must be a whole number of hours from 1 to 4368, got: 0"),
			},
			{
				Config:      emu.providerConfig() + offeringsConfig(planARN+"-gone", ""),
				ExpectError: errorMatching("reading SageMaker training plan extension offerings", "ResourceNotFound"),
			},
		},
	})
	emu.expectPurchases(t, 0)
}
