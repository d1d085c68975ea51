package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// recentPurchaseWindow is how far back a plan looks for an extension that the planned one
// may repeat, such as one bought by a run that was killed before it could save state.
const recentPurchaseWindow = 24 * time.Hour

// planPurchase fills in, and warns about, what creating the resource will buy. By duration it
// chooses the quote now, so the plan shows its fee and dates, and refuses to plan a purchase
// whose price it cannot show unless max_upfront_fee bounds it. By offering ID it shows what the
// provider can know of the offering, checks that it was quoted for the declared plan, and says
// when apply will adopt instead of buying. Either way it refuses hours that are already bought,
// or that another resource of the run plans to buy. It buys nothing ever.
func planPurchase(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel, configuredOffering types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	byDuration := !plan.RequestedDurationHours.IsNull()
	if !byDuration && configuredOffering.IsNull() {
		diags.AddAttributeError(path.Root("requested_duration_hours"), "nothing to buy",
			"Set requested_duration_hours (the length to buy: the plan then chooses the quote and shows its price) or "+
				"training_plan_extension_offering_id (one quote, for example from the sagemaker_training_plan_extension_offerings data source); neither is set. "+
				"If the offering ID comes from the offerings data source, the search returned no offering: AWS has no capacity to sell "+
				"for this training plan right now, or the plan can no longer be extended.")
		return diags
	}
	if pd == nil {
		return diags // validation before the provider is configured
	}
	if byDuration {
		return planQuote(ctx, pd, plan)
	}
	return planDeclaredOffering(ctx, pd, plan)
}

// planQuote chooses the quote a create by duration buys, and shows its terms.
func planQuote(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel) diag.Diagnostics {
	for _, input := range []struct {
		name    string
		unknown bool
	}{
		{"training_plan_arn", plan.TrainingPlanARN.IsUnknown()},
		{"requested_duration_hours", plan.RequestedDurationHours.IsUnknown()},
		{"max_upfront_fee", plan.MaxUpfrontFee.IsUnknown()},
	} {
		if input.unknown {
			return planBlindQuote(pd, *plan, input.name)
		}
	}
	planARN := plan.TrainingPlanARN.ValueString()
	ctx, cancel, history, diags := readPlanBeforePurchase(ctx, pd, planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	request := plan.quoteRequest()
	offerings, err := searchOfferings(ctx, pd, planARN, &request.hours)
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), fmt.Sprintf("searching SageMaker training plan extension offerings (%s)", planARN), err.Error())
		return diags
	}
	quote, err := chooseQuote(offerings, request)
	if err != nil {
		diags.AddAttributeError(path.Root("requested_duration_hours"), "no SageMaker training plan extension offering to buy", err.Error())
		return diags
	}
	terms := termsOfOffering(*quote)
	diags.Append(checkPlannedPurchase(pd, purchaseIntent{planARN: planARN, offeringID: aws.ToString(quote.TrainingPlanExtensionOfferingId), hours: terms.window(), terms: &terms}, history)...)
	if diags.HasError() {
		return diags
	}
	plan.setTerms(terms)
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, "an extension of "+terms.String())+
		" The quote's ID is known after apply. Apply buys a quote with exactly these terms or nothing: if the quote expires, is bought "+
		"or changes price before apply, apply stops without buying (Terraform may report it as an inconsistent final plan); run plan again.")
	diags.Append(recentPurchaseWarning(history, planARN, terms.DurationHours)...)
	return diags
}

// planBlindQuote plans a create by duration whose quote can only be chosen at apply: it must
// be bounded by a cap the plan shows, or the plan would buy at whatever price apply finds.
// Against the provider's run_budget, the cap counts as the price.
func planBlindQuote(pd *providerData, plan trainingPlanExtensionModel, unknown string) diag.Diagnostics {
	var diags diag.Diagnostics
	what := describePurchase(plan, "")
	if diags = pd.spend.checkAllowed(what); diags.HasError() {
		return diags
	}
	if plan.MaxUpfrontFee.IsNull() || plan.MaxUpfrontFee.IsUnknown() {
		diags.AddAttributeError(path.Root(unknown), "purchase without a price in the plan",
			fmt.Sprintf("%s is known only after apply, so this plan cannot choose the quote or show its price, and no max_upfront_fee known now bounds it: "+
				"applying it would buy at whatever price AWS quotes then. Nothing was bought. Either make %s known when planning, "+
				"for example by removing a depends_on from the data source it comes from, so that the plan shows the quote's price, "+
				"or set max_upfront_fee to the most this extension may cost, as a value known when planning.", unknown, unknown))
		return diags
	}
	if budget := pd.spend.budget; budget != nil {
		capped, _ := new(big.Rat).SetString(plan.MaxUpfrontFee.ValueString())
		if diags = budget.plan(price{amount: capped, text: plan.MaxUpfrontFee.ValueString()}, what); diags.HasError() {
			return diags
		}
	}
	diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(plan, "")+
		fmt.Sprintf(" %s is known only after apply, so the quote is chosen then, never above max_upfront_fee = %q.", unknown, plan.MaxUpfrontFee.ValueString()))
	return diags
}

