package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
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

// purchaseTiming bounds a purchase: each ExtendTrainingPlan attempt, and the pauses between
// the fresh history reads that look for a purchase that got no answer.
type purchaseTiming struct {
	attemptTimeout time.Duration
	reconcileWaits []time.Duration
}

// defaultPurchaseTiming: AWS answers a purchase within seconds, so an attempt that takes a
// minute is lost; a purchase that got no answer is looked for in the history for 30 seconds.
var defaultPurchaseTiming = purchaseTiming{
	attemptTimeout: time.Minute,
	reconcileWaits: []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second},
}

// reconcileTimeout bounds the history reads after an ambiguous purchase failure. They run even
// when the create timeout has run out, because only they can tell whether money was spent.
const reconcileTimeout = 2 * time.Minute

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
		diags.AddWarning("adopted an existing SageMaker training plan extension",
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

// buyOffering calls ExtendTrainingPlan once and says what it did. Only an answer that AWS
// refused the purchase (a 4xx), or an error before the request left, means nothing was bought.
// AWS accepting it (a 2xx, even one whose body was lost) means it was bought. Anything else,
// a 5xx or no answer, may have followed a purchase: fresh reads of the plan's history decide,
// and when they cannot, the outcome is unknown, and the next plan settles it.
//
// ExtendTrainingPlan spends money and takes no idempotency token, so an attempt is repeated
// only when AWS certainly did not act on it, and each attempt is bounded, so that a call that
// never answers is reconciled instead of waiting out the create timeout.
func buyOffering(ctx context.Context, pd *providerData, planARN, offeringID string) (purchase, diag.Diagnostics) {
	var diags diag.Diagnostics
	summary := purchaseSummary(offeringID)
	tflog.Info(ctx, "purchasing SageMaker training plan extension", map[string]any{"training_plan_arn": planARN, "offering_id": offeringID})
	out, err := pd.sageMaker.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{
		TrainingPlanExtensionOfferingId: aws.String(offeringID),
	}, withPurchaseRetryPolicy, withAttemptTimeout(pd.timing.attemptTimeout))
	// Whatever the outcome, the plan may have changed: later reads must read it again.
	pd.invalidate(planARN)
	if err == nil {
		// The response lists the extensions of the plan the offering belongs to, which AWS
		// takes from the offering ID alone.
		if x, err := extensionByOfferingID(out.TrainingPlanExtensions, planARN, offeringID); err == nil {
			return purchase{outcome: purchaseBought, offeringID: offeringID, extension: x}, diags
		}
	} else if purchaseCertainlyNotMade(err) {
		var missing *awstypes.ResourceNotFound
		if errors.As(err, &missing) {
			diags.AddAttributeError(path.Root("training_plan_extension_offering_id"), summary,
				fmt.Sprintf("AWS does not sell offering %q: it does not exist, has expired, or was bought already. Nothing was bought.\n\n"+
					"Offerings are quotes that expire: search again (the sagemaker_training_plan_extension_offerings data source), "+
					"or let the plan choose a quote with requested_duration_hours.\n\n%s", offeringID, err))
			return purchase{outcome: purchaseNotMade, offeringID: offeringID, offeringGone: true}, diags
		}
		diags.AddError(summary, fmt.Sprintf("%s\n\nNothing was bought.", err))
		return purchase{outcome: purchaseNotMade, offeringID: offeringID}, diags
	}

	// AWS accepted the purchase, or may have. A fresh read of the plan's history says what was
	// bought; it runs even when the create timeout has run out, and keeps reading for a while
	// when the purchase may still be processed.
	accepted := err == nil || awsAccepted(err)
	reconcileCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
	defer cancel()
	bought, historyErr := reconcilePurchase(reconcileCtx, pd, planARN, offeringID, !accepted)
	switch {
	case historyErr == nil && err != nil:
		diags.AddWarning("SageMaker training plan extension purchased despite an error",
			fmt.Sprintf("The purchase of offering %s returned an error (%s), but the history of training plan %s shows the extension was bought. "+
				"It is stored in state; no second purchase was attempted.", offeringID, err, planARN))
		return purchase{outcome: purchaseBought, offeringID: offeringID, extension: bought}, diags
	case historyErr == nil:
		return purchase{outcome: purchaseBought, offeringID: offeringID, extension: bought}, diags
	case accepted:
		// Bought, for certain: state keeps it with the terms the plan showed, and refreshes
		// read the rest once the history lists it.
		answer := "its answer does not list the extension"
		if err != nil {
			answer = err.Error()
		}
		diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) bought, not yet in its training plan's history", offeringID),
			fmt.Sprintf("AWS accepted the purchase of offering %s (%s), but the history of training plan %s does not list it yet (%s). "+
				"It is stored in state with the terms the plan showed, and is never bought again; later refreshes read the rest.",
				offeringID, answer, planARN, historyErr))
		return purchase{outcome: purchaseBought, offeringID: offeringID}, diags
	}
	// Buying again now could buy twice, and failing would leave nothing in state to stop a
	// later apply from buying other hours in its place: keep the offering in state, and let
	// the next plan settle it.
	diags.AddWarning(fmt.Sprintf("SageMaker training plan extension (%s) purchase unconfirmed", offeringID),
		fmt.Sprintf("The purchase of offering %s got no clear answer from AWS (%s), and the history of training plan %s does not show it (%s), "+
			"so whether it was bought is unknown: the request may still be processed. The offering is stored in state, and nothing else is bought in its place. "+
			"The next plan settles it: if the history shows the extension by then, the refresh adopts it; if not, the plan shows the purchase of this same offering "+
			"again (an offering can be bought only once, so it can never be paid twice), and the next apply buys it. "+
			"`terraform plan -detailed-exitcode` exits 2 while the purchase is pending.",
			offeringID, err, planARN, historyErr))
	return purchase{outcome: purchaseUnknown, offeringID: offeringID}, diags
}

