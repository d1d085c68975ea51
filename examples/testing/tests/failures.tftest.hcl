# What the module refuses, before anything is bought: its preconditions name each failure, so
# that expect_failures can expect them.
provider "sagemaker" {
  allowed_account_ids = ["123456789012"]
}

run "cap_below_the_price" {
  command = plan

  variables {
    training_plan_name = "llm-pretraining"
    max_upfront_fee    = "100"
  }

  expect_failures = [sagemaker_training_plan_extension.this]
}

run "no_capacity" {
  command = plan

  variables {
    training_plan_name = "sold-out"
  }

  expect_failures = [sagemaker_training_plan_extension.this]
}

run "expired_plan" {
  command = plan

  variables {
    training_plan_name = "finished"
  }

  expect_failures = [sagemaker_training_plan_extension.this]
}
