// Package benchmark builds the large estates that measure how refreshes scale: many
// extensions over a few training plans with long histories.
package benchmark

import (
	"fmt"
	"strings"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// historyPageSize is the most DescribeTrainingPlanExtensionHistory returns per call.
const historyPageSize = 100

// Estate is P training plans whose histories hold M extensions each, N of which Terraform
// manages, spread evenly over the plans.
type Estate struct {
	Plans          int
	HistoryPerPlan int
	Extensions     int
}

// MinHistoryCalls is the fewest history calls a refresh can make: one scan per plan.
func (e Estate) MinHistoryCalls() int {
	return e.Plans * ((e.HistoryPerPlan + historyPageSize - 1) / historyPageSize)
}

// NaiveHistoryCalls is what one scan per managed extension costs.
func (e Estate) NaiveHistoryCalls() int {
	return e.Extensions * ((e.HistoryPerPlan + historyPageSize - 1) / historyPageSize)
}

// Seed adds the estate's plans and past history to the emulator, and returns the
// configuration that buys the managed extensions (no provider block).
func (e Estate) Seed(emu *emulator.Emulator) (string, error) {
	if e.Plans < 1 || e.Extensions%e.Plans != 0 || e.HistoryPerPlan < e.Extensions/e.Plans {
		return "", fmt.Errorf("estate %+v: extensions must spread evenly over the plans and fit in their histories", e)
	}
	perPlan := e.Extensions / e.Plans
	var config strings.Builder
	for p := range e.Plans {
		planARN := emu.AddPlan(emulator.PlanSpec{Name: fmt.Sprintf("bench-plan-%d", p)})
		if err := emu.SeedHistory(planARN, e.HistoryPerPlan-perPlan); err != nil {
			return "", err
		}
		offerings := make([]string, perPlan)
		for i := range offerings {
			id, err := emu.AddOffering(planARN, 24)
			if err != nil {
				return "", err
			}
			offerings[i] = fmt.Sprintf("%q", id)
		}
		fmt.Fprintf(&config, `
resource "sagemaker_training_plan_extension" "plan_%[1]d" {
  count                               = %[2]d
  training_plan_arn                   = %[3]q
  training_plan_extension_offering_id = [%[4]s][count.index]
}
`, p, perPlan, planARN, strings.Join(offerings, ", "))
	}
	return config.String(), nil
}
