package provider

import (
	"strings"
	"testing"
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
