package provider

import (
	"fmt"
	"math/big"
	"os"
	"regexp"
	"strconv"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// currencyCodePattern is the form of an ISO 4217 currency code, as AWS quotes fees in.
var currencyCodePattern = regexp.MustCompile(`^[A-Z]{3}$`)

// allowPurchasesEnv forbids purchases for every provider configuration of a run when false,
// whatever the configurations say: a pipeline that must not spend sets it.
const allowPurchasesEnv = "SAGEMAKER_ALLOW_PURCHASES"

// spendGuard is what a provider configuration lets a run spend: nothing at all when purchases
// are forbidden, at most a budget per currency otherwise. It only ever refuses purchases.
type spendGuard struct {
	// forbiddenBy names what forbids purchases, empty when they are allowed.
	forbiddenBy string
	// budget is nil when the run may spend without a limit.
	budget *runBudget
}

// newSpendGuard reads allow_purchases, its environment variable and run_budget. Either of the
// first two set to false forbids purchases.
func newSpendGuard(allow types.Bool, budgets []runBudgetModel) (*spendGuard, diag.Diagnostics) {
	var diags diag.Diagnostics
	guard := &spendGuard{}
	if value, ok := os.LookupEnv(allowPurchasesEnv); ok && value != "" {
		allowed, err := strconv.ParseBool(value)
		switch {
		case err != nil:
			diags.AddError("invalid "+allowPurchasesEnv, fmt.Sprintf("%s must be true or false, got: %q. Nothing is bought while it is invalid.", allowPurchasesEnv, value))
			return nil, diags
		case !allowed:
			guard.forbiddenBy = allowPurchasesEnv + "=" + value
		}
	}
	if !allow.IsNull() && !allow.ValueBool() {
		guard.forbiddenBy = "allow_purchases = false"
	}
	for _, b := range budgets {
		limit, _ := new(big.Rat).SetString(b.MaxUpfrontFee.ValueString()) // validated: a decimal amount
		guard.budget = &runBudget{limit: limit, text: b.MaxUpfrontFee.ValueString(), currency: b.CurrencyCode.ValueString()}
	}
	return guard, diags
}

// checkAllowed refuses a planned or attempted purchase when the configuration forbids them.
func (g *spendGuard) checkAllowed(what string) diag.Diagnostics {
	var diags diag.Diagnostics
	if g.forbiddenBy != "" {
		diags.AddAttributeError(path.Root("training_plan_arn"), "purchases forbidden by the provider configuration",
			fmt.Sprintf("This would buy %s, but %s forbids purchases for this provider configuration. Nothing was bought. "+
				"Refreshes, imports, data sources and destroys keep working. To buy, run with a provider configuration that allows purchases "+
				"(allow_purchases unset or true, and %s unset or true), for example in the pipeline that applies after review.",
				what, g.forbiddenBy, allowPurchasesEnv))
	}
	return diags
}

// price is what a purchase costs, as far as it is known: a quote's fee in its currency, or a
// cap with no currency yet (the quote is chosen at apply).
type price struct {
	amount   *big.Rat
	text     string
	currency string
}

// quotePrice is a quote's price; its amount is nil, unknown, when AWS quoted no decimal fee.
func quotePrice(terms quoteTerms) price {
	amount, _ := new(big.Rat).SetString(terms.UpfrontFee)
	return price{amount: amount, text: terms.UpfrontFee, currency: terms.Currency}
}

// runBudget caps what one run of one provider configuration spends, in one currency. Terraform
// plans every create before applying any, and plans it again, in a new provider process, just
// before applying it. So the plans of a run are summed once in each process (planned), and
// what apply buys is summed apart (spent), under a lock held from the check to the outcome:
// concurrent purchases never pass the check together, and a purchase that failed frees its
// share.
type runBudget struct {
	limit    *big.Rat
	text     string
	currency string

	mu      sync.Mutex
	planned big.Rat
	spent   big.Rat
}

// plan adds a planned purchase to the run's planned total, or refuses it.
func (b *runBudget) plan(cost price, what string) diag.Diagnostics {
	b.mu.Lock()
	defer b.mu.Unlock()
	diags := b.check(&b.planned, cost, what, "plans")
	if !diags.HasError() {
		b.planned.Add(&b.planned, cost.amount)
	}
	return diags
}

// reserve adds a purchase about to be made to what the run spends, or refuses it; release
// takes it back out when nothing was bought.
func (b *runBudget) reserve(cost price, what string) (release func(), diags diag.Diagnostics) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if diags = b.check(&b.spent, cost, what, "has bought"); diags.HasError() {
		return func() {}, diags
	}
	b.spent.Add(&b.spent, cost.amount)
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.spent.Sub(&b.spent, cost.amount)
	}, diags
}

// check refuses a cost that is unknown, in another currency, or beyond the budget with total.
func (b *runBudget) check(total *big.Rat, cost price, what, verb string) diag.Diagnostics {
	var diags diag.Diagnostics
	summary := "purchase beyond the provider's run_budget"
	switch {
	case cost.amount == nil:
		diags.AddAttributeError(path.Root("training_plan_arn"), summary,
			fmt.Sprintf("This would buy %s, whose price is not known before buying, and run_budget caps what this run spends: nothing is bought "+
				"that could take it over %s %s unseen. Nothing was bought. Buy by requested_duration_hours, whose plan shows the price, "+
				"or with an offering whose price a search of the training plan returns.", what, b.text, b.currency))
	case cost.currency != "" && cost.currency != b.currency:
		diags.AddAttributeError(path.Root("training_plan_arn"), summary,
			fmt.Sprintf("This would buy %s, in %s, but run_budget is in %s: a purchase in another currency cannot be counted against it. Nothing was bought.",
				what, cost.currency, b.currency))
	case new(big.Rat).Add(total, cost.amount).Cmp(b.limit) > 0:
		sofar := ""
		if total.Sign() > 0 {
			sofar = fmt.Sprintf(" (the run %s %s %s already)", verb, total.FloatString(2), b.currency)
		}
		diags.AddAttributeError(path.Root("training_plan_arn"), summary,
			fmt.Sprintf("This would buy %s. With it, this run would spend %s %s, over the %s %s that run_budget allows a run of this provider "+
				"configuration%s. Nothing was bought. Raise max_upfront_fee in run_budget, or buy in separate runs.",
				what, new(big.Rat).Add(total, cost.amount).FloatString(2), b.currency, b.text, b.currency, sofar))
	}
	return diags
}

// runBudgetModel is the provider's run_budget block.
type runBudgetModel struct {
	MaxUpfrontFee types.String `tfsdk:"max_upfront_fee"`
	CurrencyCode  types.String `tfsdk:"currency_code"`
}
