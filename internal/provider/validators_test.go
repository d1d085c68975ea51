package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckTrainingPlanARN(t *testing.T) {
	pd := &providerData{region: "us-west-2", partition: "aws", accountID: "123456789012"}
	cases := map[string]string{
		testPlanARN: "",
		"arn:aws:sagemaker:eu-west-1:123456789012:training-plan/p":        `is in region "eu-west-1", but the provider is configured for region "us-west-2"`,
		"arn:aws:sagemaker:us-west-2:210987654321:training-plan/p":        "belongs to account 210987654321, but the provider's credentials are for account 123456789012",
		"arn:aws-us-gov:sagemaker:us-west-2:123456789012:training-plan/p": `is in partition "aws-us-gov"`,
		"arn:aws:ec2:us-west-2:123456789012:instance/i-1":                 "is not a SageMaker training plan ARN",
	}
	for arn, want := range cases {
		err := pd.checkTrainingPlanARN(arn)
		if want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", arn, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", arn, err, want)
		}
	}

	// Without an account ID (skip_requesting_account_id) only partition and Region are checked.
	pd.accountID = ""
	if err := pd.checkTrainingPlanARN("arn:aws:sagemaker:us-west-2:210987654321:training-plan/p"); err != nil {
		t.Errorf("unknown account: unexpected error %v", err)
	}
}

func TestRoleSessionDuration(t *testing.T) {
	for value, want := range map[string]string{
		"1h":    "",
		"15m":   "",
		"12h":   "",
		"14m":   `Attribute duration must be from 15m0s to 12h0m0s, got: "14m"`,
		"12h1s": `Attribute duration must be from 15m0s to 12h0m0s, got: "12h1s"`,
		"abc":   "", // the attribute's type, timetypes.GoDurationType, refuses it
	} {
		resp := &validator.StringResponse{}
		roleSessionDuration().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("duration"), ConfigValue: types.StringValue(value)}, resp)
		var got string
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics.Errors()[0].Detail()
		}
		if got != want {
			t.Errorf("duration %q: error %q, want %q", value, got, want)
		}
	}
}
