# A purchase meets a fault, as AWS can answer. This file signs with an access key of its own,
# and its faults apply to that key only.
provider "sagemaker" {
  access_key          = "AKIAEMULATORFAULTS01"
  secret_key          = "emulatorSecretKeyDoNotUseInAWS0000000000"
  allowed_account_ids = ["123456789012"]
}

variables {
  training_plan_name = "llm-pretraining"
}

# AWS buys, then the connection drops before its answer arrives.
run "connection_drops_after_the_purchase" {
  module {
    source = "./tests/emulator"
  }

  variables {
    request = "POST /_emulator/faults?access_key=AKIAEMULATORFAULTS01"
    body    = { operation = "ExtendTrainingPlan", kind = "commit-then-reset", times = 1 }
  }
}

run "purchase_is_found_in_the_history" {
  assert {
    condition     = sagemaker_training_plan_extension.this.status == "Pending"
    error_message = "The purchase should be found in the plan's history and stored, not lost or retried."
  }
}

run "next_apply_buys_nothing" {
  variables {
    bought = run.purchase_is_found_in_the_history.extension_offering_id
  }

  assert {
    condition     = output.extension_offering_id == var.bought
    error_message = "The next apply should keep the extension, not buy another."
  }
}
