# extensions.tfquery.hcl: lists every extension bought for the plan. Run
#   terraform query -generate-config-out=extensions.tf
# to write a resource block and an import block for each, then terraform apply to import them.
list "sagemaker_training_plan_extension" "llm" {
  provider = sagemaker

  config {
    training_plan_arn = "arn:aws:sagemaker:us-east-2:123456789012:training-plan/llm-pretraining"
  }
}
