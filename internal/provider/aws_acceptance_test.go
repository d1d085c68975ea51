package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Variables that opt in to the real-AWS test. It buys a real, non-refundable extension.
const (
	envSpendsMoney     = "SAGEMAKER_ACC_REAL_AWS_SPENDS_MONEY"
	envPlanName        = "SAGEMAKER_ACC_TRAINING_PLAN_NAME"
	envExtensionHours  = "SAGEMAKER_ACC_EXTENSION_HOURS"
	confirmSpendsMoney = "yes"
)

// TestAccAWSTrainingPlanExtension buys the quote a plan by duration chooses for a real training plan with
// credentials from the environment, then imports it. resource.Test also requires TF_ACC.
func TestAccAWSTrainingPlanExtension(t *testing.T) {
	if os.Getenv(envSpendsMoney) != confirmSpendsMoney {
		t.Skipf("%s is not %q: this test buys a real SageMaker training plan extension and SPENDS MONEY", envSpendsMoney, confirmSpendsMoney)
	}
	planName, hours := os.Getenv(envPlanName), os.Getenv(envExtensionHours)
	if planName == "" || hours == "" {
		t.Skipf("set %s and %s to choose what to buy", envPlanName, envExtensionHours)
	}
	config := requiredProviders + fmt.Sprintf(`
provider "sagemaker" {}

data "sagemaker_training_plan" "test" {
  name = %q
}

resource "sagemaker_training_plan_extension" "test" {
  training_plan_arn        = data.sagemaker_training_plan.test.arn
  requested_duration_hours = %s
}
`, planName, hours)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("status"), knownvalue.StringRegexp(regexp.MustCompile(`^(Pending|Scheduled|Active)$`))),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("payment_status"), knownvalue.StringRegexp(regexp.MustCompile(`^(Pending|Completed)$`))),
					statecheck.ExpectKnownValue(extensionAddr, tfjsonpath.New("upfront_fee"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`))),
				},
			},
			{
				ResourceName:            extensionAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "status", "payment_status", "requested_duration_hours"},
			},
		},
	})
}