// planDeclaredOffering shows what a create by offering ID buys, as far as the provider can
// know it before apply, and where its hours start.
func planDeclaredOffering(ctx context.Context, pd *providerData, plan *trainingPlanExtensionModel) diag.Diagnostics {
	if plan.TrainingPlanARN.IsUnknown() {
		var diags diag.Diagnostics
		diags.AddWarning("this plan buys a SageMaker training plan extension", purchaseNotice(*plan, "")+
			" The training plan is known only after apply, so this plan cannot show the offering's price.")
		return diags
	}
	planARN := plan.TrainingPlanARN.ValueString()
	ctx, cancel, history, diags := readPlanBeforePurchase(ctx, pd, planARN)
	defer cancel()
	if diags.HasError() {
		return diags
	}
	offeringID := plan.TrainingPlanExtensionOfferingID
	quoted, quotedInRun := pd.quotes.lookup(offeringID.ValueString())
	if !offeringID.IsUnknown() {
		if quotedInRun && quoted.planARN != planARN {
			diags.AddAttributeError(path.Root("training_plan_arn"), "offering quoted for another training plan",
				fmt.Sprintf("Offering %s was quoted for training plan %s, but training_plan_arn is %s. AWS takes the plan from the offering ID alone, "+
					"so applying would extend %s. Search the offerings of the plan you mean to extend, or set training_plan_arn to %s.",
					offeringID.ValueString(), quoted.planARN, planARN, quoted.planARN, quoted.planARN))
			return diags
		}
		if x, err := extensionByOfferingID(history, planARN, offeringID.ValueString()); err == nil {
			plan.setTerms(termsOfExtension(*x))
			diags.AddWarning("this plan adopts a SageMaker training plan extension bought earlier",
				fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s). Applying stores that extension in state and buys nothing.",
					offeringID.ValueString(), planARN, aws.ToTime(x.ExtendedAt).UTC().Format(time.RFC3339)))
			return diags
		}
	}

	// Terraform plans the create again during apply, where only what can be read again from
	// AWS can be planned the same way: where the plan ends now, and the offering's terms if a
	// search of the plan returns its ID. A quote this run's data source searched is shown in
	// the warning, and checked against the history, but not planned.
	start, err := extendedEnd(ctx, pd, planARN, history)
	if err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), fmt.Sprintf("reading SageMaker training plan (%s) before purchasing", planARN), err.Error())
		return diags
	}
	plan.StartDate = rfc3339(&start)
	hours := window{start: start}
	terms, termsKnown := quoted.terms, quotedInRun
	if !offeringID.IsUnknown() {
		// A plan that can no longer be searched still shows where the extension starts.
		if offerings, err := searchOfferings(ctx, pd, planARN, nil); err == nil {
			if found, ok := findOffering(offerings, offeringID.ValueString()); ok {
				terms, termsKnown = termsOfOffering(*found), true
				plan.setTerms(terms)
			}
		}
	}
	if termsKnown {
		hours = terms.window()
	}
	intent := purchaseIntent{planARN: planARN, offeringID: offeringID.ValueString(), hours: hours}
	if known, ok := plan.plannedTerms(); ok {
		// The price apply will know; a price only the data source found is unknown to it.
		intent.terms = &known
	}
	diags.Append(checkPlannedPurchase(pd, intent, history)...)
	if diags.HasError() {
		return diags
	}
	var notice string
	switch {
	case termsKnown:
		notice = purchaseNotice(*plan, fmt.Sprintf("offering %s (%s)", offeringID.ValueString(), terms))
	case offeringID.IsUnknown():
		notice = purchaseNotice(*plan, "an offering known only after apply, starting at "+start.Format(time.RFC3339)) +
			" The offering's length and price are not known to this plan."
	default:
		notice = purchaseNotice(*plan, fmt.Sprintf("offering %s, starting at %s", offeringID.ValueString(), start.Format(time.RFC3339))) +
			" Its length and price are not known to this plan: the offering was not searched in this run, and a search of the training plan does not return it."
	}
	diags.AddWarning("this plan buys a SageMaker training plan extension", notice)
	diags.Append(recentPurchaseWarning(history, planARN, 0)...)
	return diags
}

// readPlanBeforePurchase checks that the provider can reach a plan and reads its shared
// history, within a bounded context that the caller cancels.
func readPlanBeforePurchase(ctx context.Context, pd *providerData, planARN string) (context.Context, context.CancelFunc, []awstypes.TrainingPlanExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel := context.WithTimeout(apiContext(ctx), defaultReadTimeout)
	if err := pd.checkTrainingPlanARN(planARN); err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), "training plan out of the provider's reach", err.Error())
		return ctx, cancel, nil, diags
	}
	history, err := pd.history.get(ctx, planARN)
	if err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), fmt.Sprintf("reading SageMaker training plan (%s) before purchasing", planARN), err.Error())
	}
	return ctx, cancel, history, diags
}

