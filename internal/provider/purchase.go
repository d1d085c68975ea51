package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// purchaseOutcome is what a purchase did with the money. Callers switch on it.
type purchaseOutcome int

const (
	// purchaseNotMade: AWS certainly sold nothing.
	purchaseNotMade purchaseOutcome = iota
	// purchaseBought: the extension is bought, by this call or before it.
	purchaseBought
	// purchaseUnknown: the request may have reached AWS, and the history does not show it yet.
	purchaseUnknown
)

// purchase is the result of buying an offering.
type purchase struct {
	outcome    purchaseOutcome
	offeringID string
	// extension is the extension as AWS reports it. It is nil when AWS has not said: the
	// outcome is unknown, or AWS accepted the purchase and its history does not list it yet.
	extension *awstypes.TrainingPlanExtension
	// adopted is set when the extension was bought before, and nothing was bought now.
	adopted bool
	// offeringGone is set when nothing was bought because AWS does not sell the offering (any
	// more): it expired, was withdrawn or was used.
	offeringGone bool
}

// purchaseIntent is what a purchase is meant to buy. Its plan, offering and hours are empty or
// zero when known only after apply.
type purchaseIntent struct {
	planARN, offeringID string
	// hours are the hours the plan showed; terms are the quote's, when known.
	hours window
	terms *quoteTerms
	// maxFee is max_upfront_fee as written, empty for none.
	maxFee string
	// adoptable says whether an extension already bought with the offering (a lost state
	// file, an earlier apply that got no answer) may be adopted instead of buying.
	adoptable bool
}

// String says what the intent buys, for messages.
func (i purchaseIntent) String() string {
	target := "a training plan known only after apply"
	if i.planARN != "" {
		target = "training plan " + i.planARN
	}
	switch {
	case i.offeringID != "" && i.terms != nil:
		return fmt.Sprintf("offering %s (%s) for %s", i.offeringID, i.terms, target)
	case i.offeringID != "" && !i.hours.start.IsZero():
		return fmt.Sprintf("offering %s, starting at %s, for %s", i.offeringID, i.hours.start.Format(time.RFC3339), target)
	case i.offeringID != "":
		return fmt.Sprintf("offering %s for %s", i.offeringID, target)
	case i.maxFee != "":
		return fmt.Sprintf("an extension of %s for at most %s", target, i.maxFee)
	}
	return "an extension of " + target
}

// checkCap refuses an intent whose price is above its max_upfront_fee, or not known before
// buying when it has one.
func (i purchaseIntent) checkCap() diag.Diagnostics {
	var diags diag.Diagnostics
	if i.maxFee == "" {
		return diags
	}
	maxFee, _ := new(big.Rat).SetString(i.maxFee) // validated: a decimal amount
	switch cost := i.price(); {
	case cost.amount == nil:
		diags.AddAttributeError(path.Root("max_upfront_fee"), "purchase above max_upfront_fee",
			fmt.Sprintf("This would buy %s, whose price is not known before buying, so max_upfront_fee = %q cannot be checked. Nothing was bought.", i, i.maxFee))
	case cost.amount.Cmp(maxFee) > 0:
		diags.AddAttributeError(path.Root("max_upfront_fee"), "purchase above max_upfront_fee",
			fmt.Sprintf("This would buy %s, which costs more than max_upfront_fee = %q. Nothing was bought.", i, i.maxFee))
	}
	return diags
}

// price is what the intent's quote costs, unknown (a nil amount) without its terms.
func (i purchaseIntent) price() price {
	if i.terms == nil {
		return price{}
	}
	return quotePrice(*i.terms)
}

// buyGuarded buys what an intent says, under the plan's purchase lock and after a fresh read of
// its history: hours that an extension already covers, whoever bought it, are never bought
// again. The intent's cap and the provider's guardrails (allow_purchases, run_budget) have the
// last word.
func buyGuarded(ctx context.Context, pd *providerData, intent purchaseIntent) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	planARN, offeringID := intent.planARN, intent.offeringID
	summary := purchaseSummary(offeringID)
	notMade := purchase{outcome: purchaseNotMade, offeringID: offeringID}
	unlock, err := lockPlanPurchases(ctx, pd.purchaseLockScope, planARN)
	if err != nil {
		diags.AddError(summary, err.Error()+"\n\nNothing was bought.")
		return notMade, diags
	}
	defer unlock()
	history, err := listExtensionHistory(ctx, pd.sageMaker, planARN)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("reading the history of training plan %s before purchasing: %s\n\nNothing was bought.", planARN, err))
		return notMade, diags
	}
	if existing, err := extensionByOfferingID(history, planARN, offeringID); err == nil {
		if !intent.adoptable {
			diags.AddError(summary, hoursAlreadyBought(planARN, intent.hours, *existing))
			return notMade, diags
		}
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) adopted", offeringID),
			fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s), for example by an earlier apply whose state was lost. "+
				"No purchase was made; the existing extension is now managed by this resource.",
				offeringID, planARN, aws.ToTime(existing.ExtendedAt).UTC().Format(time.RFC3339)))
		return purchase{outcome: purchaseBought, offeringID: offeringID, extension: existing, adopted: true}, diags
	}
	if covering, ok := coveringExtension(history, intent.hours, offeringID); ok {
		diags.AddError(summary, hoursAlreadyBought(planARN, intent.hours, *covering))
		return notMade, diags
	}
	if diags = intent.checkCap(); diags.HasError() {
		return notMade, diags
	}
	if diags = pd.spend.checkAllowed(intent.String()); diags.HasError() {
		return notMade, diags
	}
	if budget := pd.spend.budget; budget != nil {
		release, budgetDiags := budget.reserve(intent.price(), intent.String())
		if budgetDiags.HasError() {
			return notMade, budgetDiags
		}
		bought, buyDiags := buyOffering(ctx, pd, planARN, offeringID)
		if bought.outcome == purchaseNotMade {
			release()
		}
		return bought, buyDiags
	}
	return buyOffering(ctx, pd, planARN, offeringID)
}

