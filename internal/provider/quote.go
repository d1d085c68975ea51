package provider

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// feePattern is the form of max_upfront_fee: a decimal amount, as AWS quotes upfront fees.
var feePattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// maxExtensionHours is the longest extension AWS sells: 26 weeks.
const maxExtensionHours = 4368

// purchasableHours is the length AWS sells for a requested duration: whole days up to 14 days,
// whole weeks beyond.
func purchasableHours(requested int64) int64 {
	days := (requested + 23) / 24
	if days > 14 {
		days = (days + 6) / 7 * 7
	}
	return days * 24
}

// quoteTerms are what a quote sells: the hours, and their price. The plan shows them, the
// purchase must keep them, and they decide whether two purchases pay for the same hours.
type quoteTerms struct {
	Start, End    time.Time
	DurationHours int64
	UpfrontFee    string
	Currency      string
}

func termsOfOffering(o awstypes.TrainingPlanExtensionOffering) quoteTerms {
	return newQuoteTerms(o.StartDate, o.EndDate, o.DurationHours, o.UpfrontFee, o.CurrencyCode)
}

func termsOfExtension(x awstypes.TrainingPlanExtension) quoteTerms {
	return newQuoteTerms(x.StartDate, x.EndDate, x.DurationHours, x.UpfrontFee, x.CurrencyCode)
}

// newQuoteTerms reads the fields an offering and an extension share (the SDK gives the two
// types no common interface).
func newQuoteTerms(start, end *time.Time, hours *int32, fee, currency *string) quoteTerms {
	return quoteTerms{
		Start:         timestamp(start),
		End:           timestamp(end),
		DurationHours: int64(aws.ToInt32(hours)),
		UpfrontFee:    aws.ToString(fee),
		Currency:      aws.ToString(currency),
	}
}

// timestamp is a time as the plan and state hold it: in UTC, to the second.
func timestamp(t *time.Time) time.Time {
	return aws.ToTime(t).UTC().Truncate(time.Second)
}

func (q quoteTerms) equal(other quoteTerms) bool {
	return q.Start.Equal(other.Start) && q.End.Equal(other.End) && q.DurationHours == other.DurationHours &&
		q.UpfrontFee == other.UpfrontFee && q.Currency == other.Currency
}

func (q quoteTerms) window() window {
	return window{start: q.Start, end: q.End}
}

func (q quoteTerms) String() string {
	return fmt.Sprintf("%d hours from %s to %s for %s %s", q.DurationHours, q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), q.UpfrontFee, q.Currency)
}

// quoteRequest is what a configuration by duration asks for.
type quoteRequest struct {
	planARN string
	hours   int64
	// maxFee is the cap as written (empty for none), to quote it back in errors.
	maxFee string
}

// noQuoteError means no offering fits the request; nothing was bought.
type noQuoteError struct {
	request  quoteRequest
	cheapest *awstypes.TrainingPlanExtensionOffering
}

func (e *noQuoteError) Error() string {
	if e.cheapest == nil {
		return fmt.Sprintf("AWS offers no extension of %d hours for training plan %s right now (capacity is not guaranteed). Nothing was bought.",
			e.request.hours, e.request.planARN)
	}
	return fmt.Sprintf("no extension offering of %d hours for training plan %s costs at most max_upfront_fee = %q. The cheapest quote seen is %s %s (%s). Nothing was bought.",
		e.request.hours, e.request.planARN, e.request.maxFee,
		aws.ToString(e.cheapest.UpfrontFee), aws.ToString(e.cheapest.CurrencyCode), aws.ToString(e.cheapest.TrainingPlanExtensionOfferingId))
}

// chooseQuote picks the offering to buy: at least the requested length, within the cap, then
// the earliest start, the lowest fee and the smallest ID, so every search of the same
// capacity picks the same quote.
func chooseQuote(offerings []awstypes.TrainingPlanExtensionOffering, req quoteRequest) (*awstypes.TrainingPlanExtensionOffering, error) {
	var maxFee *big.Rat
	if req.maxFee != "" {
		var ok bool
		if maxFee, ok = new(big.Rat).SetString(req.maxFee); !ok {
			return nil, fmt.Errorf("max_upfront_fee %q is not a decimal amount", req.maxFee)
		}
	}
	type pricedOffering struct {
		offering *awstypes.TrainingPlanExtensionOffering
		fee      *big.Rat
	}
	var fitting []pricedOffering
	var cheapest *pricedOffering
	for i := range offerings {
		o := &offerings[i]
		if int64(aws.ToInt32(o.DurationHours)) < req.hours {
			continue
		}
		fee, ok := new(big.Rat).SetString(aws.ToString(o.UpfrontFee))
		if !ok {
			continue // a quote without a readable price is never bought
		}
		if cheapest == nil || fee.Cmp(cheapest.fee) < 0 {
			cheapest = &pricedOffering{o, fee}
		}
		if maxFee == nil || fee.Cmp(maxFee) <= 0 {
			fitting = append(fitting, pricedOffering{o, fee})
		}
	}
	if len(fitting) == 0 {
		err := &noQuoteError{request: req}
		if maxFee != nil && cheapest != nil {
			err.cheapest = cheapest.offering
		}
		return nil, err
	}
	best := slices.MinFunc(fitting, func(a, b pricedOffering) int {
		return cmp.Or(
			aws.ToTime(a.offering.StartDate).Compare(aws.ToTime(b.offering.StartDate)),
			a.fee.Cmp(b.fee),
			cmp.Compare(aws.ToString(a.offering.TrainingPlanExtensionOfferingId), aws.ToString(b.offering.TrainingPlanExtensionOfferingId)),
		)
	})
	return best.offering, nil
}

// findQuote returns the offering with exactly the planned terms, the one the plan showed.
func findQuote(offerings []awstypes.TrainingPlanExtensionOffering, planned quoteTerms) (*awstypes.TrainingPlanExtensionOffering, bool) {
	for i := range offerings {
		if termsOfOffering(offerings[i]).equal(planned) {
			return &offerings[i], true
		}
	}
	return nil, false
}

// findOffering returns the offering with an ID out of a search.
func findOffering(offerings []awstypes.TrainingPlanExtensionOffering, offeringID string) (*awstypes.TrainingPlanExtensionOffering, bool) {
	for i := range offerings {
		if aws.ToString(offerings[i].TrainingPlanExtensionOfferingId) == offeringID {
			return &offerings[i], true
		}
	}
	return nil, false
}

// searchOfferings searches a plan's extension offerings through the run's shared searches.
func searchOfferings(ctx context.Context, pd *providerData, planARN string, hours *int64) ([]awstypes.TrainingPlanExtensionOffering, error) {
	return pd.quotes.search(ctx, planARN, hours)
}
