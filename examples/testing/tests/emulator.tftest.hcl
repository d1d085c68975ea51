# Runs against the SageMaker emulator, which buys nothing real:
#
#   sagemaker-emulator -plans emulator-plans.json -- terraform test
#
# starts it, points the provider at it with the AWS_* variables, runs every test file, and
# stops it (docs/guides/testing.md). That plan has 1 instance at 12.29 USD per hour.

# The guard against real AWS: without the emulator's AWS_* variables, the provider would use
# whatever credentials the runner has, and buy. allowed_account_ids stops it before any
# SageMaker call unless the credentials are the emulator's account.
provider "sagemaker" {
  allowed_account_ids = ["123456789012"]
}

variables {
  training_plan_name = "llm-pretraining"
}

run "plan_shows_the_price" {
  command = plan

  assert {
    condition     = sagemaker_training_plan_extension.this.upfront_fee == "2064.72"
    error_message = "The plan should show the quote's fee for one week: 168 hours x 1 instance x 12.29 USD."
  }

  assert {
    condition     = sagemaker_training_plan_extension.this.duration_hours == 168
    error_message = "The plan should quote a one-week extension."
  }
}

run "apply_buys_the_extension" {
  assert {
    condition     = startswith(output.extension_offering_id, "tpeo-")
    error_message = "The apply should buy an offering."
  }

  assert {
    condition     = output.extended_days == 7
    error_message = "The extension should last a week."
  }
}

run "second_run_changes_nothing" {
  variables {
    bought = run.apply_buys_the_extension.extension_offering_id
  }

  assert {
    condition     = output.extension_offering_id == var.bought
    error_message = "A second apply should keep the extension bought, not buy another."
  }
}
