package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

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

// trainingPlanARN is the part of a training plan ARN that must agree with the provider.
type trainingPlanARN struct {
	partition, region, account string
}

func parseTrainingPlanARN(arn string) (trainingPlanARN, bool) {
	if !trainingPlanARNPattern.MatchString(arn) {
		return trainingPlanARN{}, false
	}
	parts := strings.SplitN(arn, ":", 6)
	return trainingPlanARN{partition: parts[1], region: parts[3], account: parts[4]}, true
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
func (pd *providerData) checkTrainingPlanARN(arn string) error {
	parsed, ok := parseTrainingPlanARN(arn)
	if !ok {
		return fmt.Errorf("%q is not a SageMaker training plan ARN; expected %s", arn, trainingPlanARNForm)
	}
	if pd.partition != "" && parsed.partition != pd.partition {
		return fmt.Errorf("training plan ARN %q is in partition %q, but the provider is configured for region %q in partition %q", arn, parsed.partition, pd.region, pd.partition)
	}
	if parsed.region != pd.region {
		return fmt.Errorf("training plan ARN %q is in region %q, but the provider is configured for region %q; use a provider configuration for %q", arn, parsed.region, pd.region, parsed.region)
	}
	if pd.accountID != "" && parsed.account != pd.accountID {
		return fmt.Errorf("training plan ARN %q belongs to account %s, but the provider's credentials are for account %s", arn, parsed.account, pd.accountID)
	}
	return nil
}
