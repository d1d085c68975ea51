package provider

import (
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/emulator"
)

// TestAccSpendGuard_purchaseSwitch: a provider configuration that forbids purchases refuses every
// plan that would buy, by duration and by offering ID, and everything else keeps working:
// data sources, import, refresh, adopting an offering already bought, destroy.
func TestAccSpendGuard_purchaseSwitch(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "switched-off"})
	forbidding := emu.providerConfigWith("allow_purchases = false")
	refused := errorMatching("purchases forbidden by the provider configuration", "This would buy", "allow_purchases = false forbids purchases",
		"Nothing was bought", "allow_purchases unset or true")

	for _, config := range []string{
		forbidding + durationConfig(planARN, 24, ""),
		forbidding + offeringsConfig(planARN, "duration_hours = 24") + fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn                   = %q
  training_plan_extension_offering_id = data.sagemaker_training_plan_extension_offerings.test.offerings[0].training_plan_extension_offering_id
}
`, planARN),
		strings.Replace(blindConfig(emu, "switched-off", `max_upfront_fee = "20000"`), "provider \"sagemaker\" {", "provider \"sagemaker\" {\n  allow_purchases = false", 1),
	} {
		out, err := newTerraformCLI(t, config).run("plan", "-input=false")
		if err == nil || !refused.MatchString(out) {
			t.Errorf("a plan that buys is not refused (err %v):\n%s", err, out)
		}
	}
	emu.expectPurchaseCalls(t, 0)

	// Bought elsewhere: importing it, adopting it by offering ID, refreshing and destroying work.
	week, err := emu.BuyWindow(planARN, 168)
	if err != nil {
		t.Fatal(err)
	}
	imported := newTerraformCLI(t, forbidding+durationConfig(planARN, 168, "")+fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", extensionAddr, planARN+","+week))
	imported.mustRun("apply", "-auto-approve", "-input=false")
	imported.mustRun("apply", "-refresh-only", "-auto-approve", "-input=false")
	imported.mustRun("destroy", "-auto-approve", "-input=false")
	adopting := newTerraformCLI(t, forbidding+extensionConfig(planARN, week, ""))
	if out := adopting.mustRun("apply", "-auto-approve", "-input=false"); !errorMatching("adopts a SageMaker training plan extension bought earlier").MatchString(out) {
		t.Errorf("adopting an offering already bought does not say so:\n%s", out)
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 0)
}

// TestAccSpendGuard_pipelineForbidsPurchases: a plan saved where purchases are allowed, applied by
// a pipeline that sets SAGEMAKER_ALLOW_PURCHASES=false, buys nothing. Not parallel: it sets the
// environment of the provider, which runs in the test process.
func TestAccSpendGuard_pipelineForbidsPurchases(t *testing.T) {
	emu := startEmulator(t, emulator.Config{})
	planARN := emu.AddPlan(emulator.PlanSpec{Name: "pipeline"})
	cli := newTerraformCLI(t, emu.providerConfig()+durationConfig(planARN, 24, ""))
	cli.mustRun("plan", "-input=false", "-out=tfplan")

	t.Setenv(allowPurchasesEnv, "false")
	out, err := cli.run("apply", "-input=false", "tfplan")
	if err == nil || !errorMatching("purchases forbidden by the provider configuration", allowPurchasesEnv+"=false forbids purchases", "Nothing was bought").MatchString(out) {
		t.Errorf("the apply is not refused (err %v):\n%s", err, out)
	}
	t.Setenv(allowPurchasesEnv, "maybe")
	if out, err := cli.run("plan", "-input=false"); err == nil || !errorMatching("invalid "+allowPurchasesEnv, `must be true or false, got: "maybe"`).MatchString(out) {
		t.Errorf("an invalid %s is not refused (err %v):\n%s", allowPurchasesEnv, err, out)
	}
	emu.expectPurchaseCalls(t, 0)
}

// TestAccSpendGuard_runBudget: one and a half quotes of budget let one resource buy and refuse the
// second at plan time; a quote in another currency, a cap beyond the budget and a price rise
// between plan and apply are refused too, before anything is bought.
func TestAccSpendGuard_runBudget(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t, emulator.Config{})
	planA, planB := emu.AddPlan(emulator.PlanSpec{Name: "budget-a"}), emu.AddPlan(emulator.PlanSpec{Name: "budget-b"})
	budget := func(amount, currency string) string {
		return emu.providerConfigWith(fmt.Sprintf("run_budget {\n    max_upfront_fee = %q\n    currency_code   = %q\n  }", amount, currency))
	}
	twoPlans := fmt.Sprintf(`
