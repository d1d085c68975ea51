# A provider configuration for plan jobs that must never spend: plans that would buy fail,
# everything else works. SAGEMAKER_ALLOW_PURCHASES=false in the job's environment does the same
# for every configuration, whatever it says.
provider "sagemaker" {
  alias           = "read_only"
  region          = "us-east-2"
  allow_purchases = false
}

# A provider configuration that may buy, but never more than 50000 USD in one run.
provider "sagemaker" {
  region = "us-east-2"

  run_budget {
    max_upfront_fee = "50000"
    currency_code   = "USD"
  }
}