// checkPlannedPurchase refuses a planned purchase of hours that an extension already covers,
// or that another purchase of this run plans to buy, or that the provider's guardrails forbid,
// and otherwise records its hours and price as planned.
func checkPlannedPurchase(pd *providerData, intent purchaseIntent, history []awstypes.TrainingPlanExtension) diag.Diagnostics {
	planARN, hours := intent.planARN, intent.hours
	var diags diag.Diagnostics
	if covering, ok := coveringExtension(history, hours, intent.offeringID); ok {
		diags.AddAttributeError(path.Root("training_plan_arn"), "hours already bought", hoursAlreadyBought(planARN, hours, *covering))
		return diags
	}
	if diags = pd.spend.checkAllowed(intent.String()); diags.HasError() {
		return diags
	}
	if budget := pd.spend.budget; budget != nil {
		var cost price
		if intent.terms != nil {
			cost = quotePrice(*intent.terms)
		}
		if diags = budget.plan(cost, intent.String()); diags.HasError() {
			return diags
		}
	}
	if planned, ok := pd.planned.claim(planARN, hours); !ok {
		diags.AddAttributeError(path.Root("training_plan_arn"), "two purchases of the same hours",
			fmt.Sprintf("Another sagemaker_training_plan_extension of this configuration (with the same provider configuration) already plans to buy the hours %s "+
				"of training plan %s, and this one plans to buy the hours %s. AWS quotes extensions only from the current end of a training plan, "+
				"so every purchase for one plan in one apply would buy the same hours: only the first could be bought. Nothing was bought.\n\n"+
				"- To buy more hours at once, declare one extension of the total length (requested_duration_hours), "+
				"instead of several resources (count or for_each) for the same training plan.\n"+
				"- To buy several extensions one after the other, apply them one at a time (terraform apply -target=<address>): "+
				"each plan then quotes the hours after the extensions bought before it.", planned, planARN, hours))
	}
	return diags
}

// plannedPurchases are the hours each purchase this provider configuration plans in one run,
// by training plan. Terraform plans every resource before applying any, so each planned
// window is refused to every other resource of the run.
type plannedPurchases struct {
	mu     sync.Mutex
	byPlan map[string][]window
}

// claim records hours as planned, or returns the planned window they overlap.
func (p *plannedPurchases) claim(planARN string, hours window) (window, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, planned := range p.byPlan[planARN] {
		if planned.overlapsWindow(hours) {
			return planned, false
		}
	}
	if p.byPlan == nil {
		p.byPlan = map[string][]window{}
	}
	p.byPlan[planARN] = append(p.byPlan[planARN], hours)
	return window{}, true
}

// purchaseNotice says what applying will buy and that it cannot be undone.
func purchaseNotice(plan trainingPlanExtensionModel, what string) string {
	return fmt.Sprintf("Applying buys %s. Extensions are non-refundable and cannot be cancelled.", describePurchase(plan, what))
}

// describePurchase says what a plan buys (what, or as much as the plan knows) and for which
// training plan.
func describePurchase(plan trainingPlanExtensionModel, what string) string {
	switch {
	case what != "":
	case !plan.TrainingPlanExtensionOfferingID.IsUnknown() && !plan.TrainingPlanExtensionOfferingID.IsNull():
		what = "offering " + plan.TrainingPlanExtensionOfferingID.ValueString()
	case !plan.RequestedDurationHours.IsNull() && !plan.RequestedDurationHours.IsUnknown():
		what = fmt.Sprintf("an extension of %d hours", hoursOf(plan.RequestedDurationHours))
	default:
		what = "an extension"
	}
	target := "the training plan"
	if !plan.TrainingPlanARN.IsUnknown() {
		target = "training plan " + plan.TrainingPlanARN.ValueString()
	}
	return what + " for " + target
}

// recentPurchaseWarning points at extensions bought for the plan in the last hours (of the
// given length, or any length for 0), which the planned purchase may repeat.
func recentPurchaseWarning(history []awstypes.TrainingPlanExtension, planARN string, hours int64) diag.Diagnostics {
	var diags diag.Diagnostics
	var recent []string
	for _, x := range history {
		if time.Since(aws.ToTime(x.ExtendedAt)) > recentPurchaseWindow || aws.ToString(x.Status) == statusFailed {
			continue
		}
		if hours != 0 && int64(aws.ToInt32(x.DurationHours)) != hours {
			continue
		}
		recent = append(recent, fmt.Sprintf("- offering %s, %d hours, bought at %s:\n\n    import {\n      to = sagemaker_training_plan_extension.<name>\n      id = %q\n    }",
			aws.ToString(x.TrainingPlanExtensionOfferingId), aws.ToInt32(x.DurationHours),
			aws.ToTime(x.ExtendedAt).UTC().Format(time.RFC3339), extensionID(planARN, aws.ToString(x.TrainingPlanExtensionOfferingId))))
	}
	if len(recent) > 0 {
		diags.AddWarning("a similar SageMaker training plan extension was bought recently",
			fmt.Sprintf("Training plan %s has extensions bought in the last %d hours that this plan may repeat, for example by an apply that was interrupted "+
				"before it saved state. If one of them is the extension this resource should manage, adopt it with an import block instead of buying another:\n\n%s",
				planARN, int(recentPurchaseWindow.Hours()), strings.Join(recent, "\n")))
	}
	return diags
}