// purchaseQuote buys the quote a plan by duration showed: the run's search must offer a quote
// with exactly the planned terms. The apply plans the create again with every value known, so
// the plan it applies always shows the terms; choosing here is only a guard for a plan that
// does not.
func purchaseQuote(ctx context.Context, pd *providerData, planned trainingPlanExtensionModel) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	req := planned.quoteRequest()
	summary := fmt.Sprintf("purchasing a %d-hour SageMaker training plan extension (%s)", req.hours, req.planARN)
	offerings, err := searchOfferings(ctx, pd, req.planARN, &req.hours)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("searching the offerings: %s\n\nNothing was bought.", err))
		return purchase{outcome: purchaseNotMade}, diags
	}
	var quote *awstypes.TrainingPlanExtensionOffering
	if terms, ok := planned.plannedTerms(); ok {
		if quote, ok = findQuote(offerings, terms); !ok {
			diags.AddError(summary, fmt.Sprintf("the quote this plan showed (%s) is no longer offered: it expired, was bought, or its price changed. "+
				"Nothing was bought. Run terraform plan again to see the current quote.", terms))
			return purchase{outcome: purchaseNotMade}, diags
		}
	} else if quote, err = chooseQuote(offerings, req); err != nil {
		diags.AddError(summary, err.Error())
		return purchase{outcome: purchaseNotMade}, diags
	}
	terms := termsOfOffering(*quote)
	// A quote by duration is never adopted: two resources must never track one extension.
	bought, buyDiags := buyGuarded(ctx, pd, purchaseIntent{
		planARN: req.planARN, offeringID: aws.ToString(quote.TrainingPlanExtensionOfferingId), hours: terms.window(), terms: &terms, maxFee: req.maxFee,
	})
	diags.Append(buyDiags...)
	return bought, diags
}

// purchaseDeclaredOffering buys a declared offering for the hours the plan showed, unless the
// plan's history shows it was bought already (an earlier apply whose state was lost, or an
// extension bought by hand), in which case it adopts that extension.
func purchaseDeclaredOffering(ctx context.Context, pd *providerData, planned trainingPlanExtensionModel) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	planARN, offeringID := planned.TrainingPlanARN.ValueString(), planned.TrainingPlanExtensionOfferingID.ValueString()
	intent, ok := planned.plannedIntent()
	if !ok {
		diags.AddError(purchaseSummary(offeringID), "The plan does not say where the extension starts, so its hours cannot be checked against those already bought. "+
			"Nothing was bought. Run terraform plan again.")
		return purchase{outcome: purchaseNotMade, offeringID: offeringID}, diags
	}
	// An offering ID known only after apply comes from a data source read now, in this run:
	// its quote tells the price, for the cap and the budget.
	bought, buyDiags := buyGuarded(ctx, pd, pd.quotes.priced(intent))
	diags.Append(buyDiags...)
	if bought.outcome == purchaseBought && !bought.adopted && bought.extension != nil {
		diags.Append(checkBoughtForDeclaredPlan(ctx, pd, planARN, offeringID)...)
	}
	return bought, diags
}

// checkBoughtForDeclaredPlan warns when a purchase does not show in the declared plan's
// history: AWS takes the plan from the offering ID alone, so an offering quoted for another
// plan extends that one. The extension stays in state either way, so nothing buys it again.
// The purchase invalidated the plan's shared history, so the scan it reads started after the
// purchase, and one scan serves every resource bought for the plan at the same time.
func checkBoughtForDeclaredPlan(ctx context.Context, pd *providerData, planARN, offeringID string) diag.Diagnostics {
	var diags diag.Diagnostics
	_, err := findExtensionShared(ctx, pd.history, planARN, offeringID)
	if isNotFound(err) {
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) bought for another training plan", offeringID),
			fmt.Sprintf("Offering %s was bought, but the history of training plan %s does not list it: the offering belongs to another training plan, "+
				"and AWS extended that one. The extension is kept in state so that nothing buys it again. "+
				"Import it under the plan it belongs to, and stop managing this resource with a removed block or terraform state rm.",
				offeringID, planARN))
	}
	return diags
}
