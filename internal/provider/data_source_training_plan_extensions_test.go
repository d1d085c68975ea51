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

func TestAccTrainingPlanExtensionsDataSource(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN, offeringID := emu.addPlanWithOffering(t, emulator.PlanSpec{Name: "history"})
	// 150 past extensions span two pages of history.
	if err := emu.SeedHistory(planARN, 150); err != nil {
		t.Fatal(err)
	}
	const addr = "data.sagemaker_training_plan_extensions.test"

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + extensionConfig(planARN, offeringID, "") + fmt.Sprintf(`
data "sagemaker_training_plan_extensions" "test" {
  training_plan_arn = %q
  depends_on        = [sagemaker_training_plan_extension.test]
}
`, planARN),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("extensions"), knownvalue.ListSizeExact(151)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("extensions").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("Expired")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("extensions").AtSliceIndex(150), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"training_plan_extension_offering_id": knownvalue.StringExact(offeringID),
					"status":                              knownvalue.StringExact("Scheduled"),
					"payment_status":                      knownvalue.StringExact("Completed"),
					"duration_hours":                      knownvalue.Int64Exact(48),
				})),
			},
		}},
	})
	emu.expectPurchases(t, 1)
}
