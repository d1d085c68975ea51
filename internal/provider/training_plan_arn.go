package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// trainingPlanARNPattern is the pattern SageMaker documents for TrainingPlanArn.
var trainingPlanARNPattern = regexp.MustCompile(`^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:training-plan/.*$`)

const (
	trainingPlanARNForm = "a SageMaker training plan ARN, arn:<partition>:sagemaker:<region>:<12-digit account>:training-plan/<name>"

	// The lengths SageMaker accepts for a TrainingPlanArn.
	minTrainingPlanARNLength = 50
	maxTrainingPlanARNLength = 2048
)

// validTrainingPlanARN reports whether SageMaker accepts s as a TrainingPlanArn.
func validTrainingPlanARN(s string) bool {
	return len(s) >= minTrainingPlanARNLength && len(s) <= maxTrainingPlanARNLength && trainingPlanARNPattern.MatchString(s)
}

// parseTrainingPlanARN splits a training plan ARN into its parts.
func parseTrainingPlanARN(s string) (arn.ARN, bool) {
	parsed, err := arn.Parse(s)
	return parsed, err == nil && validTrainingPlanARN(s)
}

// readPlan starts a read of a training plan: it refuses an ARN the provider cannot reach,
// before any call, and bounds the read. The caller cancels the context.
func (pd *providerData) readPlan(ctx context.Context, planARN string) (context.Context, context.CancelFunc, diag.Diagnostics) {
	var diags diag.Diagnostics
	if err := pd.checkTrainingPlanARN(planARN); err != nil {
		diags.AddAttributeError(path.Root("training_plan_arn"), "training plan out of the provider's reach", err.Error())
	}
	ctx, cancel := apiContext(ctx, readTimeout)
	return ctx, cancel, diags
}

// checkTrainingPlanARN refuses an ARN the provider's credentials cannot reach, before any call
// is made: SageMaker APIs only see plans in the caller's own account and Region.
func (pd *providerData) checkTrainingPlanARN(planARN string) error {
	parsed, ok := parseTrainingPlanARN(planARN)
	if !ok {
		return fmt.Errorf("%q is not a SageMaker training plan ARN; expected %s", planARN, trainingPlanARNForm)
	}
	if pd.partition != "" && parsed.Partition != pd.partition {
		return fmt.Errorf("training plan ARN %q is in partition %q, but the provider is configured for region %q in partition %q", planARN, parsed.Partition, pd.region, pd.partition)
	}
	if parsed.Region != pd.region {
		return fmt.Errorf("training plan ARN %q is in region %q, but the provider is configured for region %q; use a provider configuration for %q", planARN, parsed.Region, pd.region, parsed.Region)
	}
	if pd.accountID != "" && parsed.AccountID != pd.accountID {
		return fmt.Errorf("training plan ARN %q belongs to account %s, but the provider's credentials are for account %s", planARN, parsed.AccountID, pd.accountID)
	}
	return nil
}
