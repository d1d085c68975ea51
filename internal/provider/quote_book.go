package provider

import (
	"context"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// quoteBook shares the offering searches made at the same time, one per training plan and
// length (the plans of many resources side by side), and remembers every quote they returned:
// which plan it was quoted for, and its terms, which an offering ID keeps. What a data source
// searched is then known to the resources planned in the same run. A search is never reused
// later: quotes change, and a provider process may serve several runs (terraform test).
type quoteBook struct {
	client   *sagemaker.Client
	searches runCache[[]awstypes.TrainingPlanExtensionOffering]

	mu     sync.Mutex
	quoted map[string]quotedOffering // by offering ID
}

// quotedOffering is a quote as a search of this run returned it.
type quotedOffering struct {
	planARN string
	terms   quoteTerms
}

// search returns the plan's offerings of a length (AWS's usual lengths for nil).
func (b *quoteBook) search(ctx context.Context, planARN string, hours *int64) ([]awstypes.TrainingPlanExtensionOffering, error) {
	key := planARN
	if hours != nil {
		key += "\x00" + strconv.FormatInt(*hours, 10)
	}
	return b.searches.get(ctx, planARN, key, func(ctx context.Context) ([]awstypes.TrainingPlanExtensionOffering, error) {
		out, err := b.client.SearchTrainingPlanOfferings(ctx, &sagemaker.SearchTrainingPlanOfferingsInput{
			TrainingPlanArn: aws.String(planARN),
			DurationHours:   hours,
		})
		if err != nil {
			return nil, err
		}
		b.record(planARN, out.TrainingPlanExtensionOfferings)
		return out.TrainingPlanExtensionOfferings, nil
	})
}

func (b *quoteBook) record(planARN string, offerings []awstypes.TrainingPlanExtensionOffering) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.quoted == nil {
		b.quoted = map[string]quotedOffering{}
	}
	for _, o := range offerings {
		b.quoted[aws.ToString(o.TrainingPlanExtensionOfferingId)] = quotedOffering{planARN: planARN, terms: termsOfOffering(o)}
	}
}

// lookup returns an offering as a search of this run returned it.
func (b *quoteBook) lookup(offeringID string) (quotedOffering, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	q, ok := b.quoted[offeringID]
	return q, ok
}

// priced gives an intent without terms those of its offering as a search of this run quoted it
// for the intent's plan: the price a data source found, for the cap, the budget and messages.
func (b *quoteBook) priced(intent purchaseIntent) purchaseIntent {
	if quoted, ok := b.lookup(intent.offeringID); ok && intent.terms == nil && quoted.planARN == intent.planARN {
		intent.terms, intent.hours = &quoted.terms, quoted.terms.window()
	}
	return intent
}

// invalidate drops the plan's searches after a purchase: its quotes now start later.
func (b *quoteBook) invalidate(planARN string) {
	b.searches.invalidate(planARN)
}
