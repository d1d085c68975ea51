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

// MinHistoryRounds is how many history pages a refresh must wait for one after the other:
// each plan's pages come one after the other (a page needs the previous page's token), and
// Terraform refreshes at most parallelism resources, so plans, at once.
func (e Estate) MinHistoryRounds(parallelism int) int {
	return (e.Plans + parallelism - 1) / parallelism * ((e.HistoryPerPlan + historyPageSize - 1) / historyPageSize)
}

// SeedBought adds the estate's plans and history to the emulator with the managed extensions
// already bought, and returns the configuration that imports them (no provider block): a
// large estate is set up in one import instead of one purchase per extension.
func (e Estate) SeedBought(emu *emulator.Emulator) (string, error) {
	return e.seed(emu, true)
}

// Seed adds the estate's plans and past history to the emulator, and returns the
// configuration that buys the managed extensions (no provider block).
func (e Estate) Seed(emu *emulator.Emulator) (string, error) {
	return e.seed(emu, false)
}

// seed adds the plans, their history and an offering per managed extension, bought when
// bought is set, and returns the resources, with the import blocks of the bought ones.
func (e Estate) seed(emu *emulator.Emulator, bought bool) (string, error) {
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
			if err == nil && bought {
				err = emu.Buy(id)
			}
			if err != nil {
				return "", err
			}
			offerings[i] = fmt.Sprintf("%q", id)
			if bought {
				fmt.Fprintf(&config, "import {\n  to = sagemaker_training_plan_extension.plan_%d[%d]\n  id = %q\n}\n", p, i, planARN+","+id)
			}
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
