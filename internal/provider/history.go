package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// historyPageSize is the largest page DescribeTrainingPlanExtensionHistory returns.
const historyPageSize = 100

// notFoundError means AWS does not know the training plan, or its history lacks the extension.
type notFoundError struct{ message string }

func (e *notFoundError) Error() string { return e.message }

func isNotFound(err error) bool {
	var nf *notFoundError
	return errors.As(err, &nf)
}

// listExtensionHistory reads every page of a training plan's extension history.
func listExtensionHistory(ctx context.Context, client *sagemaker.Client, planARN string) ([]awstypes.TrainingPlanExtension, error) {
	pages := sagemaker.NewDescribeTrainingPlanExtensionHistoryPaginator(client, &sagemaker.DescribeTrainingPlanExtensionHistoryInput{
		TrainingPlanArn: aws.String(planARN),
		MaxResults:      aws.Int32(historyPageSize),
	})
	var history []awstypes.TrainingPlanExtension
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		var missing *awstypes.ResourceNotFound
		if errors.As(err, &missing) {
			return nil, &notFoundError{message: fmt.Sprintf("training plan %s not found: %s", planARN, missing.ErrorMessage())}
		}
		if err != nil {
			return nil, err
		}
		history = append(history, page.TrainingPlanExtensions...)
	}
	return history, nil
}

// extensionByOfferingID picks the extension bought with an offering out of a plan's history.
func extensionByOfferingID(history []awstypes.TrainingPlanExtension, planARN, offeringID string) (*awstypes.TrainingPlanExtension, error) {
	for i := range history {
		if aws.ToString(history[i].TrainingPlanExtensionOfferingId) == offeringID {
			return &history[i], nil
		}
	}
	return nil, &notFoundError{message: fmt.Sprintf("no extension bought with offering %s in the history of training plan %s", offeringID, planARN)}
}

// findExtensionFresh looks an extension up in a scan of its plan's history made now, for the
// reads that must not trust the run's shared scan: those that decide whether money was spent.
func findExtensionFresh(ctx context.Context, client *sagemaker.Client, planARN, offeringID string) (*awstypes.TrainingPlanExtension, error) {
	history, err := listExtensionHistory(ctx, client, planARN)
	if err != nil {
		return nil, err
	}
	return extensionByOfferingID(history, planARN, offeringID)
}
