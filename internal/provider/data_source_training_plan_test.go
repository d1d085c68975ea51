package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

func TestAccTrainingPlanDataSource(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "llm-pretraining", Start: start, Duration: 30 * 24 * time.Hour, InstanceCount: 2})
	const addr = "data.sagemaker_training_plan.test"
	dataSource := func(name string) string {
		return fmt.Sprintf(`
data "sagemaker_training_plan" "test" {
  name = %q
}
`, name)
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig() + dataSource("no-such-plan"),
				ExpectError: errorMatching("no matching SageMaker training plan found", "no-such-plan"),
			},
			{
				Config:      emu.providerConfig() + dataSource("not_a_valid_name"),
				ExpectError: errorMatching("name must be a training plan name", `got: "not_a_valid_name"`),
			},
			{
				// Last, so the destroy after the test has a valid configuration.
				Config: emu.providerConfig() + dataSource("llm-pretraining"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("arn"), knownvalue.StringExact(planARN)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status_message"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("start_time"), knownvalue.StringExact("2026-11-01T00:00:00Z")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("end_time"), knownvalue.StringExact("2026-12-01T00:00:00Z")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("duration_hours"), knownvalue.Int64Exact(720)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("duration_minutes"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("upfront_fee"), knownvalue.StringExact("17697.60")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("currency_code"), knownvalue.StringExact("USD")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_instance_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("available_instance_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("in_use_instance_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("target_resources"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("training-job")})),
				},
			},
		},
	})
}
