# The market moves between a plan and its apply. This file signs with an access key of its own,
# so the emulator keeps its purchases apart from the other files' (same account, own state).
provider "sagemaker" {
  access_key          = "AKIAEMULATORPRICE001"
  secret_key          = "emulatorSecretKeyDoNotUseInAWS0000000000"
  allowed_account_ids = ["123456789012"]
}

variables {
  training_plan_name = "llm-pretraining"
  max_upfront_fee    = "5000"
}

run "plan_at_todays_price" {
  command = plan

  assert {
    condition     = sagemaker_training_plan_extension.this.upfront_fee == "2064.72"
    error_message = "The plan should show today's price."
  }
}

# The control API doubles the price of this key's quotes.
run "price_doubles" {
  module {
    source = "./tests/emulator"
  }

  variables {
    request = "POST /_emulator/plans/llm-pretraining/reprice?access_key=AKIAEMULATORPRICE001"
    body    = { hourly_fee = 24.58 }
  }
}

run "apply_buys_at_the_new_price" {
  assert {
    condition     = output.cost == "4129.44 USD"
    error_message = "The apply should buy at the new price, which the new plan shows."
  }
}
