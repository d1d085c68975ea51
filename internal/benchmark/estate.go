// Package benchmark builds the large estates that measure how refreshes scale: many
// extensions over a few training plans with long histories.
package benchmark

import (
	"fmt"
	"slices"
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
	// OneBlock declares the managed extensions in one resource block, the plans taking turns,
	// instead of one block per plan. Terraform refreshes a block's instances before the next
	// block's, so only this layout lets it refresh several plans' extensions at once.
	OneBlock bool
}

// PagesPerPlan is how many history calls one scan of a plan makes.
func (e Estate) PagesPerPlan() int {
	return (e.HistoryPerPlan + historyPageSize - 1) / historyPageSize
}

// MinHistoryCalls is the fewest history calls a refresh can make: one scan per plan.
func (e Estate) MinHistoryCalls() int {
	return e.Plans * e.PagesPerPlan()
}

// NaiveHistoryCalls is what one scan per managed extension costs.
func (e Estate) NaiveHistoryCalls() int {
	return e.Extensions * e.PagesPerPlan()
}

// MinHistoryRounds is how many history pages a refresh must wait for one after the other:
// each plan's pages come one after the other (a page needs the previous page's token), and
// Terraform refreshes at most parallelism resources, so plans, at once.
func (e Estate) MinHistoryRounds(parallelism int) int {
	return (e.Plans + parallelism - 1) / parallelism * e.PagesPerPlan()
}

// SeedBought adds the estate's plans and history to the emulator with the managed extensions
// already bought, and returns the configuration of their resources and the import blocks that
// adopt them (no provider block): a large estate is set up in one import instead of one
// purchase per extension. The import blocks belong in a file of their own, to be removed once
// applied, so that they do not weigh on the plans timed afterwards.
func (e Estate) SeedBought(emu *emulator.Emulator) (resources, imports string, err error) {
	return e.seed(emu, true)
}

// Seed adds the estate's plans and past history to the emulator, and returns the
// configuration that buys the managed extensions (no provider block). One run buys one
// extension per training plan, so the estate has one per plan.
func (e Estate) Seed(emu *emulator.Emulator) (string, error) {
	if e.Extensions != e.Plans {
		return "", fmt.Errorf("estate %+v: one run buys one extension per plan; seed more bought, with SeedBought", e)
	}
	resources, _, err := e.seed(emu, false)
	return resources, err
}

// seed adds the plans, their history and an offering per managed extension, bought when
// bought is set, and returns the resources and the import blocks of the bought ones.
func (e Estate) seed(emu *emulator.Emulator, bought bool) (resources, imports string, err error) {
	if e.Plans < 1 || e.Extensions%e.Plans != 0 || e.HistoryPerPlan < e.Extensions/e.Plans {
		return "", "", fmt.Errorf("estate %+v: extensions must spread evenly over the plans and fit in their histories", e)
	}
	perPlan := e.Extensions / e.Plans
	planARNs := make([]string, e.Plans)
	offerings := make([][]string, e.Plans) // by plan
	for p := range e.Plans {
		planARNs[p] = emu.AddPlan(emulator.PlanSpec{Name: fmt.Sprintf("bench-plan-%d", p)})
		if err := emu.SeedHistory(planARNs[p], e.HistoryPerPlan-perPlan); err != nil {
			return "", "", err
		}
		for range perPlan {
			id, err := emu.AddOffering(planARNs[p], 24)
			if err == nil && bought {
				err = emu.Buy(id)
			}
			if err != nil {
				return "", "", err
			}
			offerings[p] = append(offerings[p], id)
		}
	}
	var config, importBlocks strings.Builder
	// block declares one resource block; arn is its instances' plan ARN as an expression. The
	// offering IDs go in locals: a list written in the resource is evaluated for every instance.
	block := func(name, arn string, arns, ids []string) {
		fmt.Fprintf(&config, `
locals {
  %[1]s_offerings = %[3]s
}

resource "sagemaker_training_plan_extension" %[1]q {
  count                               = length(local.%[1]s_offerings)
  training_plan_arn                   = %[2]s
  training_plan_extension_offering_id = local.%[1]s_offerings[count.index]
}
`, name, arn, hclList(ids))
		if bought {
			for i := range ids {
				fmt.Fprintf(&importBlocks, "import {\n  to = sagemaker_training_plan_extension.%s[%d]\n  id = %q\n}\n", name, i, arns[i]+","+ids[i])
			}
		}
	}
	if e.OneBlock {
		var arns, ids []string
		for i := range perPlan {
			for p := range e.Plans {
				arns, ids = append(arns, planARNs[p]), append(ids, offerings[p][i])
			}
		}
		fmt.Fprintf(&config, "\nlocals {\n  all_plans = %s\n}\n", hclList(arns))
		block("all", "local.all_plans[count.index]", arns, ids)
	} else {
		for p := range e.Plans {
			block(fmt.Sprintf("plan_%d", p), fmt.Sprintf("%q", planARNs[p]), slices.Repeat([]string{planARNs[p]}, perPlan), offerings[p])
		}
	}
	return config.String(), importBlocks.String(), nil
}

// hclList writes strings as an HCL list expression.
func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