// reconcilePurchase looks a purchase up in a fresh read of the plan's history and, while the
// purchase may still be processed (wait), in more reads after each of the timing's pauses.
func reconcilePurchase(ctx context.Context, pd *providerData, planARN, offeringID string, wait bool) (*awstypes.TrainingPlanExtension, error) {
	bought, err := findExtensionFresh(ctx, pd.sageMaker, planARN, offeringID)
	for _, pause := range pd.timing.reconcileWaits {
		if !wait || !isNotFound(err) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		bought, err = findExtensionFresh(ctx, pd.sageMaker, planARN, offeringID)
	}
	return bought, err
}

// awsAccepted reports an answer with a 2xx status whose body could not be read: AWS acted on
// the request. The SDK wraps a lost connection or a timeout in a ResponseError too, with no
// status.
func awsAccepted(err error) bool {
	var respErr *awshttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 200 && respErr.HTTPStatusCode() < 300
}

func purchaseSummary(offeringID string) string {
	return fmt.Sprintf("purchasing SageMaker training plan extension (%s)", offeringID)
}

// withPurchaseRetryPolicy retries a purchase only when AWS certainly did not act on it: the
// connection was never made, or the service throttled the call. A timeout, a reset connection
// or a 5xx may follow a purchase that happened, so those are never retried.
func withPurchaseRetryPolicy(o *sagemaker.Options) {
	maxAttempts := o.RetryMaxAttempts
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		if maxAttempts > 0 {
			so.MaxAttempts = maxAttempts
		}
		so.RateLimiter = ratelimit.None
		so.Retryables = []retry.IsErrorRetryable{
			retry.NoRetryCanceledError{},
			retry.RetryableErrorCode{Codes: retry.DefaultThrottleErrorCodes},
			retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
				return aws.BoolTernary(requestNeverSent(err))
			}),
		}
	})
}

// withAttemptTimeout bounds each HTTP attempt of a call, not the call with its retries: a
// throttled purchase may take minutes of retries, an attempt that never answers may not.
func withAttemptTimeout(timeout time.Duration) func(*sagemaker.Options) {
	return func(o *sagemaker.Options) {
		o.HTTPClient = sdkhttp.WithAttemptTimeout(o.HTTPClient, timeout)
	}
}

// requestNeverSent reports errors raised before a connection to AWS existed.
func requestNeverSent(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial")
}

// purchaseCertainlyNotMade reports failures after which no extension can have been bought:
// the request never left, or AWS answered with a client error (it validates before it acts).
// The SDK wraps a refused connection in a ResponseError too, with no status, so that check
// comes first.
func purchaseCertainlyNotMade(err error) bool {
	if requestNeverSent(err) {
		return true
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		status := respErr.HTTPStatusCode()
		return status >= 400 && status < 500
	}
	return false
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
	if quoted, ok := pd.quotes.lookup(offeringID); ok && intent.terms == nil && quoted.planARN == planARN {
		intent.terms, intent.hours = &quoted.terms, quoted.terms.window()
	}
	bought, buyDiags := buyGuarded(ctx, pd, intent)
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
		diags.AddWarning("SageMaker training plan extension bought for another training plan",
			fmt.Sprintf("Offering %s was bought, but the history of training plan %s does not list it: the offering belongs to another training plan, "+
				"and AWS extended that one. The extension is kept in state so that nothing buys it again. "+
				"Import it under the plan it belongs to, and stop managing this resource with a removed block or terraform state rm.",
				offeringID, planARN))
	}
	return diags
}
