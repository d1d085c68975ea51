# Tests the module's logic with no emulator and no AWS: the mock provider answers with the
# values below (Terraform 1.7 and later, OpenTofu 1.8 and later).
mock_provider "sagemaker" {
  mock_data "sagemaker_training_plan" {
    defaults = {
      arn      = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
      status   = "Active"
      end_time = "2026-12-11T00:00:00Z"
    }
  }

  # The lowest quote, which the module's preconditions check. Terraform 1.16 cannot mock the
  # list of offerings itself (hashicorp/terraform#38369).
  mock_data "sagemaker_training_plan_extension_offerings" {
    defaults = {
      lowest_upfront_fee = "16517.76"
    }
  }

  mock_resource "sagemaker_training_plan_extension" {
    defaults = {
      training_plan_extension_offering_id = "tpeo-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      start_date                          = "2026-12-11T00:00:00Z"
      end_date                            = "2026-12-18T00:00:00Z"
      duration_hours                      = 168
      upfront_fee                         = "16517.76"
      currency_code                       = "USD"
      status                              = "Pending"
      payment_status                      = "Pending"
    }
  }
}

variables {
  training_plan_name = "llm-pretraining"
}

run "reports_the_extension" {
  assert {
    condition     = output.new_plan_end == "2026-12-18T00:00:00Z"
    error_message = "The module should report the extension's end as the plan's new end."
  }

  assert {
    condition     = output.cost == "16517.76 USD"
    error_message = "The module should report the fee with its currency."
  }

  assert {
    condition     = output.extended_days == 7
    error_message = "The module should report the extension's length in days."
  }
}

run "asks_for_hours_of_the_named_plan" {
  command = plan

  variables {
    training_plan_name = "vision-finetuning"
    extension_days     = 14
  }

  override_data {
    target = data.sagemaker_training_plan.this
    values = {
      arn    = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/vision-finetuning"
      status = "Active"
    }
  }

  assert {
    condition     = sagemaker_training_plan_extension.this.training_plan_arn == "arn:aws:sagemaker:us-east-2:123456789012:training-plan/vision-finetuning"
    error_message = "The module should extend the plan it looked up."
  }

  assert {
    condition     = sagemaker_training_plan_extension.this.requested_duration_hours == 336
    error_message = "The module should ask for the extension in hours."
  }
}
