package provider

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awstypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

func TestNewExtensionAttributes(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 30, 15, 250_000_000, time.FixedZone("CET", 3600))
	got := newExtensionAttributes(awstypes.TrainingPlanExtension{
		TrainingPlanExtensionOfferingId: aws.String(testOfferingID),
		ExtendedAt:                      aws.Time(at),
		StartDate:                       aws.Time(at.Add(24 * time.Hour)),
		EndDate:                         aws.Time(at.Add(72 * time.Hour)),
		Status:                          aws.String("Scheduled"),
		PaymentStatus:                   aws.String("Completed"),
		AvailabilityZone:                aws.String("us-east-2a"),
		AvailabilityZoneId:              aws.String("use2-az1"),
		DurationHours:                   aws.Int32(48),
		UpfrontFee:                      aws.String("1234.50"),
		CurrencyCode:                    aws.String("USD"),
	})
	checks := map[string][2]string{
		"extended_at":          {got.ExtendedAt.ValueString(), "2026-11-25T09:30:15Z"},
		"start_date":           {got.StartDate.ValueString(), "2026-11-26T09:30:15Z"},
		"end_date":             {got.EndDate.ValueString(), "2026-11-28T09:30:15Z"},
		"status":               {got.Status.ValueString(), "Scheduled"},
		"payment_status":       {got.PaymentStatus.ValueString(), "Completed"},
		"availability_zone":    {got.AvailabilityZone.ValueString(), "us-east-2a"},
		"availability_zone_id": {got.AvailabilityZoneID.ValueString(), "use2-az1"},
		"upfront_fee":          {got.UpfrontFee.ValueString(), "1234.50"},
		"currency_code":        {got.CurrencyCode.ValueString(), "USD"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if got.DurationHours.ValueInt64() != 48 {
		t.Errorf("duration_hours = %d, want 48", got.DurationHours.ValueInt64())
	}
}

func TestNewExtensionAttributesLeavesMissingFieldsNull(t *testing.T) {
	got := newExtensionAttributes(awstypes.TrainingPlanExtension{TrainingPlanExtensionOfferingId: aws.String(testOfferingID)})
	if !got.ExtendedAt.IsNull() || !got.Status.IsNull() || !got.DurationHours.IsNull() || !got.UpfrontFee.IsNull() {
		t.Errorf("missing fields must map to null, got %+v", got)
	}
}
