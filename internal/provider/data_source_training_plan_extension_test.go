package provider

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

func TestAccTrainingPlanExtensionDataSource(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "read-one", InstanceCount: 1})
	neverBought, err := emu.AddOffering(planARN, 24)
	if err != nil {
		t.Fatal(err)
	}
	const addr = "data.sagemaker_training_plan_extension.test"
	dataSource := func(offering string) string {
		return fmt.Sprintf(`
data "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = %q
}
`, planARN, offering)
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "")},
			{
				// The data source reads what the resource bought, attribute for attribute, once a
				// refresh has seen the purchase settle.
				Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "") + `
data "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = sagemaker_training_plan_extension.test.training_plan_arn
  training_plan_extension_offering_id = sagemaker_training_plan_extension.test.training_plan_extension_offering_id
}
`,
				ConfigStateChecks: append(sameAttributes(addr, extensionAddr, "id", "training_plan_arn", "training_plan_extension_offering_id"),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(planARN+","+offeringID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact("589.92")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Scheduled")),
				),
			},
			{
				Config:      emu.providerConfig() + dataSource(neverBought),
				ExpectError: errorMatching("no matching SageMaker training plan extension found", "no extension bought with offering "+neverBought),
			},
		},
	})
	emu.expectPurchases(t, 1)
}

// sameAttributes checks that two resources agree on every extension attribute and the names given.
func sameAttributes(a, b string, names ...string) []statecheck.StateCheck {
	names = slices.AppendSeq(names, maps.Keys(extensionAttributeSchemas))
	checks := make([]statecheck.StateCheck, 0, len(names))
	for _, name := range names {
		checks = append(checks, statecheck.CompareValuePairs(a, tfjsonpath.New(name), b, tfjsonpath.New(name), compare.ValuesSame()))
	}
	return checks
}
