package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// reconcileTimeout bounds the history read after an ambiguous purchase failure. It runs even
// when the create timeout has run out, because only it can tell whether money was spent.
const reconcileTimeout = 2 * time.Minute

// purchaseExtension makes sure the offering is bought exactly once and returns the extension.
//
// ExtendTrainingPlan spends money and takes no idempotency token, so:
//   - an offering already in the plan's history is adopted, never bought again;
//   - the purchase is retried only when AWS certainly did not act on it;
//   - after any other failure the history decides whether the purchase happened.
func purchaseExtension(ctx context.Context, pd *providerData, planARN, offeringID string) (*awstypes.TrainingPlanExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	summary := fmt.Sprintf("purchasing SageMaker training plan extension (%s)", offeringID)

	existing, err := pd.history.findExtension(ctx, planARN, offeringID)
	switch {
	case err == nil:
		diags.AddWarning("adopted an existing SageMaker training plan extension",
			fmt.Sprintf("Offering %s was already bought for training plan %s (extended at %s), for example by an earlier apply whose state was lost. "+
				"No purchase was made; the existing extension is now managed by this resource.",
				offeringID, planARN, aws.ToTime(existing.ExtendedAt).UTC().Format(time.RFC3339)))
		return existing, diags
	case !isNotFound(err):
		diags.AddError(summary, fmt.Sprintf("reading the history of training plan %s before purchasing, to make sure the offering was not bought already: %s", planARN, err))
		return nil, diags
	}

	tflog.Info(ctx, "purchasing SageMaker training plan extension", map[string]any{"training_plan_arn": planARN, "offering_id": offeringID})
	out, err := pd.sageMaker.ExtendTrainingPlan(ctx, &sagemaker.ExtendTrainingPlanInput{
		TrainingPlanExtensionOfferingId: aws.String(offeringID),
	}, withPurchaseRetryPolicy)
	// Whatever the outcome, the history may have changed: later reads must scan it again.
	pd.history.invalidate(planARN)
	if err == nil {
		if x, err := extensionByOfferingID(out.TrainingPlanExtensions, planARN, offeringID); err == nil {
			return x, diags
		}
		err = errors.New("the response does not list the new extension")
	} else if purchaseCertainlyNotMade(err) {
		diags.AddError(summary, err.Error())
		return nil, diags
	}

	// The request may have reached AWS: only a fresh read of the plan's history can tell whether
	// it bought.
	reconcileCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
	defer cancel()
	bought, historyErr := findExtensionByOfferingID(reconcileCtx, pd.sageMaker, planARN, offeringID)
	switch {
	case historyErr == nil:
		diags.AddWarning("SageMaker training plan extension purchased despite an error",
			fmt.Sprintf("The purchase of offering %s returned an error (%s), but the history of training plan %s shows the extension was bought. "+
				"It is stored in state; no second purchase was attempted.", offeringID, err, planARN))
		return bought, diags
	case isNotFound(historyErr):
		diags.AddError(summary, fmt.Sprintf("%s\n\nThe history of training plan %s shows no purchase of this offering, so nothing was bought.", err, planARN))
	default:
		diags.AddError(summary, fmt.Sprintf("%s\n\nWhether the extension was bought is unknown: reading the history of training plan %s failed too: %s\n\n"+
			"Running apply again is safe: before purchasing, this resource looks the offering up in the plan's history and adopts it if it was bought.",
			err, planARN, historyErr))
	}
	return nil, diags
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

// requestNeverSent reports errors raised before a connection to AWS existed.
func requestNeverSent(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial")
}

// purchaseCertainlyNotMade reports failures after which no extension can have been bought:
// AWS answered with a client error (it validates before it acts), or the request never left.
func purchaseCertainlyNotMade(err error) bool {
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		status := respErr.HTTPStatusCode()
		return status >= 400 && status < 500
	}
	return requestNeverSent(err)
}