resource "sagemaker_training_plan_extension" "a" {
  training_plan_arn        = %q
  requested_duration_hours = 24
}

resource "sagemaker_training_plan_extension" "b" {
  training_plan_arn        = %q
  requested_duration_hours = 24
}
`, planA, planB)

	// A quote costs 2359.68 USD.
	cli := newTerraformCLI(t, budget("3500", "USD")+twoPlans)
	out, err := cli.run("plan", "-input=false")
	if err == nil || !errorMatching("purchase beyond the provider's run_budget", "for 2359.68 USD", "would spend 4719.36 USD, over the 3500 USD that run_budget allows", "the run plans 2359.68 USD already", "Nothing was bought").MatchString(out) {
		t.Errorf("a plan over the budget is not refused (err %v):\n%s", err, out)
	}
	emu.expectPurchaseCalls(t, 0)
	cli.mustRun("apply", "-auto-approve", "-input=false", "-target=sagemaker_training_plan_extension.a")
	emu.expectPurchases(t, 1)

	for _, c := range []struct {
		config string
		want   []string
	}{
		{budget("100000", "EUR") + durationConfig(planB, 24, ""), []string{"for 2359.68 USD", "in USD, but run_budget is in EUR"}},
		{strings.Replace(blindConfig(emu, "budget-b", `max_upfront_fee = "20000"`), emu.providerConfig(), budget("3000", "USD"), 1), []string{"for at most 20000", "would spend 20000.00 USD, over the 3000 USD that run_budget allows", "configuration. Nothing was bought"}},
	} {
		out, err := newTerraformCLI(t, c.config).run("plan", "-input=false")
		if err == nil || !errorMatching(append([]string{"purchase beyond the provider's run_budget"}, c.want...)...).MatchString(out) {
			t.Errorf("the plan is not refused (err %v):\n%s", err, out)
		}
	}

	// The price doubles between the saved plan and its apply.
	saved := newTerraformCLI(t, budget("3000", "USD")+durationConfig(planB, 24, ""))
	saved.mustRun("plan", "-input=false", "-out=tfplan")
	if err := emu.Reprice(planB, 2*12.29); err != nil {
		t.Fatal(err)
	}
	if out, err := saved.run("apply", "-input=false", "tfplan"); err == nil || !errorMatching("purchase beyond the provider's run_budget", "for 4719.36 USD").MatchString(out) {
		t.Errorf("the apply after a price rise is not refused (err %v):\n%s", err, out)
	}
	emu.expectPurchases(t, 1)
	emu.expectPurchaseCalls(t, 1)
}

// TestRunBudgetNeverExceededByConcurrentPurchases: purchases reserve their price under one lock,
// so however many run at once, what they reserve never passes the budget, and failed ones free
// their share.
func TestRunBudgetNeverExceededByConcurrentPurchases(t *testing.T) {
	budget := &runBudget{limit: big.NewRat(10000, 1), text: "10000", currency: "USD"}
	cost := price{amount: big.NewRat(3000, 1), text: "3000", currency: "USD"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	reserved := 0
	for i := range 20 {
		wg.Go(func() {
			release, diags := budget.reserve(cost, "a quote")
			if diags.HasError() {
				return
			}
			if i%2 == 0 {
				release() // this purchase bought nothing
				return
			}
			mu.Lock()
			reserved++
			mu.Unlock()
		})
	}
	wg.Wait()
	if spent := budget.spent.FloatString(0); reserved > 3 || spent != fmt.Sprint(reserved*3000) {
		t.Errorf("%d purchases of 3000 kept within a budget of 10000, %s spent", reserved, spent)
	}
}
