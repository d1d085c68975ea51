package provider

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// extendedEnd is where an extension bought now starts: the end of the plan with every
// extension that has not failed. AWS quotes extensions from there.
//
// A plan by offering ID shows it as the extension's start_date. Terraform plans a create
// again during apply, and an offering's own terms can then be unknown (AWS may quote new IDs
// on every search), but this can be read again: if anything was bought for the training plan
// between the plan and its apply, the start moves, and Terraform stops the apply before the
// purchase ("Provider produced inconsistent final plan").
func extendedEnd(ctx context.Context, pd *providerData, planARN string, history []awstypes.TrainingPlanExtension) (time.Time, error) {
	end, err := pd.planEnds.get(ctx, planARN)
	if err != nil {
		return time.Time{}, err
	}
	for _, x := range history {
		if xEnd := timestamp(x.EndDate); aws.ToString(x.Status) != statusFailed && xEnd.After(end) {
			end = xEnd
		}
	}
	return end, nil
}

// planEnds shares the run's reads of each training plan's end.
type planEnds struct {
	client *sagemaker.Client
	reads  runCache[time.Time]
}

func (p *planEnds) get(ctx context.Context, planARN string) (time.Time, error) {
	return p.reads.get(ctx, planARN, planARN, func(ctx context.Context) (time.Time, error) {
		// DescribeTrainingPlan takes the plan's ARN as its name since SDK v1.280.0.
		out, err := p.client.DescribeTrainingPlan(ctx, &sagemaker.DescribeTrainingPlanInput{TrainingPlanName: aws.String(planARN)})
		if err != nil {
			return time.Time{}, err
		}
		return timestamp(out.EndTime), nil
	})
}

func (p *planEnds) invalidate(planARN string) {
	p.reads.invalidate(planARN)
}
