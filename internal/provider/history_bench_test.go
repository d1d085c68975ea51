package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// syntheticHistory is a plan history of n settled extensions, as AWS returns it.
func syntheticHistory(n int) []awstypes.TrainingPlanExtension {
	history := make([]awstypes.TrainingPlanExtension, n)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range history {
		history[i] = awstypes.TrainingPlanExtension{
			TrainingPlanExtensionOfferingId: aws.String(fmt.Sprintf("tpeo-%064x", i)),
			ExtendedAt:                      aws.Time(at),
			StartDate:                       aws.Time(at.Add(24 * time.Hour)),
			EndDate:                         aws.Time(at.Add(48 * time.Hour)),
			Status:                          aws.String("Expired"),
			PaymentStatus:                   aws.String("Completed"),
			AvailabilityZone:                aws.String("us-west-2a"),
			AvailabilityZoneId:              aws.String("usw2-az1"),
			DurationHours:                   aws.Int32(24),
			UpfrontFee:                      aws.String("2359.68"),
			CurrencyCode:                    aws.String("USD"),
		}
	}
	return history
}

// BenchmarkExtensionByOfferingID finds the last of 300 extensions, the worst case of a lookup.
func BenchmarkExtensionByOfferingID(b *testing.B) {
	history := syntheticHistory(300)
	last := aws.ToString(history[len(history)-1].TrainingPlanExtensionOfferingId)
	for b.Loop() {
		if _, err := extensionByOfferingID(history, testPlanARN, last); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryCacheHit is a read served by a recent scan: what all but the first refresh
// of a plan's extensions cost.
func BenchmarkHistoryCacheHit(b *testing.B) {
	cache := newHistoryCache(nil)
	history := syntheticHistory(300)
	ctx := context.Background()
	if _, err := cache.scans.get(ctx, testPlanARN, testPlanARN, func(context.Context) ([]awstypes.TrainingPlanExtension, error) { return history, nil }); err != nil {
		b.Fatal(err)
	}
	last := aws.ToString(history[len(history)-1].TrainingPlanExtensionOfferingId)
	for b.Loop() {
		if _, err := findExtensionShared(ctx, cache, testPlanARN, last); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewExtensionAttributes maps one SDK extension into state values.
func BenchmarkNewExtensionAttributes(b *testing.B) {
	x := syntheticHistory(1)[0]
	for b.Loop() {
		_ = newExtensionAttributes(x)
	}
}

// BenchmarkExtensionListValue maps a 5000-entry history, a long-lived plan's, into the list
// data source's value.
func BenchmarkExtensionListValue(b *testing.B) {
	history := syntheticHistory(5000)
	for b.Loop() {
		if _, diags := extensionListValue(history); diags.HasError() {
			b.Fatal(diags)
		}
	}
}
